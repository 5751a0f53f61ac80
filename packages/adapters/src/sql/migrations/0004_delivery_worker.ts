import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Delivery workers claim per channel, oldest due first: `(channel, next_attempt_at)` over the rows a
 * worker may take (pending, or sending under a lease, whose `next_attempt_at` is then the lease's end,
 * see PgDeliveryRepo). It replaces `deliveries_due`, which led with the time only, so a fan-out still
 * maintains one index for the workers.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX deliveries_claim ON deliveries (channel, next_attempt_at) WHERE status IN ('pending', 'sending')`
  yield* sql`DROP INDEX IF EXISTS deliveries_due`
})
