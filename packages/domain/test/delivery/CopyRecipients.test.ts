import { describe, expect, it } from "@effect/vitest"
import { DateTime, FastCheck as fc, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import { copyOnce, copyRecipients } from "../../src/delivery/CopyRecipients.js"
import type { EarlierDelivery } from "../../src/delivery/CopyRecipients.js"
import type { DeliveryStatus } from "../../src/delivery/Delivery.js"
import type { PlannedDelivery } from "../../src/delivery/FanOut.js"
import type { PhoneE164 } from "../../src/shared/Text.js"
import { copyCaseArb, shuffledCopyCase } from "./CopyWorldArbitrary.js"
import type { CopyCase } from "./CopyWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }
const anyCase = copyCaseArb({ erasures: true })

const run = (c: CopyCase) => copyRecipients(c.facts, c.now)
const plain = (ps: ReadonlyArray<PlannedDelivery>) =>
  ps.map((p) => `${p.accountId} ${p.channel} ${p.destination} ${DateTime.formatIso(p.notBefore)}`)
const earlierOf = (c: CopyCase, p: PlannedDelivery) =>
  c.facts.earlier.find((d) => d.accountId === p.accountId && d.channel === p.channel)

/** Written from the rule's words, sharing nothing with the implementation. */
const qualifies = (c: CopyCase, d: EarlierDelivery) =>
  d.status !== "failed" && d.status !== "dead" && d.status !== "withheld" && d.status !== "cancelled" &&
  d.destination !== "" &&
  !c.facts.excluded.includes(d.accountId) &&
  !(d.channel === "sms" && c.facts.suppressedPhones.includes(d.destination as PhoneE164))

describe("copy recipients: the earlier message's people, minus failures, exclusions, STOPs, erasures", () => {
  it.prop("only someone the earlier message went to, on that channel, at that address", [anyCase], ([c]) => {
    for (const p of run(c)) expect(earlierOf(c, p)?.destination).toBe(p.destination)
  }, runs)

  it.prop("every earlier delivery that qualifies is copied, and nothing else", [anyCase], ([c]) => {
    const expected = c.facts.earlier.filter((d) => qualifies(c, d)).map((d) => `${d.accountId} ${d.channel}`).sort()
    expect(run(c).map((p) => `${p.accountId} ${p.channel}`)).toEqual(expected)
  }, runs)

  it.prop("never after a failure, never an excluded account, never an SMS to a suppressed number", [anyCase], ([c]) => {
    for (const p of run(c)) {
      expect(["failed", "dead", "withheld"]).not.toContain(earlierOf(c, p)!.status)
      expect(c.facts.excluded).not.toContain(p.accountId)
      if (p.channel === "sms") expect(c.facts.suppressedPhones).not.toContain(p.destination)
    }
  }, runs)

  it.prop("a STOP stops SMS only: the same person's e-mail still goes", [anyCase], ([c]) => {
    const copied = new Set(run(c).map((p) => `${p.accountId} ${p.channel}`))
    for (const d of c.facts.earlier) {
      if (d.channel === "email" && qualifies(c, d)) expect(copied.has(`${d.accountId} email`)).toBe(true)
    }
  }, runs)

  it.prop("nobody erased since gets anything", [anyCase], ([c]) => {
    for (const p of run(c)) {
      expect(c.erased).not.toContain(p.accountId)
      expect(p.destination).not.toBe("")
    }
  }, runs)

  it.prop("not before now nor the earlier delivery: never overtakes the message", [anyCase], ([c]) => {
    for (const p of run(c)) {
      const before = earlierOf(c, p)!.notBefore
      const expected = Math.max(DateTime.toEpochMillis(before), DateTime.toEpochMillis(c.now))
      expect(DateTime.toEpochMillis(p.notBefore)).toBe(expected)
    }
  }, runs)

  it.prop("one delivery per person and channel, sorted, whatever the order of the inputs", [
    anyCase.chain((c) => fc.tuple(fc.constant(c), shuffledCopyCase(c)))
  ], ([[c, s]]) => {
    const keys = run(c).map((p) => `${p.accountId} ${p.channel}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(keys)
    expect(plain(run(s))).toEqual(plain(run(c)))
  }, runs)

  it.prop("a message is written once, only when someone is to receive it", [anyCase, fc.boolean()], ([c, written]) => {
    const planned = run(c)
    const once = copyOnce(written, planned)
    expect(Option.isSome(once)).toBe(!written && planned.length > 0)
    if (Option.isSome(once)) expect(once.value).toEqual(planned)
  }, runs)
})

describe("the copy generator covers the cases the properties are about", () => {
  const sample = fc.sample(anyCase, { numRuns: 500, seed: 20251205 })
  const count = (f: (c: CopyCase) => boolean) => sample.filter(f).length
  it.each(
    [
      ["a failed or dead delivery",
        (c: CopyCase) => c.facts.earlier.some((d) => d.status === "failed" || d.status === "dead")],
      ["a suppressed SMS next to an e-mail of the same person",
        (c: CopyCase) =>
          c.facts.earlier.some((d) =>
            d.channel === "sms" && c.facts.suppressedPhones.includes(d.destination as PhoneE164) &&
            c.facts.earlier.some((e) => e.accountId === d.accountId && e.channel === "email")
          )],
      ["an excluded recipient", (c: CopyCase) => c.facts.earlier.some((d) => c.facts.excluded.includes(d.accountId))],
      ["an erased recipient", (c: CopyCase) => c.erased.length > 0],
      ["a cancelled delivery", (c: CopyCase) => c.facts.earlier.some((d) => d.status === "cancelled")],
      ["a delivery still waiting (after now)",
        (c: CopyCase) => c.facts.earlier.some((d) => DateTime.greaterThan(d.notBefore, c.now) && qualifies(c, d))],
      ["an earlier message to nobody", (c: CopyCase) => c.facts.earlier.length === 0],
      ["five or more copies", (c: CopyCase) => run(c).length >= 5]
    ] as const
  )("%s", (_, feature) => {
    expect(count(feature)).toBeGreaterThan(10)
  })
})

const ALICE = "00000000-0000-4000-b000-00000000000a" as AccountId
const BOB = "00000000-0000-4000-b000-00000000000b" as AccountId
const NOON = DateTime.unsafeMake("2025-01-15T12:00:00+01:00")
const delivery = (
  accountId: AccountId,
  channel: "sms" | "email",
  status: DeliveryStatus,
  notBefore = NOON,
  destination = channel === "sms" ? "+33612345678" : "alice@exemple.fr"
): EarlierDelivery => ({ accountId, channel, destination, status, notBefore })

describe("copy recipients examples", () => {
  it("a delivered SMS and a pending e-mail are both copied; a dead one is not", () => {
    const planned = copyRecipients({
      earlier: [
        delivery(ALICE, "sms", "delivered"),
        delivery(ALICE, "email", "pending"),
        delivery(BOB, "sms", "dead", NOON, "+33600000000")
      ],
      excluded: [],
      suppressedPhones: []
    }, NOON)
    const names = planned.map((p) => `${p.accountId === ALICE ? "alice" : "bob"} ${p.channel}`)
    expect(names).toEqual(["alice email", "alice sms"])
  })

  it("an e-mail waiting for 07:00 keeps 07:00; the copy of a delivery sent long ago goes now", () => {
    const seven = DateTime.unsafeMake("2025-01-16T07:00:00+01:00")
    const planned = copyRecipients({
      earlier: [
        delivery(ALICE, "email", "pending", seven),
        delivery(ALICE, "sms", "sent", DateTime.subtract(NOON, { hours: 3 }))
      ],
      excluded: [],
      suppressedPhones: []
    }, NOON)
    const times = planned.map((p) => DateTime.formatIso(p.notBefore))
    expect(times).toEqual([DateTime.formatIso(seven), DateTime.formatIso(NOON)])
  })

  it("a number that said STOP since gets no SMS; an excluded account gets nothing", () => {
    const planned = copyRecipients({
      earlier: [
        delivery(ALICE, "sms", "sent"),
        delivery(ALICE, "email", "sent"),
        delivery(BOB, "email", "sent", NOON, "bob@exemple.fr")
      ],
      excluded: [BOB],
      suppressedPhones: ["+33612345678" as PhoneE164]
    }, NOON)
    expect(planned.map((p) => p.channel)).toEqual(["email"])
    expect(planned[0]?.accountId).toBe(ALICE)
  })

  it("an erased recipient (cancelled, or sent with the destination wiped) gets nothing", () => {
    const planned = copyRecipients({
      earlier: [delivery(ALICE, "sms", "cancelled", NOON, ""), delivery(ALICE, "email", "sent", NOON, "")],
      excluded: [],
      suppressedPhones: []
    }, NOON)
    expect(planned).toEqual([])
  })
})
