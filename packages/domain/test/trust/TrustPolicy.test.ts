import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, FastCheck as fc, Schema } from "effect"
import { localMinuteOfDay } from "../../src/delivery/QuietHoursPolicy.js"
import { sensitiveSpans } from "../../src/trust/SensitiveDescriptors.js"
import type { FlaggedSpan } from "../../src/trust/SensitiveDescriptors.js"
import { DEFAULT_TRUST, expectedReviewDelay, HoldReason, trustDecision } from "../../src/trust/TrustPolicy.js"
import type { TrustDecision, TrustFacts, TrustSettings } from "../../src/trust/TrustPolicy.js"

const runs = { fastCheck: { numRuns: 500 } }

const span: FlaggedSpan = { start: 9, end: 26, kind: "origin", excerpt: "de type maghrébin" }
const settingsArb: fc.Arbitrary<TrustSettings> = fc.record({
  heldFirstAlerts: fc.integer({ min: 0, max: 10 }),
  memberBurst: fc.record({ limit: fc.integer({ min: 1, max: 20 }),
    window: fc.integer({ min: 1, max: 240 }).map(Duration.minutes) }),
  communityBurst: fc.record({ limit: fc.integer({ min: 1, max: 50 }),
    window: fc.integer({ min: 1, max: 240 }).map(Duration.minutes) })
})
const spansArb = fc.array(fc.constant(span), { maxLength: 3 })
const factsArb: fc.Arbitrary<TrustFacts> = fc.record({
  origin: fc.constantFrom("web" as const, "sms" as const, "mairie" as const, "police" as const),
  authorPreviousAlerts: fc.nat(60),
  authorRecentAlerts: fc.nat(30),
  communityRecentAlerts: fc.nat(80),
  sensitive: spansArb
})
const residentFactsArb = factsArb.map((f) => ({ ...f,
  origin: f.origin === "mairie" ? "web" as const : f.origin === "police" ? "sms" as const : f.origin })
)

const reasonsOf = (d: TrustDecision) => (d._tag === "Hold" ? d.reasons : [])
const facts = (overrides: Partial<TrustFacts> = {}): TrustFacts => ({
  origin: "web",
  authorPreviousAlerts: 5,
  authorRecentAlerts: 0,
  communityRecentAlerts: 0,
  sensitive: [],
  ...overrides
})

describe("TrustPolicy: examples with the default settings", () => {
  it.each(
    [
      ["a trusted member's plain alert", facts(), []],
      ["a first alert", facts({ authorPreviousAlerts: 0 }), ["new_member"]],
      ["a second alert", facts({ authorPreviousAlerts: 1 }), ["new_member"]],
      ["a third alert", facts({ authorPreviousAlerts: 2 }), []],
      ["a sensitive text", facts({ sensitive: sensitiveSpans("Un homme de type maghrébin rôde") }), [
        "sensitive_descriptors"
      ]],
      ["a 3rd alert in 30 min", facts({ authorRecentAlerts: 2 }), []],
      ["a 4th alert in 30 min", facts({ authorRecentAlerts: 3 }), ["member_burst"]],
      ["the community's 10th alert in 30 min", facts({ communityRecentAlerts: 9 }), []],
      ["the community's 11th alert in 30 min", facts({ communityRecentAlerts: 10 }), ["community_burst"]],
      ["everything at once, by SMS",
        facts({ origin: "sms", authorPreviousAlerts: 0, authorRecentAlerts: 5, communityRecentAlerts: 30,
          sensitive: [span] }), ["new_member", "sensitive_descriptors", "member_burst", "community_burst"]],
      ["everything at once, from the mairie",
        facts({ origin: "mairie", authorPreviousAlerts: 0, authorRecentAlerts: 5, communityRecentAlerts: 30,
          sensitive: [span] }), []],
      ["everything at once, from the police",
        facts({ origin: "police", authorPreviousAlerts: 0, authorRecentAlerts: 5, communityRecentAlerts: 30,
          sensitive: [span] }), []]
    ] as const
  )("%s → %j", (_, f, reasons) => {
    const d = trustDecision(f, DEFAULT_TRUST)
    expect(d).toEqual(reasons.length === 0 ? { _tag: "Publish" } : { _tag: "Hold", reasons })
  })

  it("holds 3 in 30 minutes per member and 10 per community by default", () => {
    expect(DEFAULT_TRUST.heldFirstAlerts).toBe(2)
    expect(DEFAULT_TRUST.memberBurst.limit).toBe(3)
    expect(Duration.toMinutes(DEFAULT_TRUST.memberBurst.window)).toBe(30)
    expect(DEFAULT_TRUST.communityBurst.limit).toBe(10)
    expect(Duration.toMinutes(DEFAULT_TRUST.communityBurst.window)).toBe(30)
  })

  it("HoldReason decodes the four reasons and nothing else", () => {
    for (const r of ["new_member", "sensitive_descriptors", "member_burst", "community_burst"]) {
      expect(Schema.decodeUnknownSync(HoldReason)(r)).toBe(r)
    }
    expect(() => Schema.decodeUnknownSync(HoldReason)("duplicate")).toThrow()
  })
})

