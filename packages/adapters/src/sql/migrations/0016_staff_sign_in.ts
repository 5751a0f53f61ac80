import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Staff sign-in (issue 12): each staff account's second factor (the TOTP secret sealed with the
 * server key, the last time step used, failures in a row), its recovery codes and second-step
 * challenges (keyed hashes only), and invitations to choose a password (keyed hashes, 7 days).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE second_factors (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed_secret bytea,
    pending_sealed_secret bytea,
    enrolled_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0,
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failure_at timestamptz,
    CHECK (enrolled_at IS NULL OR sealed_secret IS NOT NULL)
  )`,
  `CREATE TABLE recovery_codes (
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (account_id, code_hash)
  )`,
  `CREATE TABLE sign_in_challenges (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX sign_in_challenges_account ON sign_in_challenges (account_id)`,
  `CREATE TABLE staff_invitations (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE INDEX staff_invitations_account ON staff_invitations (account_id)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
