import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Sessions (found by the keyed hash of their token, never the token itself) and failed logins
 * counted per login key (the keyed hash of the e-mail address, known or not).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
  )`,
  `CREATE INDEX sessions_account ON sessions (account_id)`,
  `CREATE INDEX sessions_expiry ON sessions (expires_at)`,
  `CREATE TABLE login_failures (
    login_key bytea PRIMARY KEY,
    failures integer NOT NULL CHECK (failures > 0),
    last_failure_at timestamptz NOT NULL
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
