import { describe, expect, it } from "@effect/vitest"
import { AlertStatus } from "../../src/alerts/Alert.js"
import type { AlertStatus as Status } from "../../src/alerts/Alert.js"
import { canMoveAlert, isVisibleToMembers, sendsClosingMessage, startsFanOut } from "../../src/alerts/AlertLifecycle.js"
import type { AlertActorKind } from "../../src/alerts/AlertLifecycle.js"

const statuses = AlertStatus.literals
const actors: ReadonlyArray<AlertActorKind> = ["author", "moderator"]

/** Every allowed move; any triple not listed is refused. */
const allowed = new Set([
  "author published → retracted",
  "author published → resolved",
  "author held_for_review → retracted",
  "moderator held_for_review → published",
  "moderator held_for_review → hidden",
  "moderator published → hidden",
  "moderator published → resolved",
  "moderator resolved → hidden",
  "moderator hidden → published",
  "moderator hidden → resolved"
])

const triples = actors.flatMap((actor) =>
  statuses.flatMap((from) => statuses.map((to) => ({ actor, from, to, ok: allowed.has(`${actor} ${from} → ${to}`) })))
)

describe("alert lifecycle", () => {
  it("the table covers all 50 triples", () => {
    expect(triples).toHaveLength(2 * 5 * 5)
    expect(triples.filter((t) => t.ok)).toHaveLength(allowed.size)
  })

  it.each(triples)("$actor: $from → $to is $ok", ({ actor, from, to, ok }) => {
    expect(canMoveAlert(actor, from, to)).toBe(ok)
  })

  it.each(statuses)("retracted is final: nobody moves it to %s", (to) => {
    for (const actor of actors) expect(canMoveAlert(actor, "retracted", to)).toBe(false)
  })

  it.each(statuses)("no status moves to itself (%s)", (s) => {
    for (const actor of actors) expect(canMoveAlert(actor, s, s)).toBe(false)
  })

  it("only published and resolved alerts are seen by members", () => {
    expect(statuses.filter(isVisibleToMembers)).toEqual(["published", "resolved"])
  })

  it("a closing message goes only when a published alert is resolved or retracted", () => {
    const closing = statuses.flatMap((from) =>
      statuses.filter((to) => sendsClosingMessage(from, to)).map((to) => `${from} → ${to}`)
    )
    expect(closing).toEqual(["published → retracted", "published → resolved"])
    // A held alert reached nobody: retracting it sends nothing.
    expect(sendsClosingMessage("held_for_review", "retracted")).toBe(false)
  })

  it("fan-out starts when a held or hidden alert is published, never otherwise", () => {
    const starts = statuses.flatMap((from) =>
      statuses.filter((to) => startsFanOut(from, to)).map((to) => `${from} → ${to}`)
    )
    expect(starts).toEqual(["held_for_review → published", "hidden → published"])
  })

  it("every closing message and fan-out start is a move somebody may make", () => {
    for (const from of statuses as ReadonlyArray<Status>) {
      for (const to of statuses) {
        if (sendsClosingMessage(from, to) || startsFanOut(from, to)) {
          expect(actors.some((a) => canMoveAlert(a, from, to))).toBe(true)
        }
      }
    }
  })
})
