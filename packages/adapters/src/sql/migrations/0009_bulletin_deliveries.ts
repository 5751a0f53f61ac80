import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Bulletins to référents go out by SMS and e-mail through the delivery engine (issue 8, item 4).
 * - A message and its deliveries are about an alert or about a bulletin, exactly one of the two:
 *   `alert_id` becomes nullable, `bulletin_id` (referent_bulletins) is added, and
 *   `*_one_subject` checks that exactly one is set.
 * - `messages.kind` gains 'bulletin' (the CHECK of 0001, named by PostgreSQL `messages_kind_check`).
 * - One message per bulletin (`messages_one_bulletin`); `deliveries_once` (message, account, channel)
 *   is unchanged, so a référent of several chosen communities is written once per channel.
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE messages ALTER COLUMN alert_id DROP NOT NULL`,
  `ALTER TABLE messages ADD COLUMN bulletin_id uuid REFERENCES referent_bulletins (id)`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject CHECK (num_nonnulls(alert_id, bulletin_id) = 1)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin') AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL)))`,
  `CREATE UNIQUE INDEX messages_one_bulletin ON messages (bulletin_id) WHERE bulletin_id IS NOT NULL`,
  `ALTER TABLE deliveries ALTER COLUMN alert_id DROP NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN bulletin_id uuid REFERENCES referent_bulletins (id)`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject CHECK (num_nonnulls(alert_id, bulletin_id) = 1)`,
  `CREATE INDEX deliveries_bulletin ON deliveries (bulletin_id) WHERE bulletin_id IS NOT NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
