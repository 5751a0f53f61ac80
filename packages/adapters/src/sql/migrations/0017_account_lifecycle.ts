import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The account lifecycle (issue 12, item 9):
 * - `password_resets`: a forgotten-password link (channel 'email': the keyed hash of its token,
 *   unique) or SMS code (channel 'sms': the keyed hash of "phone:code"); never the secret itself.
 *   pending → used, superseded (a newer one of the same channel, or a change of password) or locked
 *   (an SMS code after 5 wrong tries).
 * - `account_quotas`: one counter per account and purpose (password-reset requests), taken in the
 *   same statement that issues the reset, so concurrent requests count one after the other.
 * - `account_locks`: a row per account and purpose, locked by the use cases that read a count and
 *   then write (checking the current password, asking for an e-mail change).
 * - `email_changes`: an asked change of address, with the keyed hash of the link sent to the new
 *   address (none when that address was already another account's: no link went out).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE password_resets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    secret_hash bytea NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'used', 'superseded', 'locked')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE UNIQUE INDEX password_resets_link_key ON password_resets (secret_hash) WHERE channel = 'email'`,
  `CREATE INDEX password_resets_account ON password_resets (account_id, channel, created_at)`,
  `CREATE TABLE account_quotas (
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('password_reset')),
    window_start timestamptz NOT NULL,
    used integer NOT NULL CHECK (used > 0),
    last_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, purpose)
  )`,
  `CREATE TABLE account_locks (
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('password_check', 'email_change')),
    PRIMARY KEY (account_id, purpose)
  )`,
  `CREATE TABLE email_changes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    new_email text NOT NULL CHECK (char_length(new_email) BETWEEN 3 AND 254),
    token_hash bytea,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'used', 'superseded')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT email_changes_link_pending CHECK (token_hash IS NOT NULL OR status <> 'pending')
  )`,
  `CREATE UNIQUE INDEX email_changes_token_key ON email_changes (token_hash) WHERE token_hash IS NOT NULL`,
  `CREATE INDEX email_changes_account ON email_changes (account_id, created_at)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
