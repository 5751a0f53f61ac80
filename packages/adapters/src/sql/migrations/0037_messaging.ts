import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The messagerie (issue 16, items 3 to 6). Named apart from `messages`, the e-mail/SMS outbox.
 * - `conversations`: one-to-one (`direct_key`: the two account ids in order, unique, so that a pair
 *   has one conversation) or a group; `data_key` is its own random key wrapped under a key derived
 *   from VIGIE_SECRET_KEY (envelope encryption: the database holds no readable message);
 *   `last_message_at` serves the retention job (inactive for 2 years: deleted).
 * - `conversation_members`: who is in it (`left_at` once they left); `last_message_at` is copied on
 *   every message so that a member's list is one index range (account_id, last_message_at DESC);
 *   `last_read_id` is the read mark, `unread` the messages of others after it (kept by the same
 *   statements that move them), `first_unread_at` the oldest of them (the e-mail after 15 minutes),
 *   `emailed_at` the last such e-mail (at most one a day).
 * - `conversation_messages`: `body` sealed (AES-256-GCM under the conversation's key), NULL once
 *   removed (its author's account erased); a page is one range of (conversation_id, id DESC).
 * - `conversation_attachments`: the photos of a message (upload ids only, for GET /media's check).
 * - `conversation_reports`: a message reported to the moderators, once per reporter.
 * - `messaging_preferences`: a member who turned the unread e-mails off (none: on).
 * - The outbox gains the kind 'conversation_notice' (subject `conversation_id`, no foreign key: a
 *   conversation deleted leaves its sent e-mails' history).
 * - The audit log gains what moderators do with a reported message: reading it with its context,
 *   closing the report.
 */
const hideReasons = ["profiling", "personal_data", "false_or_unverifiable", "off_topic", "insulting", "duplicate",
  "other"]
const oneOf = (column: string, values: ReadonlyArray<string>) =>
  `${column} IN (${values.map((v) => `'${v}'`).join(", ")})`
const auditActions = ["approve", "mark_reviewed", "hide", "hide_pending", "confirm_hide", "restore", "dismiss_flags",
  "warn", "suspend", "lift_suspension", "ban", "lift_ban", "appeal_restore", "appeal_uphold", "read_reported_message",
  "close_message_report"]

const statements: ReadonlyArray<string> = [
  `CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('direct', 'group')),
    direct_key text UNIQUE,
    origin text NOT NULL CHECK (origin IN ('member', 'alert', 'gazette')),
    started_by uuid NOT NULL REFERENCES accounts (id),
    data_key bytea NOT NULL,
    created_at timestamptz NOT NULL,
    last_message_at timestamptz NOT NULL,
    CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
  )`,
  `CREATE INDEX conversations_activity ON conversations (last_message_at)`,
  `CREATE TABLE conversation_members (
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id),
    joined_at timestamptz NOT NULL,
    left_at timestamptz,
    last_message_at timestamptz NOT NULL,
    last_read_id bigint NOT NULL DEFAULT 0,
    unread integer NOT NULL DEFAULT 0 CHECK (unread >= 0),
    first_unread_at timestamptz,
    emailed_at timestamptz,
    PRIMARY KEY (conversation_id, account_id),
    CHECK ((unread = 0) = (first_unread_at IS NULL))
  )`,
  `CREATE INDEX conversation_members_inbox ON conversation_members (account_id, last_message_at DESC, conversation_id)
    WHERE left_at IS NULL`,
  `CREATE INDEX conversation_members_unread ON conversation_members (first_unread_at)
    WHERE first_unread_at IS NOT NULL AND left_at IS NULL`,
  `CREATE TABLE conversation_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES accounts (id),
    body bytea,
    sent_at timestamptz NOT NULL,
    removed_at timestamptz,
    CHECK ((body IS NULL) = (removed_at IS NOT NULL))
  )`,
  `CREATE UNIQUE INDEX conversation_messages_page ON conversation_messages (conversation_id, id DESC)`,
  `CREATE INDEX conversation_messages_author ON conversation_messages (author_id, id)`,
  `CREATE TABLE conversation_attachments (
    upload_id uuid PRIMARY KEY REFERENCES media_uploads (id) ON DELETE CASCADE,
    message_id bigint NOT NULL REFERENCES conversation_messages (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position smallint NOT NULL CHECK (position >= 0)
  )`,
  `CREATE INDEX conversation_attachments_message ON conversation_attachments (message_id, position)`,
  `CREATE TABLE conversation_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id bigint NOT NULL REFERENCES conversation_messages (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reporter_id uuid NOT NULL REFERENCES accounts (id),
    reason text NOT NULL CHECK (${oneOf("reason", hideReasons)}),
    note text CHECK (char_length(note) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL,
    closed_at timestamptz,
    closed_by uuid REFERENCES accounts (id),
    UNIQUE (message_id, reporter_id),
    CHECK ((closed_at IS NULL) = (closed_by IS NULL))
  )`,
  `CREATE TABLE messaging_preferences (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    email_when_unread boolean NOT NULL
  )`,
  `CREATE INDEX conversation_reports_open ON conversation_reports (created_at, id) WHERE closed_at IS NULL`,
  `ALTER TABLE messages ADD COLUMN conversation_id uuid`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id, conversation_id) = 1)`,
  // Every kind so far (0033, 0034) and 'conversation_notice'.
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice',
        'gazette_notice', 'gazette_activity', 'gazette_digest', 'gazette_post', 'conversation_notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind = 'gazette_digest') = (gazette_digest_id IS NOT NULL))
      AND ((kind IN ('gazette_notice', 'gazette_activity', 'gazette_post')) = (gazette_post_id IS NOT NULL))
      AND ((kind = 'conversation_notice') = (conversation_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice', 'gazette_activity',
        'conversation_notice')) = (body IS NOT NULL)))`,
  `ALTER TABLE deliveries ADD COLUMN conversation_id uuid`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id, conversation_id) = 1)`,
  `ALTER TABLE moderation_audit DROP CONSTRAINT moderation_audit_target_kind_check`,
  `ALTER TABLE moderation_audit ADD CONSTRAINT moderation_audit_target_kind_check
    CHECK (target_kind IN ('alert', 'account', 'membership', 'appeal', 'gazette_post', 'gazette_comment',
      'message_report'))`,
  `ALTER TABLE moderation_audit DROP CONSTRAINT moderation_audit_action_check`,
  `ALTER TABLE moderation_audit ADD CONSTRAINT moderation_audit_action_check CHECK (${oneOf("action", auditActions)})`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
