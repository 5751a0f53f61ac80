import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The token bucket of each provider account, shared by every process that sends through it (issue 18,
 * item 3): `tokens` at instant `at` (the database's clock), refilled at `rate` per second up to
 * `burst`, negative while admitted messages are paid off. `rate` and `burst` are those of the last
 * process that drew on it. One row per provider, updated by one statement per provider call
 * (PgPacer): a handful of writes per second, cheap to log.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
CREATE TABLE provider_pace (
  provider text PRIMARY KEY,
  tokens double precision NOT NULL,
  at timestamptz NOT NULL,
  rate double precision NOT NULL CHECK (rate > 0),
  burst double precision NOT NULL CHECK (burst >= 1)
)`
})
