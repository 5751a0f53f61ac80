import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const hideReasons = ["profiling", "personal_data", "false_or_unverifiable", "off_topic", "insulting", "duplicate",
  "other"]

const columns = "reviewed_at, reviewed_by, hidden_reason, hidden_details, hidden_by, hidden_by_role, hidden_at, " +
  "hidden_from, hidden_pending"

/**
 * The moderation state of an alert moves to a table the moderation context owns (issue 13, item 3:
 * no repository writes another context's tables): `alert_moderation` holds, per alert, whether a
 * moderator reviewed it (`reviewed_*`) and why it is hidden (`hidden_*`), with the columns, checks
 * and constraints they had on `alerts` (migration 0011). An alert without a row is unreviewed and
 * not hidden. The rows of the alerts that had any of them set are copied, then the columns, their
 * constraints and indexes leave `alerts`. The queue's unreviewed section now reads the published
 * residents' alerts (a partial index, small: resolved alerts leave it) joined to this table.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE alert_moderation (
    alert_id uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    reviewed_at timestamptz,
    reviewed_by uuid REFERENCES accounts (id),
    hidden_reason text CHECK (${oneOf("hidden_reason", hideReasons)}),
    hidden_details text CHECK (char_length(hidden_details) BETWEEN 1 AND 1000),
    hidden_by uuid REFERENCES accounts (id),
    hidden_by_role text CHECK (${oneOf("hidden_by_role", ["moderator", "referent"])}),
    hidden_at timestamptz,
    hidden_from text CHECK (${oneOf("hidden_from", ["held_for_review", "published", "resolved"])}),
    hidden_pending boolean NOT NULL DEFAULT false,
    CONSTRAINT alert_moderation_reviewed_whole CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)),
    CONSTRAINT alert_moderation_hidden_whole CHECK (
      (hidden_reason IS NULL) = (hidden_by IS NULL) AND (hidden_reason IS NULL) = (hidden_at IS NULL)
      AND (hidden_reason IS NULL) = (hidden_from IS NULL) AND (hidden_reason IS NULL) = (hidden_by_role IS NULL)
      AND (hidden_reason IS NOT NULL OR NOT hidden_pending))
  )`,
  `INSERT INTO alert_moderation (alert_id, ${columns})
    SELECT id, ${columns} FROM alerts
    WHERE num_nonnulls(reviewed_at, reviewed_by, hidden_reason, hidden_details, hidden_by, hidden_by_role, hidden_at,
      hidden_from) > 0 OR hidden_pending`,
  `CREATE INDEX alert_moderation_hidden_by ON alert_moderation (hidden_by) WHERE hidden_by IS NOT NULL`,
  `DROP INDEX alerts_hidden_by`,
  `DROP INDEX alerts_unreviewed_queue`,
  `CREATE INDEX alerts_published_residents ON alerts (created_at, id)
    WHERE status = 'published' AND origin IN ('web', 'sms')`,
  `ALTER TABLE alerts
    DROP CONSTRAINT alerts_reviewed_whole,
    DROP CONSTRAINT alerts_hidden_whole,
    ${columns.split(", ").map((column) => `DROP COLUMN ${column}`).join(",\n    ")}`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
