import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Moving home (issue 14, item 4): a move is a new membership, pending its own verification, that
 * replaces the home membership once verified (never before). One row per move, kept after it settles
 * (the history of where a member lived is theirs, erased with their memberships).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE membership_moves (
    membership_id uuid PRIMARY KEY REFERENCES memberships (id) ON DELETE CASCADE,
    replaces_id uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT membership_moves_not_itself CHECK (membership_id <> replaces_id)
  )`,
  `CREATE INDEX membership_moves_replaces ON membership_moves (replaces_id)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
