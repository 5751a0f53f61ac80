import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The claim code by letter (issue 14, item 5): a neighbour registered on paper whose phone is a
 * landline (or who asks for a letter) receives at their registered home a code to claim their web
 * account. One row per letter: the keyed hash of the code (its own hash purpose), when it expires,
 * the tries counted under the row's lock, and its status (a newer letter supersedes the pending one).
 * postal_outbox learns which kind of letter each row is, for the dev inbox.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE account_claim_letters (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'used', 'locked', 'superseded'))
  )`,
  `CREATE INDEX account_claim_letters_account ON account_claim_letters (account_id, created_at)`,
  `ALTER TABLE postal_outbox ADD COLUMN kind text NOT NULL DEFAULT 'activation'
    CHECK (kind IN ('activation', 'account_claim'))`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