describe("TrustPolicy: properties", () => {
  it.prop("mairie and police alerts are never held, whatever the facts", [factsArb, settingsArb], ([f, settings]) => {
    for (const origin of ["mairie", "police"] as const) {
      expect(trustDecision({ ...f, origin }, settings)).toEqual({ _tag: "Publish" })
    }
  }, runs)

  it.prop("a member's first alerts are always held; later ones publish unless another reason applies", [
    residentFactsArb,
    settingsArb
  ], ([f, settings]) => {
    const d = trustDecision(f, settings)
    if (f.authorPreviousAlerts < settings.heldFirstAlerts) {
      expect(reasonsOf(d)).toContain("new_member")
    } else {
      expect(reasonsOf(d)).not.toContain("new_member")
      const clean = { ...f, sensitive: [], authorRecentAlerts: 0, communityRecentAlerts: 0 }
      expect(trustDecision(clean, settings)).toEqual({ _tag: "Publish" })
    }
  }, runs)

  it.prop("reasons are exactly the applicable ones, in the fixed order, never empty on Hold", [residentFactsArb,
    settingsArb], ([f, settings]) => {
    const expected = [
      ...(f.authorPreviousAlerts < settings.heldFirstAlerts ? ["new_member"] : []),
      ...(f.sensitive.length > 0 ? ["sensitive_descriptors"] : []),
      ...(f.authorRecentAlerts >= settings.memberBurst.limit ? ["member_burst"] : []),
      ...(f.communityRecentAlerts >= settings.communityBurst.limit ? ["community_burst"] : [])
    ]
    const d = trustDecision(f, settings)
    expect(d).toEqual(expected.length === 0 ? { _tag: "Publish" } : { _tag: "Hold", reasons: expected })
    if (d._tag === "Hold") expect(d.reasons.length).toBeGreaterThan(0)
  }, runs)

  it.prop("monotonic: more recent alerts, or a sensitive text, never turn a Hold into Publish nor drop a reason", [
    factsArb,
    settingsArb,
    fc.nat(20),
    fc.nat(40),
    spansArb
  ], ([f, settings, moreAuthor, moreCommunity, moreSpans]) => {
    const before = trustDecision(f, settings)
    const after = trustDecision({
      ...f,
      authorRecentAlerts: f.authorRecentAlerts + moreAuthor,
      communityRecentAlerts: f.communityRecentAlerts + moreCommunity,
      sensitive: [...f.sensitive, ...moreSpans]
    }, settings)
    if (before._tag === "Hold") expect(after._tag).toBe("Hold")
    for (const r of reasonsOf(before)) expect(reasonsOf(after)).toContain(r)
  }, runs)

  it.prop("a more experienced author is never held where a newer one is published", [residentFactsArb, settingsArb,
    fc.nat(10)], ([f, settings, more]) => {
    const newer = trustDecision(f, settings)
    const older = trustDecision({ ...f, authorPreviousAlerts: f.authorPreviousAlerts + more }, settings)
    if (newer._tag === "Publish") expect(older).toEqual({ _tag: "Publish" })
  }, runs)
})

describe("TrustPolicy: the review delay told to the author (Europe/Paris)", () => {
  it.each(
    [
      ["2026-12-03T09:00:00Z", 120, "sous 2 heures"], // 10:00 in Paris, winter
      ["2026-12-03T07:00:00Z", 120, "sous 2 heures"], // 08:00
      ["2026-12-03T18:59:00Z", 120, "sous 2 heures"], // 19:59
      ["2026-12-03T19:00:00Z", 14 * 60, "demain matin avant 10 h"], // 20:00
      ["2026-12-03T22:00:00Z", 11 * 60, "demain matin avant 10 h"], // 23:00
      ["2026-12-04T02:00:00Z", 7 * 60, "ce matin avant 10 h"], // 03:00
      ["2026-12-04T06:59:00Z", 121, "ce matin avant 10 h"], // 07:59
      ["2026-07-01T18:30:00Z", 13 * 60 + 30, "demain matin avant 10 h"], // 20:30 in Paris, summer
      ["2026-07-01T06:30:00Z", 120, "sous 2 heures"] // 08:30 in Paris, summer
    ] as const
  )("at %s → %i min, %s", (iso, minutes, text) => {
    expect(expectedReviewDelay(DateTime.unsafeMake(iso))).toEqual({ minutes, text })
  })

  it.prop("the delay is positive, at most 14 hours, and at night ends at 10:00 local time", [
    fc.date({ min: new Date("2020-01-01"), max: new Date("2040-01-01"), noInvalidDate: true })
  ], ([d]) => {
    const now = DateTime.unsafeMake(d)
    const delay = expectedReviewDelay(now)
    expect(delay.minutes).toBeGreaterThan(0)
    expect(delay.minutes).toBeLessThanOrEqual(14 * 60)
    const minute = localMinuteOfDay(now)
    if (delay.text !== "sous 2 heures") expect((minute + delay.minutes) % 1440).toBe(10 * 60)
    else expect(minute >= 8 * 60 && minute < 20 * 60).toBe(true)
  }, runs)
})
