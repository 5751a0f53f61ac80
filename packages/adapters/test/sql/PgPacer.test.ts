import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import { admit, full } from "@vigie/domain/delivery/Pacing"
import type { BucketState, PaceConfig } from "@vigie/domain/delivery/Pacing"
import { Duration, Effect, FastCheck as fc } from "effect"
import { agree } from "../support/Agreement.js"
import { describeEachDatabase } from "../support/TestDatabase"

/**
 * The shared token bucket (PgPacer's one statement) against the domain's `admit`: the same bucket and
 * the same wait on generated states, instants, rates and batches; and concurrent admits from many
 * fibers (many connections on a real server) never release more than `burst + rate · T` in any span.
 */

/** Token counts as the bucket holds them: thousandths, and arbitrary doubles away from the subnormals. */
const tokensArb = fc.oneof(
  fc.integer({ min: -2_000_000, max: 2_000_000 }).map((t) => t / 1000),
  fc.double({ min: -5000, max: 5000, noNaN: true }).filter((t) => t === 0 || Math.abs(t) > 1e-9)
)

const configArb: fc.Arbitrary<PaceConfig> = fc.record({
  ratePerSecond: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.01, max: 5000, noNaN: true })),
  burst: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 2000, noNaN: true }))
})

const caseArb = fc.record({
  /** The bucket before, or none (its first admit). */
  before: fc.option(fc.record({ tokens: tokensArb, at: fc.integer({ min: 0, max: 1_000_000_000 }) }), {
    nil: undefined
  }),
  /** The admit's instant, relative to the bucket's (before it: a statement that waited on the lock). */
  later: fc.oneof(fc.integer({ min: -5_000, max: 5_000 }), fc.integer({ min: -100, max: 3_600_000 })),
  n: fc.integer({ min: 1, max: 1000 }),
  config: configArb
})

const EPOCH = Date.UTC(2027, 0, 1)
const PROVIDER = "agreement"

describeEachDatabase("PgPacer", (it) => {
  it.effect("the SQL admit agrees with the domain's admit: same bucket after, same wait, to the bit", () =>
    agree(
      caseArb,
      ({ before, config, later, n }) =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`DELETE FROM provider_pace WHERE provider = ${PROVIDER}`
          const bucketAt = EPOCH + (before?.at ?? 0)
          const now = bucketAt + later
          if (before !== undefined) {
            yield* sql`INSERT INTO provider_pace ${
              sql.insert({
                provider: PROVIDER,
                tokens: before.tokens,
                at: new Date(bucketAt),
                rate: config.ratePerSecond,
                burst: config.burst
              })
            }`
          }
          const state: BucketState = before === undefined ? full(config, now) : { tokens: before.tokens, at: bucketAt }
          const expected = admit(state, n, now, config)
          const got = yield* PgPacer.admitOnce(PROVIDER, n, config, new Date(now))
          assert.deepStrictEqual(
            { tokens: got.tokens, at: got.atMillis, wait: got.waitMillis },
            { tokens: expected.state.tokens, at: expected.state.at, wait: expected.waitMillis }
          )
        }),
      300
    ))

  it.effect("concurrent admits (8 fibers, each sending when told) never release more than burst + rate · T", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`DELETE FROM provider_pace WHERE provider = 'concurrent'`
      const config: PaceConfig = { ratePerSecond: 1000, burst: 20 }
      const releases: Array<{ at: number; n: number }> = []
      let waited = 0
      yield* Effect.forEach(
        Array.from({ length: 8 }, (_, fiber) => fiber),
        (fiber) =>
          Effect.forEach(
            Array.from({ length: 25 }, (_, i) => 1 + ((fiber * 7 + i * 13) % 20)),
            (n) =>
              PgPacer.admitOnce("concurrent", n, config).pipe(
                Effect.tap(({ atMillis, waitMillis }) => {
                  releases.push({ at: atMillis + waitMillis, n })
                  if (waitMillis > 0) waited++
                }),
                Effect.flatMap(({ waitMillis }) => Effect.sleep(Duration.millis(waitMillis)))
              ),
            { discard: true }
          ),
        { concurrency: "unbounded", discard: true }
      )
      assert.strictEqual(releases.length, 200)
      releases.sort((a, b) => a.at - b.at)
      let worst = -Infinity
      for (let i = 0; i < releases.length; i++) {
        let sum = 0
        for (let j = i; j < releases.length; j++) {
          sum += releases[j]!.n
          const bound = config.burst + (config.ratePerSecond * (releases[j]!.at - releases[i]!.at)) / 1000
          // Waits are rounded up to the millisecond: one millisecond of the rate is the slack.
          worst = Math.max(worst, sum - bound)
        }
      }
      assert.isAtMost(worst, config.ratePerSecond / 1000 + 1e-6, "a span released more than burst + rate · T")
      // And the fibers did have to wait: 2,100 messages at 1,000/s cannot go at once.
      assert.isAbove(waited, 100)
    }))
}, { timeout: "120 seconds" })
