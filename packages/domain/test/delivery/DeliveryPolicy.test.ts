import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, FastCheck as fc } from "effect"
import {
  backoffCeiling,
  batchesBy,
  decide,
  defaultRetryConfig,
  emailBatches,
  exhausted,
  isTransient,
  nextAttemptAt,
  smsBatches
} from "../../src/delivery/DeliveryPolicy.js"
import type { AttemptOutcome, RetryConfig } from "../../src/delivery/DeliveryPolicy.js"

const runs = { fastCheck: { numRuns: 300 } }

const configArb: fc.Arbitrary<RetryConfig> = fc.record({
  base: fc.integer({ min: 1, max: 60_000 }),
  factor: fc.integer({ min: 1, max: 10_000 }),
  maxAttempts: fc.integer({ min: 1, max: 30 })
}).map(({ base, factor, maxAttempts }) => ({
  baseDelay: Duration.millis(base),
  maxDelay: Duration.millis(base * factor),
  maxAttempts
}))
const nowArb = fc.date({ min: new Date("2020-01-01"), max: new Date("2040-01-01"), noInvalidDate: true })
  .map((d) => DateTime.unsafeMake(d))
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
const attemptsArb = fc.integer({ min: 1, max: 40 })
const outcomeArb: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc.record({ _tag: fc.constant("Accepted" as const), providerId: fc.uuid() }),
  fc.record({ _tag: fc.constant("Refused" as const), reason: fc.string({ minLength: 1 }) }),
  fc.record({
    _tag: fc.constant("Transient" as const),
    reason: fc.string({ minLength: 1 }),
    retryAfterSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined })
  })
)

const ms = (a: DateTime.Utc, b: DateTime.Utc) => DateTime.toEpochMillis(a) - DateTime.toEpochMillis(b)

describe("DeliveryPolicy: classification", () => {
  it("retries unavailability and throttling, never a refusal", () => {
    expect(isTransient("SmsUnavailable")).toBe(true)
    expect(isTransient("EmailUnavailable")).toBe(true)
    expect(isTransient("Retry")).toBe(true)
    expect(isTransient("SmsRejected")).toBe(false)
    expect(isTransient("Refused")).toBe(false)
  })

  it.prop("accepted is sent, refused is failed for good, whatever the attempt", [outcomeArb, attemptsArb, nowArb,
    randomArb, configArb], ([outcome, attempts, now, random, config]) => {
    const d = decide(outcome, attempts, now, random, config)
    if (outcome._tag === "Accepted") expect(d).toEqual({ _tag: "Sent", providerId: outcome.providerId })
    if (outcome._tag === "Refused") expect(d).toEqual({ _tag: "Failed", reason: outcome.reason })
  }, runs)

  it.prop("a transient failure is retried before the last attempt and dead on it, with its reason kept", [
    outcomeArb.filter((o) => o._tag === "Transient"),
    attemptsArb,
    nowArb,
    randomArb,
    configArb
  ], ([outcome, attempts, now, random, config]) => {
    const d = decide(outcome, attempts, now, random, config)
    expect(d._tag).toBe(attempts >= config.maxAttempts ? "Dead" : "Retry")
    if (d._tag === "Dead" || d._tag === "Retry") expect(d.reason).toContain((outcome as { reason: string }).reason)
  }, runs)

  it.prop("a retry never comes before the provider's Retry-After nor after the backoff ceiling (or Retry-After)", [
    fc.integer({ min: 0, max: 3600 }),
    attemptsArb,
    nowArb,
    randomArb,
    configArb
  ], ([retryAfter, attempts, now, random, config]) => {
    const d = decide({ _tag: "Transient", reason: "429", retryAfterSeconds: retryAfter }, attempts, now, random, config)
    if (d._tag !== "Retry") return
    const delay = ms(d.at, now)
    expect(delay).toBeGreaterThanOrEqual(retryAfter * 1000)
    expect(delay).toBeLessThanOrEqual(Math.max(retryAfter * 1000, backoffCeiling(attempts, config)))
  }, runs)

  it.prop("a lease taken back more than maxAttempts times means the delivery is out of attempts", [attemptsArb,
    configArb], ([attempts, config]) => {
    expect(exhausted(attempts, config)).toBe(attempts > config.maxAttempts)
  }, runs)
})

