import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Uploads (issue 15, item 4): photos and PDF attachments a member sent, already processed and stored
 * in the BlobStore under blob_key. A post or message claims them in its own transaction
 * (claimed_at); those never claimed are removed by the retention job after a day.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE media_uploads (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('photo', 'pdf')),
    blob_key text NOT NULL UNIQUE,
    content_type text NOT NULL,
    name text,
    bytes integer NOT NULL CHECK (bytes > 0),
    width integer,
    height integer,
    created_at timestamptz NOT NULL,
    claimed_at timestamptz
  )`,
  `CREATE INDEX media_uploads_owner ON media_uploads (owner_id)`,
  `CREATE INDEX media_uploads_unclaimed ON media_uploads (created_at) WHERE claimed_at IS NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
