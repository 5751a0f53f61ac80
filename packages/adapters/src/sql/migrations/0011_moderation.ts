import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`

const holdReasons = ["new_member", "sensitive_descriptors", "member_burst", "community_burst"]
const hideReasons = ["profiling", "personal_data", "false_or_unverifiable", "off_topic", "insulting", "duplicate",
  "other"]
const auditActions = [
  "approve",
  "mark_reviewed",
  "hide",
  "hide_pending",
  "confirm_hide",
  "restore",
  "dismiss_flags",
  "warn",
  "suspend",
  "lift_suspension",
  "ban",
  "lift_ban",
  "appeal_restore",
  "appeal_uphold"
]

/**
 * Moderation and trust (issue 7).
 * - `alerts` gains its moderation state: the trust policy's `hold_reasons` and the `flagged_spans` of
 *   its text when posted; `first_published_at` (set the first time it is published: an alert fans
 *   out only then, so hiding and restoring never sends it twice; back-filled from the 'alert'
 *   messages and the live statuses, and set on insert by a trigger for every writer of published
 *   alerts, town alerts included); `reviewed_at`/`reviewed_by` (a moderator looked at it); and
 *   why it is hidden (`hidden_*`, cleared on restore: the audit log keeps the history). `hidden_from`
 *   is the status a restore returns to; `hidden_pending` marks a référent's hiding waiting for a
 *   moderator. The queue's two alert sections are partial indexes in queue order.
 * - `moderation_flags`: a member flags a target once (unique on target and member). `target_kind` is
 *   'alert' only: Gazette posts will add their kind and their own nullable foreign key, as `alert_id`
 *   is here (exactly one set). `community_id` is the flagged item's community, for référents' lists.
 * - `moderation_appeals`: one per alert; the moderator who hid the alert can never decide it.
 * - `moderation_audit`: one row per action, never updated nor deleted (a trigger refuses both).
 * - Messages gain the kind 'notice': a text to one person (an SMS author told a decision, a warned
 *   account), rendered when the decision is taken (`body`), whose subject is its audit row
 *   (`audit_id`), as a bulletin's is its bulletin.
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE alerts
    ADD COLUMN hold_reasons text[] NOT NULL DEFAULT '{}'
      CHECK (hold_reasons <@ ARRAY[${holdReasons.map((r) => `'${r}'`).join(", ")}]::text[]),
    ADD COLUMN flagged_spans jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(flagged_spans) = 'array'),
    ADD COLUMN first_published_at timestamptz,
    ADD COLUMN reviewed_at timestamptz,
    ADD COLUMN reviewed_by uuid REFERENCES accounts (id),
    ADD COLUMN hidden_reason text CHECK (${oneOf("hidden_reason", hideReasons)}),
    ADD COLUMN hidden_details text CHECK (char_length(hidden_details) BETWEEN 1 AND 1000),
    ADD COLUMN hidden_by uuid REFERENCES accounts (id),
    ADD COLUMN hidden_by_role text CHECK (${oneOf("hidden_by_role", ["moderator", "referent"])}),
    ADD COLUMN hidden_at timestamptz,
    ADD COLUMN hidden_from text CHECK (${oneOf("hidden_from", ["held_for_review", "published", "resolved"])}),
    ADD COLUMN hidden_pending boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT alerts_reviewed_whole CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)),
    ADD CONSTRAINT alerts_hidden_whole CHECK (
      (hidden_reason IS NULL) = (hidden_by IS NULL) AND (hidden_reason IS NULL) = (hidden_at IS NULL)
      AND (hidden_reason IS NULL) = (hidden_from IS NULL) AND (hidden_reason IS NULL) = (hidden_by_role IS NULL)
      AND (hidden_reason IS NOT NULL OR NOT hidden_pending))`,
  `UPDATE alerts a SET first_published_at = a.created_at
    WHERE a.status IN ('published', 'resolved')
       OR EXISTS (SELECT 1 FROM messages m WHERE m.alert_id = a.id AND m.kind = 'alert')`,
  `CREATE FUNCTION alerts_first_published() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'published' AND NEW.first_published_at IS NULL THEN NEW.first_published_at := NEW.created_at; END IF;
      RETURN NEW;
    END $$`,
  `CREATE TRIGGER alerts_first_published BEFORE INSERT ON alerts
    FOR EACH ROW EXECUTE FUNCTION alerts_first_published()`,
  `CREATE INDEX alerts_held_queue ON alerts (created_at, id) WHERE status = 'held_for_review'`,
  `CREATE INDEX alerts_unreviewed_queue ON alerts (created_at, id)
    WHERE status = 'published' AND reviewed_at IS NULL AND origin IN ('web', 'sms')`,
  `CREATE INDEX alerts_hidden_by ON alerts (hidden_by) WHERE hidden_by IS NOT NULL`,

  `CREATE TABLE moderation_flags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    target_kind text NOT NULL CHECK (${oneOf("target_kind", ["alert"])}),
    target_id uuid NOT NULL,
    alert_id uuid REFERENCES alerts (id),
    community_id uuid REFERENCES communities (id),
    flagged_by uuid NOT NULL REFERENCES accounts (id),
    reason text NOT NULL CHECK (${oneOf("reason", hideReasons)}),
    text text CHECK (char_length(text) BETWEEN 1 AND 500),
    status text NOT NULL DEFAULT 'open' CHECK (${oneOf("status", ["open", "dismissed", "upheld"])}),
    created_at timestamptz NOT NULL,
    closed_at timestamptz,
    closed_by uuid REFERENCES accounts (id),
    CONSTRAINT moderation_flags_alert_target CHECK ((target_kind = 'alert') = (alert_id IS NOT NULL AND alert_id = target_id)),
    CONSTRAINT moderation_flags_closed_whole CHECK ((status = 'open') = (closed_at IS NULL) AND (closed_at IS NULL) = (closed_by IS NULL)),
    CONSTRAINT moderation_flags_once UNIQUE (target_kind, target_id, flagged_by)
  )`,
  `CREATE INDEX moderation_flags_open ON moderation_flags (created_at, id) WHERE status = 'open'`,
  `CREATE INDEX moderation_flags_community ON moderation_flags (community_id, created_at) WHERE community_id IS NOT NULL`,
  `CREATE INDEX moderation_flags_alert ON moderation_flags (alert_id, created_at) WHERE alert_id IS NOT NULL`,

  `CREATE TABLE moderation_appeals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    alert_id uuid NOT NULL REFERENCES alerts (id),
    author_id uuid NOT NULL REFERENCES accounts (id),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    hidden_by uuid REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (${oneOf("status", ["pending", "restored", "upheld"])}),
    decided_by uuid REFERENCES accounts (id),
    decided_at timestamptz,
    decision_reason text CHECK (char_length(decision_reason) BETWEEN 1 AND 1000),
    CONSTRAINT moderation_appeals_once UNIQUE (alert_id),
    CONSTRAINT moderation_appeals_decided_whole CHECK (
      (status = 'pending') = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL)
      AND (decided_by IS NULL) = (decision_reason IS NULL)),
    CONSTRAINT moderation_appeals_other_moderator CHECK (decided_by IS DISTINCT FROM hidden_by OR decided_by IS NULL)
  )`,
  `CREATE INDEX moderation_appeals_pending ON moderation_appeals (created_at, id) WHERE status = 'pending'`,

  `CREATE TABLE moderation_audit (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at timestamptz NOT NULL,
    actor_id uuid NOT NULL REFERENCES accounts (id),
    actor_role text NOT NULL CHECK (${oneOf("actor_role", ["moderator", "referent"])}),
    action text NOT NULL CHECK (${oneOf("action", auditActions)}),
    target_kind text NOT NULL CHECK (${oneOf("target_kind", ["alert", "account", "membership", "appeal"])}),
    target_id uuid NOT NULL,
    alert_id uuid REFERENCES alerts (id),
    account_id uuid REFERENCES accounts (id),
    community_id uuid REFERENCES communities (id),
    reason text CHECK (${oneOf("reason", hideReasons)}),
    note text CHECK (char_length(note) BETWEEN 1 AND 1000),
    before jsonb,
    after jsonb
  )`,
  `CREATE INDEX moderation_audit_at ON moderation_audit (at DESC, id DESC)`,
  `CREATE INDEX moderation_audit_actor ON moderation_audit (actor_id, at DESC)`,
  `CREATE INDEX moderation_audit_target ON moderation_audit (target_id, at DESC)`,
  `CREATE INDEX moderation_audit_alert ON moderation_audit (alert_id, at DESC) WHERE alert_id IS NOT NULL`,
  `CREATE INDEX moderation_audit_account ON moderation_audit (account_id, action) WHERE account_id IS NOT NULL`,
  `CREATE FUNCTION moderation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'moderation_audit rows are never changed nor deleted'; END $$`,
  `CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE OR DELETE ON moderation_audit
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only()`,

  `ALTER TABLE messages ADD COLUMN audit_id uuid REFERENCES moderation_audit (id)`,
  `ALTER TABLE messages ADD COLUMN body text CHECK (char_length(body) BETWEEN 1 AND 1600)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject CHECK (num_nonnulls(alert_id, bulletin_id, audit_id) = 1)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'notice') = (body IS NOT NULL)))`,
  `CREATE UNIQUE INDEX messages_one_notice ON messages (audit_id) WHERE audit_id IS NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN audit_id uuid REFERENCES moderation_audit (id)`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject CHECK (num_nonnulls(alert_id, bulletin_id, audit_id) = 1)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
