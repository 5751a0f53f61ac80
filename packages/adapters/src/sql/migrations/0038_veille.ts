import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const outcomes = [
  "alert_published",
  "alert_held",
  "rate_limited",
  "refused",
  "stopped",
  "already_stopped",
  "started",
  "help",
  "empty",
  "unknown_sender",
  "unverified_member",
  "suppressed_sender",
  "inactive_account",
  "invalid_sender",
  "veille"
]
const replyKinds = ["alert_published", "alert_held", "rate_limited", "stopped", "started", "help", "join", "pending",
  "veille"]

/**
 * La veille bienveillante (issue 17).
 * - `veilles`: one per person at a time (not stopped), schedule in Europe/Paris (ISO weekdays and a
 *   local "HH:MM"), channel, the number asked, the address the person agreed to share, the consent
 *   (how, by whom, when).
 * - `veilleurs`: the 1–5 neighbours chosen, invited → accepted → withdrawn.
 * - `veille_absences`: local days, both included.
 * - `veille_checkins`: one row per occurrence (unique per veille and time, so two processes never
 *   schedule it twice) with its escalation state; `due_at` is the phase's deadline (NULL once closed);
 *   workers claim due rows with FOR UPDATE SKIP LOCKED under a lease (`lease_expires_at`,
 *   `lease_token`), like deliveries.
 * - `veille_events`: every step, its time and actor (history; deleted with the check-in after a year).
 * - `vigilant_communes.ccas_email`: the mairie's social service contact.
 * - Messages and deliveries gain the kind 'veille_notice' (subject `veille_id`, without a foreign key:
 *   the history may be deleted before the deliveries), its text stored in body. Every kind so far is
 *   listed (0033, 0034).
 * - The SMS gateway's outcome and reply kind 'veille' (OK, J'Y VAIS ... answered).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE veilles (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    community_id uuid NOT NULL REFERENCES communities (id),
    days smallint[] NOT NULL CHECK (cardinality(days) BETWEEN 1 AND 7 AND days <@ '{1,2,3,4,5,6,7}'::smallint[]),
    local_time text NOT NULL CHECK (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND local_time NOT LIKE '02:%'),
    channel text NOT NULL CHECK (${oneOf("channel", ["sms", "voice"])}),
    phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
    shared_address text CHECK (char_length(shared_address) <= 400),
    status text NOT NULL CHECK (${oneOf("status", ["pending", "active", "stopped"])}),
    consent_method text NOT NULL CHECK (${oneOf("consent_method", ["web", "sms", "paper"])}),
    consent_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
    consent_at timestamptz NOT NULL,
    created_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    stopped_at timestamptz
  )`,
  `CREATE UNIQUE INDEX veilles_one_per_person ON veilles (person_id) WHERE status <> 'stopped'`,
  `CREATE INDEX veilles_community ON veilles (community_id)`,
  `CREATE TABLE veilleurs (
    veille_id uuid NOT NULL REFERENCES veilles (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (${oneOf("status", ["invited", "accepted", "withdrawn"])}),
    invited_at timestamptz NOT NULL,
    answered_at timestamptz,
    PRIMARY KEY (veille_id, account_id)
  )`,
  `CREATE INDEX veilleurs_account ON veilleurs (account_id)`,
  `CREATE TABLE veille_absences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    veille_id uuid NOT NULL REFERENCES veilles (id) ON DELETE CASCADE,
    from_day date NOT NULL,
    to_day date NOT NULL,
    set_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT veille_absences_ordered CHECK (to_day >= from_day)
  )`,
  `CREATE INDEX veille_absences_veille ON veille_absences (veille_id)`,
  `CREATE TABLE veille_checkins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    veille_id uuid NOT NULL REFERENCES veilles (id) ON DELETE CASCADE,
    scheduled_at timestamptz NOT NULL,
    phase text NOT NULL CHECK (${
    oneOf("phase", ["scheduled", "asked", "reminded", "veilleurs", "owned", "referent", "ccas", "closed"])
  }),
    since timestamptz NOT NULL,
    asked_at timestamptz,
    owner_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    alerted_veilleurs boolean NOT NULL DEFAULT false,
    alerted_referent boolean NOT NULL DEFAULT false,
    alerted_ccas boolean NOT NULL DEFAULT false,
    outcome text CHECK (${oneOf("outcome", ["ok", "late_ok", "urgent", "unanswered", "stopped"])}),
    due_at timestamptz,
    lease_expires_at timestamptz,
    lease_token integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    CONSTRAINT veille_checkins_once UNIQUE (veille_id, scheduled_at),
    CONSTRAINT veille_checkins_closed CHECK ((phase = 'closed') = (outcome IS NOT NULL) AND (phase = 'closed') = (due_at IS NULL))
  )`,
  `CREATE INDEX veille_checkins_due ON veille_checkins (due_at) WHERE due_at IS NOT NULL`,
  `CREATE INDEX veille_checkins_veille ON veille_checkins (veille_id, scheduled_at)`,
  `CREATE TABLE veille_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    veille_id uuid NOT NULL REFERENCES veilles (id) ON DELETE CASCADE,
    checkin_id uuid REFERENCES veille_checkins (id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    kind text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 40),
    actor_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    actor_label text NOT NULL CHECK (char_length(actor_label) BETWEEN 1 AND 200),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 400)
  )`,
  `CREATE INDEX veille_events_veille ON veille_events (veille_id, at)`,
  `CREATE INDEX veille_events_at ON veille_events (at)`,
  `ALTER TABLE vigilant_communes ADD COLUMN ccas_email text CHECK (char_length(ccas_email) BETWEEN 3 AND 254)`,
  `ALTER TABLE messages ADD COLUMN veille_id uuid`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id, conversation_id, veille_id) = 1)`,
  // Every kind so far (0033, 0034, 0037's conversation_notice) and 'veille_notice'.
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice',
        'gazette_notice', 'gazette_activity', 'gazette_digest', 'gazette_post', 'conversation_notice',
        'veille_notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind = 'gazette_digest') = (gazette_digest_id IS NOT NULL))
      AND ((kind IN ('gazette_notice', 'gazette_activity', 'gazette_post')) = (gazette_post_id IS NOT NULL))
      AND ((kind = 'conversation_notice') = (conversation_id IS NOT NULL))
      AND ((kind = 'veille_notice') = (veille_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice', 'gazette_activity',
        'conversation_notice', 'veille_notice')) = (body IS NOT NULL)))`,
  `CREATE INDEX messages_veille ON messages (veille_id) WHERE veille_id IS NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN veille_id uuid`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id, conversation_id, veille_id) = 1)`,
  `ALTER TABLE inbound_sms DROP CONSTRAINT inbound_sms_outcome_check`,
  `ALTER TABLE inbound_sms ADD CONSTRAINT inbound_sms_outcome_check CHECK (${oneOf("outcome", outcomes)})`,
  `ALTER TABLE inbound_sms DROP CONSTRAINT inbound_sms_reply_kind_check`,
  `ALTER TABLE inbound_sms ADD CONSTRAINT inbound_sms_reply_kind_check CHECK (${oneOf("reply_kind", replyKinds)})`,
  `ALTER TABLE sms_reply_throttle DROP CONSTRAINT sms_reply_throttle_kind_check`,
  `ALTER TABLE sms_reply_throttle ADD CONSTRAINT sms_reply_throttle_kind_check CHECK (${oneOf("kind", replyKinds)})`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
