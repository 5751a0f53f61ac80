import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The members' data lifecycle (issue 12, item 10).
 * - `accounts.last_active_at` (a log-in or a session in use; back-filled from the sessions),
 *   `inactivity_warned_at` (the e-mail sent before an inactive account is erased) and `erased_at`.
 * - Deliveries gain the final status 'cancelled': a delivery to a person who erased their account
 *   before it went out. It stays, with its destination blanked, so nothing is silently dropped.
 * - `inbound_sms.anonymised_at`: after the retention period the sender, the text and the reply's
 *   destination and text are blanked; the reply CHECK then allows the reply's destination and text
 *   to be empty.
 * - `retention_runs`: when each retention job last ran, so that all app processes together run it
 *   once per period (under an advisory lock, see PgRetention).
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE accounts
    ADD COLUMN last_active_at timestamptz,
    ADD COLUMN inactivity_warned_at timestamptz,
    ADD COLUMN erased_at timestamptz`,
  `UPDATE accounts a SET last_active_at = s.seen FROM (
     SELECT account_id, max(last_seen_at) AS seen FROM sessions GROUP BY account_id
   ) s WHERE s.account_id = a.id`,
  `CREATE INDEX accounts_inactive ON accounts (coalesce(last_active_at, created_at)) WHERE status <> 'erased'`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'dead', 'cancelled'))`,
  `CREATE INDEX deliveries_account ON deliveries (account_id)`,
  `CREATE INDEX deliveries_created ON deliveries (created_at) WHERE destination <> ''`,
  `ALTER TABLE inbound_sms ADD COLUMN anonymised_at timestamptz`,
  `ALTER TABLE inbound_sms DROP CONSTRAINT inbound_sms_reply_whole`,
  `ALTER TABLE inbound_sms ADD CONSTRAINT inbound_sms_reply_whole CHECK (
      (reply_status IS NULL AND reply_kind IS NULL AND reply_to IS NULL AND reply_text IS NULL)
      OR (reply_status IS NOT NULL AND reply_kind IS NOT NULL
        AND ((reply_to IS NOT NULL AND reply_text IS NOT NULL) OR anonymised_at IS NOT NULL))
    )`,
  `CREATE INDEX inbound_sms_received ON inbound_sms (received_at) WHERE anonymised_at IS NULL`,
  `CREATE TABLE retention_runs (
    job text PRIMARY KEY CHECK (char_length(job) BETWEEN 1 AND 40),
    last_run_at timestamptz NOT NULL
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
