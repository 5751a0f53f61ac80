import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Gazette notifications (issue 15, item 6): per member, one choice per kind of item (nothing, the
 * Monday digest, an e-mail at once), one column each so that the digest is planned set-based, and
 * whether the mairie's communications also come by SMS. No row: the defaults (GazettePreferences.ts).
 */
const choice = (column: string, fallback: string) =>
  `${column} text NOT NULL DEFAULT '${fallback}' CHECK (${column} IN ('none', 'weekly', 'immediate'))`

const statements: ReadonlyArray<string> = [
  `CREATE TABLE gazette_preferences (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    ${choice("communication", "immediate")},
    ${choice("perdu_trouve", "immediate")},
    ${choice("entraide", "weekly")},
    ${choice("annonce", "weekly")},
    ${choice("covoiturage", "weekly")},
    ${choice("evenement", "weekly")},
    ${choice("vie_du_quartier", "weekly")},
    ${choice("compte_rendu", "weekly")},
    mairie_sms boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
