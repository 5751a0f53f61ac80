import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Members' profiles for the annuaire (issue 16, items 1 and 2). One row per member who saved theirs
 * (without a row: listed, short name, nothing else). `visibility` holds « me » or « members » for each
 * field (ProfilePolicy reads it; the street, the number, the phone and the e-mail default to « me »).
 * The photo is an upload of the media pipeline; its bytes are served only to whoever may see it.
 * The row goes with the account's erasure (PgPersonalData.erase), and the cascade besides.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE member_profiles (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    listed boolean NOT NULL DEFAULT true,
    name_style text NOT NULL DEFAULT 'short' CHECK (name_style IN ('short', 'full')),
    photo_id uuid REFERENCES media_uploads (id) ON DELETE SET NULL,
    presentation text NOT NULL DEFAULT '' CHECK (char_length(presentation) <= 500),
    interests text[] NOT NULL DEFAULT '{}',
    interests_other text NOT NULL DEFAULT '' CHECK (char_length(interests_other) <= 200),
    skills text[] NOT NULL DEFAULT '{}',
    skills_other text NOT NULL DEFAULT '' CHECK (char_length(skills_other) <= 200),
    languages text[] NOT NULL DEFAULT '{}',
    visibility jsonb NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  `CREATE INDEX member_profiles_photo ON member_profiles (photo_id) WHERE photo_id IS NOT NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
