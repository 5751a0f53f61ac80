import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Limits that hold under concurrency (issue 12):
 * - `login_devices`: browsers that logged in successfully (their device cookie, stored only as its
 *   keyed hash, bound to one account); a log-in from one counts its failures apart from everyone else's.
 * - `verification_sms`: one row per verification SMS sent (phone codes and any later kind), with the
 *   account and the keyed hash of the client's address, for the daily budgets per account, per
 *   address and for the whole platform.
 * - `referent_bulletins.billed_segments`: what a bulletin's SMS cost, counted in the commune's
 *   monthly SMS budget with its town alerts.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE login_devices (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL
  )`,
  `CREATE INDEX login_devices_account ON login_devices (account_id)`,
  `CREATE TABLE verification_sms (
    id bigserial PRIMARY KEY,
    account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    client_key bytea NOT NULL,
    purpose text NOT NULL,
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX verification_sms_account ON verification_sms (account_id, created_at)`,
  `CREATE INDEX verification_sms_client ON verification_sms (client_key, created_at)`,
  `CREATE INDEX verification_sms_time ON verification_sms (created_at)`,
  `ALTER TABLE referent_bulletins ADD COLUMN sms_segments integer NOT NULL DEFAULT 0 CHECK (sms_segments >= 0)`,
  `ALTER TABLE referent_bulletins ADD COLUMN billed_segments integer NOT NULL DEFAULT 0 CHECK (billed_segments >= 0)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
