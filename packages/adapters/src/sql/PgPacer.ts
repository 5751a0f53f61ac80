import { SqlClient } from "@effect/sql"
import { ProviderPace } from "@vigie/domain/delivery/ProviderPace"
import { PaceUnavailable } from "@vigie/domain/delivery/Pacing"
import type { PaceConfig, Pacer } from "@vigie/domain/delivery/Pacing"
import { Duration, Effect, Layer } from "effect"

/**
 * Admits `$2` messages on the bucket of provider `$1` in one statement: the domain's `admit`
 * (Pacing.ts) in SQL, refill then debit, under the row lock that `ON CONFLICT DO UPDATE` takes, so
 * concurrent admits from any number of processes are applied one after the other and never spend the
 * same tokens twice. A missing row is a full bucket (`full`). The instant is the database's clock
 * (`$5` only in the agreement test), taken once per statement: process clocks never enter, so a
 * skewed machine cannot overspend, and `at` never goes back (an admit that waited on the lock
 * behind a later one refills nothing). The rate and burst are the caller's (`$3`, `$4`), stored for
 * the next caller. The wait is what the debt costs at the rate, rounded up to the millisecond.
 */
const admitStatement = `
INSERT INTO provider_pace AS p (provider, tokens, at, rate, burst)
VALUES ($1, $4::float8 - $2::float8, coalesce($5::timestamptz, clock_timestamp()), $3::float8, $4::float8)
ON CONFLICT (provider) DO UPDATE SET
  tokens = CASE
    WHEN excluded.at > p.at THEN greatest(
      p.tokens,
      least(excluded.burst, p.tokens + (extract(epoch FROM excluded.at) - extract(epoch FROM p.at))::float8 * excluded.rate)
    )
    ELSE p.tokens
  END - $2::float8,
  at = greatest(p.at, excluded.at),
  rate = excluded.rate,
  burst = excluded.burst
RETURNING tokens, (extract(epoch FROM at) * 1000)::float8 AS at_millis,
  CASE WHEN tokens < 0 THEN ceil(-tokens / rate * 1000) ELSE 0 END AS wait_millis`

/** One admit as the database computed it: the bucket after, its instant (epoch ms) and the wait. */
export interface Admitted {
  readonly tokens: number
  readonly atMillis: number
  readonly waitMillis: number
}

/**
 * Runs the admit statement once. `now` replaces the database's clock (the agreement test only).
 */
export const admitOnce = (
  provider: string,
  n: number,
  config: PaceConfig,
  now?: Date
): Effect.Effect<Admitted, PaceUnavailable, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql.unsafe<{ tokens: number; at_millis: number; wait_millis: number }>(admitStatement, [
        provider,
        n,
        config.ratePerSecond,
        config.burst,
        now ?? null
      ])
  ).pipe(
    Effect.map(([row]) => ({
      tokens: Number(row!.tokens),
      atMillis: Number(row!.at_millis),
      waitMillis: Number(row!.wait_millis)
    })),
    Effect.catchAll((error) => new PaceUnavailable({ reason: String(error.message ?? error) })),
    Effect.withSpan("PgPacer.admit", { attributes: { provider, n } })
  )

/**
 * A Pacer on the shared bucket of `provider`. Every process must be configured with the same rate
 * (SMS_RATE_PER_SECOND is the account's); when they differ, each admit refills at its caller's rate
 * and the row keeps the last caller's, so the account sees at most the highest configured rate. A
 * process that finds another rate in the row says so in a warning at start.
 */
export const make = (provider: string, config: PaceConfig): Effect.Effect<Pacer, never, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    if (!(config.ratePerSecond > 0) || !Number.isFinite(config.ratePerSecond) || !(config.burst >= 1)) {
      return yield* Effect.dieMessage("a shared pace needs a positive, finite rate and a burst of at least 1")
    }
    const sql = yield* SqlClient.SqlClient
    yield* sql<{ rate: number; burst: number }>`SELECT rate, burst FROM provider_pace WHERE provider = ${provider}`
      .pipe(
        Effect.flatMap(([row]) =>
          row !== undefined && (Number(row.rate) !== config.ratePerSecond || Number(row.burst) !== config.burst)
            ? Effect.logWarning(
              "another process paces this provider at another rate: every process must be configured alike"
            ).pipe(Effect.annotateLogs({
              provider,
              rate: config.ratePerSecond,
              burst: config.burst,
              otherRate: Number(row.rate),
              otherBurst: Number(row.burst)
            }))
            : Effect.void
        ),
        Effect.catchAllCause((cause) => Effect.logWarning("could not read the shared pace", cause))
      )
    return {
      admit: (n) =>
        n <= 0 ? Effect.void : admitOnce(provider, n, config).pipe(
          Effect.flatMap(({ waitMillis }) => waitMillis > 0 ? Effect.sleep(Duration.millis(waitMillis)) : Effect.void),
          Effect.provideService(SqlClient.SqlClient, sql)
        )
    }
  })

/** ProviderPace on PostgreSQL (a real server, or the embedded one: the same statement works on both). */
export const layer: Layer.Layer<ProviderPace, never, SqlClient.SqlClient> = Layer.effect(
  ProviderPace,
  Effect.map(SqlClient.SqlClient, (sql) =>
    ProviderPace.of({
      pacer: (provider, config) => make(provider, config).pipe(Effect.provideService(SqlClient.SqlClient, sql))
    }))
)
