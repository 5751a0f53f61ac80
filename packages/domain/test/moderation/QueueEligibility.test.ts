import { describe, expect, it } from "@effect/vitest"
import { DateTime, FastCheck as fc, Option } from "effect"
import type { AlertId } from "../../src/alerts/Alert.js"
import type { AppealId, QueueItemKind } from "../../src/moderation/ModeratedAlert.js"
import type { QueueEntry } from "../../src/moderation/ModerationQueueRepo.js"
import { QUEUE_SECTIONS, queueCounts, queueEntries } from "../../src/moderation/QueueEligibility.js"
import type { QueueAlert, QueueWorld } from "../../src/moderation/QueueEligibility.js"
import { queueCaseArb } from "./ModerationWorldArbitrary.js"
import type { QueueCase } from "./ModerationWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }

const plain = (entries: ReadonlyArray<QueueEntry>) =>
  entries.map((e) => `${e.kind} ${e.alertId} ${DateTime.formatIso(e.since)} ${Option.getOrElse(e.appealId, () => "-")}`)
const section = (c: QueueCase, kind: QueueItemKind) => queueEntries(c.world).filter((e) => e.kind === kind)
const alertOf = (c: QueueCase, id: AlertId) => c.world.alerts.find((a) => a.id === id)!
const ms = DateTime.toEpochMillis

describe("the moderation queue", () => {
  it.prop("held: exactly the alerts held for review now, since they were posted", [queueCaseArb], ([c]) => {
    const held = section(c, "held")
    const expected = c.world.alerts.filter((a) => a.status === "held_for_review").map((a) => a.id)
    expect(held.map((e) => e.alertId).sort()).toEqual(expected.sort())
    for (const e of held) expect(ms(e.since)).toBe(ms(alertOf(c, e.alertId).createdAt))
  }, runs)

  it.prop("unreviewed: residents' published alerts nobody reviewed; never town alerts", [queueCaseArb], ([c]) => {
    const expected = c.world.alerts.filter((a) =>
      a.status === "published" && !a.reviewed && (a.origin === "web" || a.origin === "sms")
    )
    const unreviewed = section(c, "unreviewed")
    expect(unreviewed.map((e) => e.alertId).sort()).toEqual(expected.map((a) => a.id).sort())
    for (const e of unreviewed) expect(["mairie", "police"]).not.toContain(alertOf(c, e.alertId).origin)
  }, runs)

  it.prop("flagged: every alert with an open flag, any status, since its oldest open flag", [queueCaseArb], ([c]) => {
    const open = c.world.flags.filter((f) => f.status === "open")
    const flagged = section(c, "flagged")
    expect(flagged.map((e) => e.alertId).sort()).toEqual([...new Set(open.map((f) => f.alertId))].sort())
    for (const e of flagged) {
      expect(ms(e.since)).toBe(Math.min(...open.filter((f) => f.alertId === e.alertId).map((f) => ms(f.createdAt))))
    }
  }, runs)

  it.prop("appeal: pending appeals of alerts still hidden, since the appeal, with its id", [queueCaseArb], ([c]) => {
    const expected = c.world.appeals.filter((p) => p.status === "pending" && alertOf(c, p.alertId).status === "hidden")
    const appeals = section(c, "appeal")
    expect(appeals.map((e) => Option.getOrThrow(e.appealId)).sort()).toEqual(expected.map((p) => p.id).sort())
    for (const e of appeals) {
      const appeal = c.world.appeals.find((p) => p.id === Option.getOrThrow(e.appealId))!
      expect(e.alertId).toBe(appeal.alertId)
      expect(ms(e.since)).toBe(ms(appeal.createdAt))
    }
    for (const e of queueEntries(c.world)) expect(Option.isSome(e.appealId)).toBe(e.kind === "appeal")
  }, runs)

  it.prop("ordered by section, then oldest first, then alert id; one section too", [queueCaseArb], ([c]) => {
    const all = queueEntries(c.world)
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!]
      const key = (e: QueueEntry) => [QUEUE_SECTIONS.indexOf(e.kind), ms(e.since)] as const
      const [sa, ta] = key(a)
      const [sb, tb] = key(b)
      expect(sa < sb || (sa === sb && (ta < tb || (ta === tb && a.alertId < b.alertId)))).toBe(true)
    }
    for (const kind of QUEUE_SECTIONS) {
      expect(plain(queueEntries(c.world, Option.some(kind)))).toEqual(plain(section(c, kind)))
    }
  }, runs)

  it.prop("the counts are the sizes of the sections", [queueCaseArb], ([c]) => {
    const counts = queueCounts(c.world)
    for (const kind of QUEUE_SECTIONS) expect(counts[kind]).toBe(section(c, kind).length)
  }, runs)

  it.prop("the queue does not depend on the order of the inputs", [
    queueCaseArb.chain((c) => {
      const perm = <A>(xs: ReadonlyArray<A>) =>
        fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length })
      const { alerts, appeals, flags } = c.world
      return fc.tuple(fc.constant(c), fc.record({ alerts: perm(alerts), flags: perm(flags), appeals: perm(appeals) }))
    })
  ], ([[c, shuffled]]) => {
    expect(plain(queueEntries(shuffled))).toEqual(plain(queueEntries(c.world)))
  }, runs)
})

