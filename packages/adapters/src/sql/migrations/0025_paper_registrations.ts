import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Neighbours without internet (issue 14, item 5): one row per membership registered from a paper
 * form, with who recorded it and when, the consent the neighbour gave on paper (never false: without
 * it nothing is recorded), the kind of phone they gave, and when they claimed a web account. The
 * claim codes are phone codes (phone_verifications) hashed under their own key.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE paper_registrations (
    membership_id uuid PRIMARY KEY REFERENCES memberships (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    recorded_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
    recorded_at timestamptz NOT NULL,
    consent boolean NOT NULL CONSTRAINT paper_registrations_consent_given CHECK (consent),
    phone_kind text NOT NULL CHECK (phone_kind IN ('mobile', 'landline')),
    claimed_at timestamptz
  )`,
  `CREATE INDEX paper_registrations_account ON paper_registrations (account_id)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
