import { assert, describe, it, layer } from "@effect/vitest"
import * as MemoryRateCounters from "@vigie/adapters/limits/MemoryRateCounters"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import { RateCounters, windowAt } from "@vigie/domain/shared/RateCounters"
import { Effect } from "effect"
import type { Vitest } from "@effect/vitest"
import { describeEachDatabase } from "../support/TestDatabase"

const HOUR = 3_600_000

/** What every RateCounters adapter must do; `it` provides the adapter. */
const contract = (it: Vitest.MethodsNonLive<RateCounters>) => {
  it.effect("of 12 concurrent hits on a bucket of 5, exactly 5 pass; another key is counted apart", () =>
    Effect.gen(function*() {
      const counters = yield* RateCounters
      const outcomes = yield* Effect.all(
        Array.from({ length: 12 }, () => counters.hit([{ key: "a:1", limit: 5 }], HOUR)),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(outcomes.filter((o) => o._tag === "Allowed").length, 5)
      const refused = outcomes.find((o) => o._tag === "Limited")
      assert.isTrue(
        refused?._tag === "Limited" && refused.key === "a:1" && refused.retryAfterSeconds >= 1 &&
          refused.retryAfterSeconds <= 3600
      )
      assert.strictEqual((yield* counters.hit([{ key: "a:2", limit: 5 }], HOUR))._tag, "Allowed")
    }))

  it.effect("stops at the first bucket over its limit: the next one is not used up", () =>
    Effect.gen(function*() {
      const counters = yield* RateCounters
      const buckets = (address: string) => [{ key: `b:addr:${address}`, limit: 2 }, { key: "b:all", limit: 3 }]
      assert.strictEqual((yield* counters.hit(buckets("x"), HOUR))._tag, "Allowed")
      assert.strictEqual((yield* counters.hit(buckets("x"), HOUR))._tag, "Allowed")
      // x is over its own limit four times: the platform bucket still has one left.
      for (let i = 0; i < 4; i++) assert.deepInclude(yield* counters.hit(buckets("x"), HOUR), { key: "b:addr:x" })
      assert.strictEqual((yield* counters.hit(buckets("y"), HOUR))._tag, "Allowed")
      assert.deepInclude(yield* counters.hit(buckets("z"), HOUR), { _tag: "Limited", key: "b:all" })
    }))

  it.effect("a cost counts as that many hits", () =>
    Effect.gen(function*() {
      const counters = yield* RateCounters
      assert.strictEqual((yield* counters.hit([{ key: "c", limit: 4 }], HOUR, 3))._tag, "Allowed")
      assert.strictEqual((yield* counters.hit([{ key: "c", limit: 4 }], HOUR, 2))._tag, "Limited")
    }))
}

describe("windowAt", () => {
  it("gives the window's start and the seconds left, at least one", () => {
    assert.deepStrictEqual(windowAt(125_500, 60_000), { start: 120_000, retryAfterSeconds: 55 })
    assert.deepStrictEqual(windowAt(179_999, 60_000), { start: 120_000, retryAfterSeconds: 1 })
    assert.deepStrictEqual(windowAt(180_000, 60_000), { start: 180_000, retryAfterSeconds: 60 })
  })
})

layer(MemoryRateCounters.layer, { excludeTestServices: true })(
  "MemoryRateCounters, in one process",
  (it) => contract(it as unknown as Vitest.MethodsNonLive<RateCounters>)
)

describeEachDatabase("PgRateCounters", (it) => {
  it.layer(PgRateCounters.layer)(
    "shared by every process",
    (it) => contract(it as unknown as Vitest.MethodsNonLive<RateCounters>)
  )
})