describe("the queue generator covers the cases the properties are about", () => {
  const sample = fc.sample(queueCaseArb, { numRuns: 500, seed: 20251205 })
  const count = (f: (c: QueueCase) => boolean) => sample.filter(f).length
  it.each(
    [
      ["a town alert published and unreviewed",
        (c: QueueCase) =>
          c.world.alerts.some((a) =>
            a.status === "published" && !a.reviewed && (a.origin === "mairie" || a.origin === "police")
          )],
      ["an alert in two sections", (c: QueueCase) => {
        const ids = queueEntries(c.world).map((e) => e.alertId)
        return new Set(ids).size < ids.length
      }],
      ["two entries of one section waiting since the same instant", (c: QueueCase) => {
        const keys = queueEntries(c.world).map((e) => `${e.kind} ${ms(e.since)}`)
        return new Set(keys).size < keys.length
      }],
      ["a pending appeal of an alert no longer hidden",
        (c: QueueCase) =>
          c.world.appeals.some((p) => p.status === "pending" && alertOf(c, p.alertId).status !== "hidden")],
      ["an alert with open and closed flags", (c: QueueCase) =>
        c.world.alerts.some((a) => {
          const fs = c.world.flags.filter((f) => f.alertId === a.id)
          return fs.some((f) => f.status === "open") && fs.some((f) => f.status !== "open")
        })],
      ["every section non-empty", (c: QueueCase) => QUEUE_SECTIONS.every((k) => section(c, k).length > 0)]
    ] as const
  )("%s", (_, feature) => {
    expect(count(feature)).toBeGreaterThan(10)
  })
})

const id = (n: number) => `00000000-0000-4000-d000-00000000000${n}` as AlertId
const appealId = (n: number) => `00000000-0000-4000-e000-00000000000${n}` as AppealId
const at = (hhmm: string) => DateTime.unsafeMake(`2025-06-01T${hhmm}:00Z`)
const alert = (n: number, over: Partial<QueueAlert>): QueueAlert => ({
  id: id(n),
  status: "published",
  origin: "web",
  createdAt: at("10:00"),
  reviewed: false,
  ...over
})

describe("queue examples", () => {
  it("a town alert is never in the unreviewed section, but is listed when flagged", () => {
    const world: QueueWorld = {
      alerts: [alert(1, { origin: "mairie" }), alert(2, { origin: "sms", createdAt: at("09:00") })],
      flags: [{ alertId: id(1), status: "open", createdAt: at("11:00") }],
      appeals: []
    }
    expect(queueEntries(world).map((e) => `${e.kind} ${e.alertId.slice(-1)}`)).toEqual(["unreviewed 2", "flagged 1"])
  })

  it("a held alert with an open flag is in both sections; an appeal waits only while its alert is hidden", () => {
    const world: QueueWorld = {
      alerts: [
        alert(1, { status: "held_for_review" }),
        alert(2, { status: "hidden" }),
        alert(3, { status: "published", reviewed: true })
      ],
      flags: [
        { alertId: id(1), status: "open", createdAt: at("12:00") },
        { alertId: id(3), status: "dismissed", createdAt: at("12:00") }
      ],
      appeals: [
        { id: appealId(2), alertId: id(2), status: "pending", createdAt: at("13:00") },
        { id: appealId(3), alertId: id(3), status: "pending", createdAt: at("13:00") }
      ]
    }
    const listed = queueEntries(world).map((e) => `${e.kind} ${e.alertId.slice(-1)}`)
    expect(listed).toEqual(["held 1", "flagged 1", "appeal 2"])
    expect(queueCounts(world)).toEqual({ held: 1, unreviewed: 0, flagged: 1, appeal: 1 })
  })
})
