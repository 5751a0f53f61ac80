import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import { authorCounts, heldNow, wasHeld } from "../../src/moderation/HeldCounts.js"
import type { CountedAlert } from "../../src/moderation/HeldCounts.js"
import { countsCaseArb } from "./ModerationWorldArbitrary.js"
import type { CountsCase } from "./ModerationWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)
const everyone = (c: CountsCase) => c.authors.map((a) => authorCounts(a, c.alerts, c.audit))

describe("held counts", () => {
  it.prop("every alert has exactly one author; held and hidden are parts of posted", [countsCaseArb], ([c]) => {
    const all = everyone(c)
    expect(sum(all.map((r) => r.posted))).toBe(c.alerts.length)
    for (const r of all) {
      expect(r.held).toBeLessThanOrEqual(r.posted)
      expect(r.hidden).toBeLessThanOrEqual(r.posted)
    }
  }, runs)

  it.prop("held in a record: held now or when posted; the queue's count: held now only", [countsCaseArb], ([c]) => {
    const all = everyone(c)
    const everHeld = c.alerts.filter((a) => a.holdReasons.length > 0 || a.status === "held_for_review")
    expect(sum(all.map((r) => r.held))).toBe(everHeld.length)
    expect(heldNow(c.alerts)).toBe(c.alerts.filter((a) => a.status === "held_for_review").length)
    expect(heldNow(c.alerts)).toBeLessThanOrEqual(sum(all.map((r) => r.held)))
  }, runs)

  it.prop("warnings and suspensions are the audit rows of those actions about the account", [countsCaseArb], ([c]) => {
    for (const a of c.authors) {
      const r = authorCounts(a, c.alerts, c.audit)
      expect(r.warnings).toBe(c.audit.filter((e) => e.accountId === a && e.action === "warn").length)
      expect(r.suspensions).toBe(c.audit.filter((e) => e.accountId === a && e.action === "suspend").length)
    }
  }, runs)

  it.prop("an account with nothing has only zeros", [countsCaseArb, fc.uuid()], ([c, stranger]) => {
    expect(authorCounts(stranger as AccountId, c.alerts, c.audit))
      .toEqual({ posted: 0, held: 0, hidden: 0, warnings: 0, suspensions: 0 })
  }, runs)
})

describe("held counts examples", () => {
  const alert = (over: Partial<CountedAlert>): CountedAlert => ({
    authorId: "00000000-0000-4000-c000-000000000001" as AccountId,
    status: "published",
    holdReasons: [],
    ...over
  })
  it.each(
    [
      ["held now, for a reason", alert({ status: "held_for_review", holdReasons: ["new_member"] }), true],
      ["held now without a reason (a seed)", alert({ status: "held_for_review" }), true],
      ["approved after it was held", alert({ holdReasons: ["member_burst"] }), true],
      ["held, then hidden", alert({ status: "hidden", holdReasons: ["sensitive_descriptors"] }), true],
      ["published at once, hidden later", alert({ status: "hidden" }), false],
      ["published at once", alert({}), false]
    ] as const
  )("%s: held in the record = %s", (_, a, held) => {
    expect(wasHeld(a)).toBe(held)
    expect(heldNow([a])).toBe(a.status === "held_for_review" ? 1 : 0)
  })
})
