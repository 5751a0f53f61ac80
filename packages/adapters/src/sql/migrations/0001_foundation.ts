import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const insee = (column: string) => `${column} ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'`
const phone = (column: string) => `${column} ~ '^\\+[1-9][0-9]{6,14}$'`
const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const categories = [
  "suspicious_vehicle",
  "suspicious_person",
  "burglary",
  "open_door_or_window",
  "vulnerable_person_without_news",
  "lost_or_found_animal",
  "road_danger",
  "fire_or_smoke",
  "other",
  "weather",
  "roads",
  "event",
  "strike",
  "water_or_power_cut",
  "public_health",
  "town_other"
]
const verificationStatuses = ["pending", "used", "locked", "superseded"]
const channelPreferences = ["all", "urgent_only", "none"]

/**
 * Deliveries are the transactional outbox and a town-wide alert writes hundreds of thousands of them
 * in one statement, so they carry only the foreign key to their message: the checks on `alert_id`
 * and `account_id` cost about a third of the fan-out's time (measured with the fan-out benchmark),
 * and both are copied from rows read in that same statement (alerts and accounts are never deleted:
 * erasure leaves a tombstone). Progress per message uses `deliveries_once`, which starts with it.
 *
 * The foundation schema: one table per domain entity. Every enum is a CHECK, every uniqueness rule of
 * the domain is an index, and a second delivery of one message to one account on one channel is
 * refused by the schema itself (`deliveries_once`). Uses nothing newer than PostgreSQL 15.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE communities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    insee text NOT NULL CHECK (${insee("insee")}),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    perimeter jsonb NOT NULL CHECK (perimeter->>'type' = 'Polygon'),
    status text NOT NULL DEFAULT 'active' CHECK (${oneOf("status", ["active", "archived"])}),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX communities_insee ON communities (insee)`,

  `CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    first_name text NOT NULL CHECK (char_length(first_name) BETWEEN 1 AND 80),
    last_name text NOT NULL CHECK (char_length(last_name) BETWEEN 1 AND 80),
    email text CHECK (char_length(email) BETWEEN 3 AND 254),
    phone text CHECK (${phone("phone")}),
    phone_verified boolean NOT NULL DEFAULT false,
    password_hash text,
    status text NOT NULL DEFAULT 'active' CHECK (${oneOf("status", ["active", "suspended", "erased"])}),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_verified_phone_exists CHECK (phone IS NOT NULL OR NOT phone_verified)
  )`,
  `CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email)) WHERE email IS NOT NULL`,
  `CREATE UNIQUE INDEX accounts_phone_key ON accounts (phone) WHERE phone IS NOT NULL`,

  `CREATE TABLE staff_roles (
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (${oneOf("role", ["moderator", "admin", "mairie_agent", "municipal_police"])}),
    insee text CHECK (${insee("insee")}),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT staff_roles_commune_bound CHECK ((role IN ('moderator', 'admin')) = (insee IS NULL))
  )`,
  `CREATE UNIQUE INDEX staff_roles_key ON staff_roles (account_id, role, coalesce(insee, ''))`,
  `CREATE INDEX staff_roles_commune ON staff_roles (insee, role) WHERE insee IS NOT NULL`,

  `CREATE TABLE memberships (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id),
    community_id uuid NOT NULL REFERENCES communities (id),
    role text NOT NULL CHECK (${oneOf("role", ["resident", "referent"])}),
    status text NOT NULL CHECK (${oneOf("status", ["pending_verification", "verified", "left", "banned"])}),
    home boolean NOT NULL DEFAULT false,
    address_line1 text NOT NULL CHECK (char_length(address_line1) BETWEEN 1 AND 200),
    address_line2 text CHECK (char_length(address_line2) BETWEEN 1 AND 200),
    postcode text NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    city text NOT NULL CHECK (char_length(city) BETWEEN 1 AND 120),
    lon double precision CHECK (lon BETWEEN -180 AND 180),
    lat double precision CHECK (lat BETWEEN -90 AND 90),
    created_at timestamptz NOT NULL DEFAULT now(),
    verified_at timestamptz,
    CONSTRAINT memberships_location_whole CHECK ((lon IS NULL) = (lat IS NULL)),
    CONSTRAINT memberships_account_community_key UNIQUE (account_id, community_id)
  )`,
  `CREATE UNIQUE INDEX memberships_one_home ON memberships (account_id) WHERE home`,
  `CREATE INDEX memberships_verified_by_community ON memberships (community_id) INCLUDE (account_id)
    WHERE status = 'verified'`,

  `CREATE TABLE address_verifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    membership_id uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    method text NOT NULL CHECK (${oneOf("method", ["letter", "referent_vouch", "mairie_vouch"])}),
    code_hash bytea,
    status text NOT NULL CHECK (${oneOf("status", verificationStatuses)}),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    vouched_by uuid REFERENCES accounts (id),
    CONSTRAINT address_verifications_letter_has_code CHECK (method <> 'letter' OR code_hash IS NOT NULL),
    CONSTRAINT address_verifications_vouch_has_voucher CHECK (method = 'letter' OR vouched_by IS NOT NULL)
  )`,
  `CREATE INDEX address_verifications_membership ON address_verifications (membership_id, created_at)`,

  `CREATE TABLE phone_verifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    phone text NOT NULL CHECK (${phone("phone")}),
    code_hash bytea NOT NULL,
    status text NOT NULL CHECK (${oneOf("status", verificationStatuses)}),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX phone_verifications_account ON phone_verifications (account_id, created_at)`,

  `CREATE TABLE notification_preferences (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sms text NOT NULL DEFAULT 'all' CHECK (${oneOf("sms", channelPreferences)}),
    email text NOT NULL DEFAULT 'all' CHECK (${oneOf("email", channelPreferences)}),
    quiet_start smallint CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end smallint CHECK (quiet_end BETWEEN 0 AND 1439),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_preferences_quiet_whole CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
  )`,

  `CREATE TABLE sms_suppressions (
    phone text PRIMARY KEY CHECK (${phone("phone")}),
    reason text NOT NULL CHECK (${oneOf("reason", ["stop_keyword", "provider_hard_bounce", "moderator"])}),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scope_kind text NOT NULL CHECK (${oneOf("scope_kind", ["community", "commune"])}),
    community_id uuid REFERENCES communities (id),
    insee text NOT NULL CHECK (${insee("insee")}),
    scope_community_ids uuid[],
    author_id uuid NOT NULL REFERENCES accounts (id),
    origin text NOT NULL CHECK (${oneOf("origin", ["web", "sms", "mairie", "police"])}),
    category text NOT NULL CHECK (${oneOf("category", categories)}),
    urgency text NOT NULL CHECK (${oneOf("urgency", ["urgent", "info"])}),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    place text CHECK (char_length(place) BETWEEN 1 AND 200),
    shared_with_authorities boolean NOT NULL DEFAULT false,
    status text NOT NULL CHECK (${
    oneOf("status", ["published", "held_for_review", "hidden", "retracted", "resolved"])
  }),
    created_at timestamptz NOT NULL,
    closed_at timestamptz,
    CONSTRAINT alerts_community_scope CHECK ((scope_kind = 'community') = (community_id IS NOT NULL)),
    CONSTRAINT alerts_commune_subset CHECK (
      scope_community_ids IS NULL
      OR (scope_kind = 'commune' AND cardinality(scope_community_ids) BETWEEN 1 AND 500)
    )
  )`,
  `CREATE INDEX alerts_community_feed ON alerts (community_id, created_at DESC) WHERE community_id IS NOT NULL`,
  `CREATE INDEX alerts_commune_feed ON alerts (insee, created_at DESC)`,
  `CREATE INDEX alerts_author ON alerts (author_id, created_at DESC)`,

  `CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    alert_id uuid NOT NULL REFERENCES alerts (id),
    kind text NOT NULL CHECK (${oneOf("kind", ["alert", "followup", "closing"])}),
    created_at timestamptz NOT NULL
  )`,
  `CREATE UNIQUE INDEX messages_once ON messages (alert_id, kind) WHERE kind IN ('alert', 'closing')`,
  `CREATE INDEX messages_alert ON messages (alert_id)`,

  `CREATE TABLE deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id),
    alert_id uuid NOT NULL,
    account_id uuid NOT NULL,
    channel text NOT NULL CHECK (${oneOf("channel", ["sms", "email"])}),
    destination text NOT NULL,
    status text NOT NULL DEFAULT 'pending'
      CHECK (${oneOf("status", ["pending", "sending", "sent", "delivered", "failed", "dead"])}),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    lease_expires_at timestamptz,
    provider_id text,
    last_error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT deliveries_once UNIQUE (message_id, account_id, channel)
  )`,
  `CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`,
  `CREATE INDEX deliveries_provider ON deliveries (provider_id) WHERE provider_id IS NOT NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
