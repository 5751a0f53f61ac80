import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * What members add to Gazette posts (issue 15, items 2 and 3):
 * - gazette_comments: one level of replies (`parent_id` names a top comment; the use case attaches a
 *   reply to a reply to its top comment); a deleted comment keeps its row without its text, so that
 *   its replies keep their place; `held_for_review` when the sensitive-descriptor check tripped.
 * - gazette_thanks: one "merci" per member and post.
 * - gazette_event_answers: one answer per member and event (going / maybe / no); the places are
 *   counted and taken under a transaction lock per event (the limit is in the post's details).
 * - gazette_instant() reads the ISO instants the details hold (always with their offset, "…Z", so the
 *   cast does not depend on the session's time zone: IMMUTABLE for an index on the events' starts).
 * - gazette_posts gains `event_sequence` (raised at each move or cancellation: the calendar file's
 *   SEQUENCE) and `event_changed_at` (its DTSTAMP).
 * - gazette_comment_notices: per post, when the last e-mail about new comments goes (or went) out,
 *   to send at most one an hour (coalesced, one atomic upsert).
 * - gazette_event_reminders: one row per (event, member, start) reminded the day before: whoever
 *   runs the job, each member coming is reminded once per start (a moved event is reminded again).
 * - Messages gain the kind 'gazette_activity' (new comments, "retrouvé", an event cancelled, moved or
 *   coming tomorrow), its subject the post (`gazette_post_id`, as the author's 'gazette_notice'; several
 *   messages per post), its text stored with it (`body`).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE gazette_comments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    parent_id uuid REFERENCES gazette_comments (id),
    author_id uuid NOT NULL REFERENCES accounts (id),
    body text NOT NULL CHECK (char_length(body) <= 2000),
    status text NOT NULL CHECK (status IN ('published', 'held_for_review', 'hidden')),
    hold_reasons text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    CHECK ((deleted_at IS NULL) = (char_length(body) >= 1)),
    CHECK (parent_id IS DISTINCT FROM id)
  )`,
  `CREATE INDEX gazette_comments_post ON gazette_comments (post_id, created_at, id)`,
  `CREATE INDEX gazette_comments_parent ON gazette_comments (parent_id) WHERE parent_id IS NOT NULL`,
  `CREATE INDEX gazette_comments_author ON gazette_comments (author_id)`,
  `CREATE TABLE gazette_thanks (
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, account_id)
  )`,
  `CREATE INDEX gazette_thanks_account ON gazette_thanks (account_id)`,
  `CREATE TABLE gazette_event_answers (
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id),
    answer text NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, account_id)
  )`,
  `CREATE INDEX gazette_event_answers_account ON gazette_event_answers (account_id)`,
  `ALTER TABLE gazette_posts ADD COLUMN event_sequence integer NOT NULL DEFAULT 0 CHECK (event_sequence >= 0)`,
  `ALTER TABLE gazette_posts ADD COLUMN event_changed_at timestamptz`,
  `CREATE FUNCTION gazette_instant(input text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT input::timestamptz $$`,
  `CREATE INDEX gazette_posts_event_starts ON gazette_posts (gazette_instant(details ->> 'startsAt'))
    WHERE kind = 'evenement' AND cancelled_at IS NULL AND status = 'published'`,
  `CREATE TABLE gazette_comment_notices (
    post_id uuid PRIMARY KEY REFERENCES gazette_posts (id) ON DELETE CASCADE,
    due_at timestamptz NOT NULL
  )`,
  `CREATE TABLE gazette_event_reminders (
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id),
    starts_at timestamptz NOT NULL,
    reminded_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, account_id, starts_at)
  )`,

  // 0030 gave messages and deliveries their Gazette subject (gazette_post_id, for 'gazette_notice').
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice',
        'gazette_notice', 'gazette_activity')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind IN ('gazette_notice', 'gazette_activity')) = (gazette_post_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice', 'gazette_activity'))
        = (body IS NOT NULL)))`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
