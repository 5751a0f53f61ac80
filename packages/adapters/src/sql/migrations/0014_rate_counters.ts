import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Counters of the limits at the edge (issue 12, item 2): hits per bucket ("auth:addr:203.0.113.7",
 * "auth:all") and fixed window, shared by every app process. Unlogged: a crash forgets them, which
 * only resets the windows in progress, and their writes cost no WAL. Ended windows are swept by the
 * counting itself (`expires_at`).
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
CREATE UNLOGGED TABLE rate_counters (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (bucket, window_start)
)`
  yield* sql`CREATE INDEX rate_counters_expiry ON rate_counters (expires_at)`
})
