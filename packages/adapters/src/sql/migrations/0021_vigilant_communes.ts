import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const insee = (column: string) => `${column} ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'`

/**
 * The communes the platform opened as "Mairie Vigilante" (issue 14): one row per commune (its INSEE
 * code, checked against the official list before it is written), who activated it and when, and the
 * contact of the municipal police as the mairie entered it for the public page (a phone number as
 * written on a poster, and a free text: address, opening hours), each optional.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE vigilant_communes (
    insee text PRIMARY KEY CHECK (${insee("insee")}),
    activated_at timestamptz NOT NULL DEFAULT now(),
    activated_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
    police_phone text CHECK (char_length(police_phone) BETWEEN 3 AND 25),
    police_details text CHECK (char_length(police_details) BETWEEN 1 AND 500),
    police_contact_updated_at timestamptz,
    police_contact_updated_by uuid REFERENCES accounts (id) ON DELETE SET NULL
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
