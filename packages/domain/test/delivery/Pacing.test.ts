import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, FastCheck as fc, TestClock } from "effect"
import { admit, claimSize, full, makePacer, refill } from "../../src/delivery/Pacing.js"
import type { BucketState, PaceConfig } from "../../src/delivery/Pacing.js"

const runs = { fastCheck: { numRuns: 300 } }

const configArb: fc.Arbitrary<PaceConfig> = fc.record({
  ratePerSecond: fc.integer({ min: 1, max: 1000 }),
  burst: fc.integer({ min: 1, max: 1000 })
})
const batchesArb = fc.array(
  fc.record({ n: fc.integer({ min: 1, max: 1200 }), gap: fc.integer({ min: 0, max: 5_000 }) }),
  { minLength: 1, maxLength: 60 }
)

/** Plays a sequence of batches through the pure bucket; each batch goes out after its wait. */
const play = (config: PaceConfig, batches: ReadonlyArray<{ n: number; gap: number }>) => {
  let state: BucketState = full(config, 0)
  let clock = 0
  const sends: Array<{ at: number; n: number }> = []
  for (const { gap, n } of batches) {
    clock += gap
    const next = admit(state, n, clock, config)
    state = next.state
    clock += next.waitMillis
    sends.push({ at: clock, n })
  }
  return sends
}

describe("Pacing: the token bucket", () => {
  it.prop("no span of T seconds sends more than burst + rate·T messages (plus one batch's rounding)", [configArb,
    batchesArb], ([config, batches]) => {
    const sends = play(config, batches)
    for (let i = 0; i < sends.length; i++) {
      let sum = 0
      for (let j = i; j < sends.length; j++) {
        sum += sends[j]!.n
        const span = (sends[j]!.at - sends[i]!.at) / 1000
        // A batch larger than the burst is admitted whole once the bucket has paid it off.
        const bound = Math.max(config.burst, sends[i]!.n) + config.ratePerSecond * span + config.ratePerSecond / 1000
        expect(sum).toBeLessThanOrEqual(bound + sends[j]!.n)
      }
    }
  }, runs)

  it.prop("back to back, a batch of N waits N / rate once the burst is spent", [configArb,
    fc.integer({ min: 1, max: 1000 })], ([config, n]) => {
    let state: BucketState = { tokens: 0, at: 0 }
    const first = admit(state, n, 0, config)
    state = first.state
    expect(first.waitMillis).toBe(Math.ceil((n / config.ratePerSecond) * 1000))
    const second = admit(state, n, first.waitMillis, config)
    expect(Math.abs(second.waitMillis - (n / config.ratePerSecond) * 1000)).toBeLessThanOrEqual(1 + 1e-6)
  }, runs)

  it.prop(
    "a long stream runs at the configured rate: batch k goes when the burst and the rate allow, to the millisecond",
    [configArb, fc.integer({ min: 1, max: 100 })],
    ([config, n]) => {
      const count = Math.ceil((2 * config.burst) / n) + 20
      const sends = play(config, Array.from({ length: count }, () => ({ n, gap: 0 })))
      let cumulative = 0
      for (const send of sends) {
        cumulative += send.n
        const ideal = Math.max(0, ((cumulative - config.burst) / config.ratePerSecond) * 1000)
        expect(Math.abs(send.at - ideal)).toBeLessThanOrEqual(1 + 1e-6)
      }
    },
    runs
  )

  it.prop("refilling never exceeds the burst and never goes back in time", [configArb,
    fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 100_000 })], ([config, tokens, later]) => {
    const s = refill({ tokens, at: 1000 }, 1000 + later, config)
    expect(s.tokens).toBeLessThanOrEqual(Math.max(config.burst, tokens))
    expect(s.tokens).toBeGreaterThanOrEqual(tokens)
    expect(refill(s, 0, config)).toEqual(s)
  }, runs)

  it("claims about a window's worth at the rate, within the provider limit", () => {
    expect(claimSize({ ratePerSecond: 5, burst: 5 }, Duration.seconds(1), 1000)).toBe(5)
    expect(claimSize({ ratePerSecond: 0.2, burst: 1 }, Duration.seconds(1), 1000)).toBe(1)
    expect(claimSize({ ratePerSecond: 1e9, burst: 1 }, Duration.seconds(1), 1000)).toBe(1000)
  })

  it.effect("the Effect pacer waits on the Clock: at 5/s, 5 go at once, the next 10 take 2 s", () =>
    Effect.gen(function*() {
      const pacer = yield* makePacer({ ratePerSecond: 5, burst: 5 })
      yield* pacer.admit(5)
      const fiber = yield* Effect.fork(pacer.admit(10))
      yield* TestClock.adjust(Duration.millis(1999))
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(Duration.millis(1))
      yield* Fiber.join(fiber)
    }))
})
