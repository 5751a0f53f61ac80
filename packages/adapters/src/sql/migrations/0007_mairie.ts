import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const insee = (column: string) => `${column} ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'`
const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const townCategories = ["weather", "roads", "event", "strike", "water_or_power_cut", "public_health", "town_other"]

/**
 * The mairie and municipal police service (issue 8).
 * - `commune_budgets`: a commune's monthly SMS budget in billed SMS parts (NULL: the configured
 *   default). Its row is also the lock that serializes town-alert confirmations of one commune.
 * - `town_alert_previews`: what an agent previewed (draft and counts), confirmed at most once.
 * - `town_alerts`: one row per confirmed town alert, with what it was billed; the month's usage is
 *   their sum.
 * - `authority_acknowledgements` (one per alert and role) and `authority_notes` (internal to the staff).
 * - `referent_bulletins` and `referent_inbox`: information sent to the référents of chosen communities.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE commune_budgets (
    insee text PRIMARY KEY CHECK (${insee("insee")}),
    monthly_sms_segments integer CHECK (monthly_sms_segments >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE town_alert_previews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id),
    insee text NOT NULL CHECK (${insee("insee")}),
    origin text NOT NULL CHECK (${oneOf("origin", ["mairie", "police"])}),
    scope_community_ids uuid[] CHECK (scope_community_ids IS NULL OR cardinality(scope_community_ids) BETWEEN 1 AND 500),
    category text NOT NULL CHECK (${oneOf("category", townCategories)}),
    urgency text NOT NULL CHECK (${oneOf("urgency", ["urgent", "info"])}),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    place text CHECK (char_length(place) BETWEEN 1 AND 200),
    sms_count integer NOT NULL CHECK (sms_count >= 0),
    email_count integer NOT NULL CHECK (email_count >= 0),
    sms_segments integer NOT NULL CHECK (sms_segments >= 1),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    confirmed_alert_id uuid REFERENCES alerts (id)
  )`,
  `CREATE TABLE town_alerts (
    alert_id uuid PRIMARY KEY REFERENCES alerts (id),
    insee text NOT NULL CHECK (${insee("insee")}),
    preview_id uuid NOT NULL UNIQUE REFERENCES town_alert_previews (id),
    sms_count integer NOT NULL CHECK (sms_count >= 0),
    email_count integer NOT NULL CHECK (email_count >= 0),
    sms_segments integer NOT NULL CHECK (sms_segments >= 1),
    billed_segments integer NOT NULL CHECK (billed_segments >= 0),
    email_only boolean NOT NULL,
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX town_alerts_commune ON town_alerts (insee, created_at)`,
  `CREATE INDEX alerts_shared_commune ON alerts (insee, created_at DESC) WHERE shared_with_authorities`,
  `CREATE TABLE authority_acknowledgements (
    alert_id uuid NOT NULL REFERENCES alerts (id),
    role text NOT NULL CHECK (${oneOf("role", ["mairie", "police"])}),
    account_id uuid NOT NULL REFERENCES accounts (id),
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (alert_id, role)
  )`,
  `CREATE TABLE authority_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    alert_id uuid NOT NULL REFERENCES alerts (id),
    author_id uuid NOT NULL REFERENCES accounts (id),
    role text NOT NULL CHECK (${oneOf("role", ["mairie", "police"])}),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX authority_notes_alert ON authority_notes (alert_id, created_at)`,
  `CREATE TABLE referent_bulletins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    insee text NOT NULL CHECK (${insee("insee")}),
    author_id uuid NOT NULL REFERENCES accounts (id),
    origin text NOT NULL CHECK (${oneOf("origin", ["mairie", "police"])}),
    community_ids uuid[] NOT NULL CHECK (cardinality(community_ids) BETWEEN 1 AND 500),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX referent_bulletins_commune ON referent_bulletins (insee, created_at DESC)`,
  `CREATE TABLE referent_inbox (
    account_id uuid NOT NULL REFERENCES accounts (id),
    bulletin_id uuid NOT NULL REFERENCES referent_bulletins (id),
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    PRIMARY KEY (account_id, bulletin_id)
  )`,
  `CREATE INDEX referent_inbox_feed ON referent_inbox (account_id, created_at DESC)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
