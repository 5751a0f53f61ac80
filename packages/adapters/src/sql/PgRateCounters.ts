import { SqlClient } from "@effect/sql"
import { RateCounters, windowAt } from "@vigie/domain/shared/RateCounters"
import type { RateOutcome } from "@vigie/domain/shared/RateCounters"
import { Clock, Effect, Layer, Random } from "effect"
import { mapFailures } from "./SqlFailure"

/** One hit in about this many also deletes the windows that have ended. */
const SWEEP_ONE_IN = 200

/**
 * Counters in PostgreSQL (`rate_counters`, unlogged), shared by every app process: one upsert per
 * bucket that counts and returns the new count in the same statement, so concurrent requests each
 * see their own number. A counting failure lets the request through (logged): a database that is
 * down must not turn into a lock-out, and the request fails further on anyway.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const sweep = sql`DELETE FROM rate_counters WHERE expires_at < now()`.pipe(Effect.asVoid)
  const count = (key: string, start: number, windowMillis: number, cost: number) =>
    sql<{ hits: number }>`
INSERT INTO rate_counters (bucket, window_start, hits, expires_at)
VALUES (${key}, ${new Date(start)}, ${cost}, ${new Date(start + windowMillis)})
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + excluded.hits
RETURNING hits`.pipe(Effect.map((rows) => rows[0]?.hits ?? cost))
  const hit: RateCounters["Type"]["hit"] = (buckets, windowMillis, cost = 1) =>
    Effect.gen(function*() {
      const { retryAfterSeconds, start } = windowAt(yield* Clock.currentTimeMillis, windowMillis)
      if ((yield* Random.nextIntBetween(0, SWEEP_ONE_IN)) === 0) yield* sweep
      for (const bucket of buckets) {
        const hits = yield* count(bucket.key, start, windowMillis, cost)
        if (hits > bucket.limit) return { _tag: "Limited", key: bucket.key, retryAfterSeconds } satisfies RateOutcome
      }
      return { _tag: "Allowed" } satisfies RateOutcome
    }).pipe(
      mapFailures(),
      Effect.catchAllDefect((defect) =>
        Effect.logError("Rate counters unavailable: request let through", defect).pipe(
          Effect.as({ _tag: "Allowed" } as const)
        )
      ),
      Effect.withSpan("PgRateCounters.hit")
    )
  return RateCounters.of({ hit })
})

export const layer = Layer.effect(RateCounters, make)
