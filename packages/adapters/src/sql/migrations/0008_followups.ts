import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Near-duplicate follow-ups and closing messages (issue 4).
 * - `alerts.followup_of`: the earlier alert that this one confirms (DuplicatePolicy.originalOf). A
 *   follow-up is stored and shown, but not fanned out as a full alert.
 * - `messages_one_followup`: at most one 'followup' message per original, so that a third, fourth ...
 *   similar alert adds nothing for the recipients ('alert' and 'closing' are already once per alert).
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE alerts ADD COLUMN followup_of uuid REFERENCES alerts (id)
    CONSTRAINT alerts_followup_of_other CHECK (followup_of <> id)`,
  `CREATE INDEX alerts_followups ON alerts (followup_of) WHERE followup_of IS NOT NULL`,
  `CREATE UNIQUE INDEX messages_one_followup ON messages (alert_id) WHERE kind = 'followup'`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
