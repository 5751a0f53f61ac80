import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Blocks between members (issue 16, item 4), shared by the annuaire, the messagerie and every place a
 * member could reach another (reactions, comments). A row means `blocker_id` blocked `blocked_id`: the
 * blocked member can no longer write to the blocker nor find them in the annuaire, and is never told.
 * Checks read it both ways where the rule is symmetric (neither writes to the other).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE member_blocks (
    blocker_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
  )`,
  `CREATE INDEX member_blocks_blocked ON member_blocks (blocked_id, blocker_id)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
