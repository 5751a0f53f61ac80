import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * "J'y vais" and "Vu" marks on alerts (issue 6): one row per (alert, account, kind), so that setting
 * a mark twice is a no-op by the primary key itself. Marks go with their alert or account.
 * `alert_reactions_account` serves "my marks" and erasure.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE alert_reactions (
    alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('going', 'seen')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (alert_id, account_id, kind)
  )`,
  `CREATE INDEX alert_reactions_account ON alert_reactions (account_id)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
