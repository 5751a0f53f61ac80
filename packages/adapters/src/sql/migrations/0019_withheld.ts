import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * A withheld delivery gets a status of its own (issue 13, item 2): a delivery of an alert hidden by
 * moderation before it was sent is `withheld` (it was stored `dead` with a marker in `last_error`),
 * so statistics count it apart from the failures and a restore gives back exactly those rows.
 * The existing marked rows become `withheld`, their marker cleared.
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld'))`,
  `UPDATE deliveries SET status = 'withheld', last_error = NULL
    WHERE status = 'dead' AND last_error = 'withheld: the alert was hidden by moderation before this was sent'`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