describe("DeliveryPolicy: backoff with full jitter", () => {
  it.prop("the delay lies in [0, min(max, base·2^(n-1))] and is the random fraction of it", [attemptsArb, nowArb,
    randomArb, configArb], ([attempts, now, random, config]) => {
    const delay = ms(nextAttemptAt(attempts, now, random, config), now)
    const ceiling = Math.min(
      Duration.toMillis(config.maxDelay),
      Duration.toMillis(config.baseDelay) * 2 ** (attempts - 1)
    )
    expect(delay).toBeGreaterThanOrEqual(0)
    expect(delay).toBeLessThanOrEqual(ceiling)
    expect(delay).toBe(Math.floor(random * ceiling))
  }, runs)

  it.prop(
    "the ceiling doubles with each attempt until the cap, and never shrinks",
    [attemptsArb, configArb],
    ([attempts, config]) => {
      const a = backoffCeiling(attempts, config)
      const b = backoffCeiling(attempts + 1, config)
      expect(b).toBeGreaterThanOrEqual(a)
      expect(b === 2 * a || b === Duration.toMillis(config.maxDelay)).toBe(true)
    },
    runs
  )

  it.prop("the same inputs give the same time (pure)", [attemptsArb, nowArb, randomArb], ([attempts, now, random]) => {
    expect(nextAttemptAt(attempts, now, random, defaultRetryConfig)).toEqual(
      nextAttemptAt(attempts, now, random, defaultRetryConfig)
    )
  })

  it("the defaults: 2 s ceiling first, capped at 10 min", () => {
    expect(backoffCeiling(1, defaultRetryConfig)).toBe(2_000)
    expect(backoffCeiling(5, defaultRetryConfig)).toBe(32_000)
    expect(backoffCeiling(30, defaultRetryConfig)).toBe(600_000)
  })
})

interface Row {
  readonly id: number
  readonly destination: string
  readonly text: string
}

const rowsArb: fc.Arbitrary<ReadonlyArray<Row>> = fc.array(
  fc.record({
    destination: fc.constantFrom("+33600000001", "+33600000002", "+33600000003", "+33600000004", "+33600000005"),
    text: fc.constantFrom("Vigie: A", "Vigie: B", "Vigie: C")
  }),
  { maxLength: 200 }
).map((rows) => rows.map((r, id) => ({ ...r, id })))
const limitArb = fc.integer({ min: 1, max: 40 })

describe("DeliveryPolicy: batching", () => {
  it.prop("every row lands in exactly one batch", [rowsArb, limitArb], ([rows, limit]) => {
    const ids = smsBatches(rows, limit).flat().map((r) => r.id).sort((a, b) => a - b)
    expect(ids).toEqual(rows.map((r) => r.id))
  }, runs)

  it.prop(
    "a batch holds one text, at most `limit` rows, and no destination twice",
    [rowsArb, limitArb],
    ([rows, limit]) => {
      for (const batch of smsBatches(rows, limit)) {
        expect(batch.length).toBeGreaterThan(0)
        expect(batch.length).toBeLessThanOrEqual(limit)
        expect(new Set(batch.map((r) => r.text)).size).toBe(1)
        expect(new Set(batch.map((r) => r.destination)).size).toBe(batch.length)
      }
    },
    runs
  )

  it.prop("rows keep their order inside a batch", [rowsArb, limitArb], ([rows, limit]) => {
    for (const batch of smsBatches(rows, limit)) {
      const ids = batch.map((r) => r.id)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
    }
  }, runs)

  it("Plivo batches stop at 1,000 destinations, SES ones at 50, whatever limit is asked", () => {
    const rows = Array.from(
      { length: 2_500 },
      (_, i) => ({ id: i, destination: `+336${String(i).padStart(8, "0")}`, text: "x" })
    )
    expect(smsBatches(rows, 5_000).map((b) => b.length)).toEqual([1000, 1000, 500])
    expect(emailBatches(rows.slice(0, 120), 1_000).map((b) => b.length)).toEqual([50, 50, 20])
  })

  it("e-mail batches mix texts but never one address twice", () => {
    const rows = [
      { destination: "a@x.fr", text: "1" },
      { destination: "a@x.fr", text: "2" },
      { destination: "b@x.fr", text: "3" }
    ]
    expect(emailBatches(rows).map((b) => b.map((r) => r.text))).toEqual([["1", "3"], ["2"]])
    expect(() => batchesBy(rows, () => "", 0)).toThrow(RangeError)
  })
})
