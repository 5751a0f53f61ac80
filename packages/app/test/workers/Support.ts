import { SqlClient } from "@effect/sql"
import { Duration, Effect, Schedule } from "effect"
import { statusCounts } from "../../src/bench/DeliverySeed.js"

export const truncateDeliveries = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`TRUNCATE deliveries, messages, alerts, communities, accounts CASCADE`
})

/** Waits until no delivery is pending or sending (or fails after `within`). */
export const drained = (within: Duration.DurationInput = Duration.seconds(60)) =>
  statusCounts.pipe(
    Effect.filterOrFail((c) => (c["pending"] ?? 0) + (c["sending"] ?? 0) === 0, () => "not drained yet"),
    Effect.retry(Schedule.spaced(Duration.millis(50))),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error("deliveries were not drained in time") })
  )

export const until = (condition: () => boolean, within: Duration.DurationInput = Duration.seconds(30)) =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.fail("no"))).pipe(
    Effect.retry(Schedule.spaced(Duration.millis(10))),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error("condition not met in time") })
  )

export const rows = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ destination: string; status: string; attempts: number; last_error: string | null; provider_id: string | null; channel: string }>`
    SELECT destination, status, attempts, last_error, provider_id, channel FROM deliveries ORDER BY id`
})
