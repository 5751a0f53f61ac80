import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const outcomes = [
  "alert_published",
  "alert_held",
  "rate_limited",
  "refused",
  "stopped",
  "already_stopped",
  "started",
  "help",
  "empty",
  "unknown_sender",
  "unverified_member",
  "suppressed_sender",
  "inactive_account",
  "invalid_sender"
]
const replyKinds = ["alert_published", "alert_held", "rate_limited", "stopped", "started", "help", "join", "pending"]

/**
 * The SMS gateway. `inbound_sms`: one row per Plivo MessageUUID (the primary key makes a retried
 * webhook a no-op), what became of it, and its reply, stored in the same transaction and sent after
 * the commit: pending → sending (leased; `reply_next_attempt_at` is then the lease's end) → sent, or
 * failed, or cancelled. `sms_reply_throttle`: when a throttled reply (join ...) last went to a number.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE inbound_sms (
    message_uuid text PRIMARY KEY CHECK (message_uuid ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
    from_number text NOT NULL CHECK (char_length(from_number) <= 64),
    to_number text NOT NULL CHECK (char_length(to_number) <= 64),
    text text NOT NULL CHECK (char_length(text) <= 4000),
    type text NOT NULL CHECK (char_length(type) <= 16),
    received_at timestamptz NOT NULL,
    outcome text CHECK (${oneOf("outcome", outcomes)}),
    alert_id uuid REFERENCES alerts (id),
    reply_kind text CHECK (${oneOf("reply_kind", replyKinds)}),
    reply_to text CHECK (reply_to ~ '^\\+[1-9][0-9]{6,14}$'),
    reply_text text CHECK (char_length(reply_text) BETWEEN 1 AND 1600),
    reply_status text CHECK (${oneOf("reply_status", ["pending", "sending", "sent", "failed", "cancelled"])}),
    reply_attempts integer NOT NULL DEFAULT 0 CHECK (reply_attempts >= 0),
    reply_next_attempt_at timestamptz,
    reply_provider_id text,
    reply_error text,
    reply_sent_at timestamptz,
    CONSTRAINT inbound_sms_reply_whole CHECK (
      (reply_status IS NULL AND reply_kind IS NULL AND reply_to IS NULL AND reply_text IS NULL)
      OR (reply_status IS NOT NULL AND reply_kind IS NOT NULL AND reply_to IS NOT NULL AND reply_text IS NOT NULL)
    ),
    CONSTRAINT inbound_sms_reply_due CHECK (reply_status NOT IN ('pending', 'sending') OR reply_next_attempt_at IS NOT NULL)
  )`,
  `CREATE INDEX inbound_sms_replies_due ON inbound_sms (reply_next_attempt_at) WHERE reply_status IN ('pending', 'sending')`,
  `CREATE INDEX inbound_sms_from ON inbound_sms (from_number, received_at)`,
  `CREATE INDEX inbound_sms_alert ON inbound_sms (alert_id) WHERE alert_id IS NOT NULL`,
  `CREATE TABLE sms_reply_throttle (
    phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
    kind text NOT NULL CHECK (${oneOf("kind", replyKinds)}),
    last_sent_at timestamptz NOT NULL,
    PRIMARY KEY (phone, kind)
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
