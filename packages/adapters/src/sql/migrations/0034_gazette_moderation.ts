import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const hideReasons =
  "'profiling', 'personal_data', 'false_or_unverifiable', 'off_topic', 'insulting', 'duplicate', 'other'"

/**
 * Moderation of the Gazette (issue 15, item 5), as for alerts:
 * - gazette_posts and gazette_comments gain why and by whom they are hidden (`hidden_*`, cleared on
 *   restore: the audit log keeps the history) and when a moderator last decided (`reviewed_at`).
 * - gazette_flags: one flag per member and item (a post, or one of its comments when `comment_id`),
 *   open until a moderator approves, hides or restores the item (then `upheld` or `dismissed`).
 * - gazette_appeals: one appeal per item by its author, `hidden_by` the moderator whose hiding it
 *   contests (another moderator decides it), pending until restored or upheld.
 * - moderation_audit gains the target kinds 'gazette_post' and 'gazette_comment' (its row names the
 *   item's author and quartier in `account_id` and `community_id`; the author's notice is a 'notice'
 *   message whose subject is that row, as for alerts).
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE gazette_posts ADD COLUMN hidden_reason text CHECK (hidden_reason IN (${hideReasons}))`,
  `ALTER TABLE gazette_posts ADD COLUMN hidden_details text CHECK (char_length(hidden_details) BETWEEN 1 AND 1000)`,
  `ALTER TABLE gazette_posts ADD COLUMN hidden_by uuid REFERENCES accounts (id)`,
  `ALTER TABLE gazette_posts ADD COLUMN hidden_at timestamptz`,
  `ALTER TABLE gazette_posts ADD COLUMN reviewed_at timestamptz`,
  `ALTER TABLE gazette_posts ADD CONSTRAINT gazette_posts_hidden_why
    CHECK ((hidden_reason IS NULL OR status = 'hidden')
      AND (hidden_reason IS NULL) = (hidden_by IS NULL) AND (hidden_by IS NULL) = (hidden_at IS NULL))`,
  `CREATE INDEX gazette_posts_held ON gazette_posts (created_at, id) WHERE status = 'held_for_review'`,
  `ALTER TABLE gazette_comments ADD COLUMN hidden_reason text CHECK (hidden_reason IN (${hideReasons}))`,
  `ALTER TABLE gazette_comments ADD COLUMN hidden_details text CHECK (char_length(hidden_details) BETWEEN 1 AND 1000)`,
  `ALTER TABLE gazette_comments ADD COLUMN hidden_by uuid REFERENCES accounts (id)`,
  `ALTER TABLE gazette_comments ADD COLUMN hidden_at timestamptz`,
  `ALTER TABLE gazette_comments ADD COLUMN reviewed_at timestamptz`,
  `ALTER TABLE gazette_comments ADD CONSTRAINT gazette_comments_hidden_why
    CHECK ((hidden_reason IS NULL OR status = 'hidden')
      AND (hidden_reason IS NULL) = (hidden_by IS NULL) AND (hidden_by IS NULL) = (hidden_at IS NULL))`,
  `CREATE INDEX gazette_comments_held ON gazette_comments (created_at, id) WHERE status = 'held_for_review'`,
  `CREATE TABLE gazette_flags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    comment_id uuid REFERENCES gazette_comments (id) ON DELETE CASCADE,
    flagged_by uuid NOT NULL REFERENCES accounts (id),
    reason text NOT NULL CHECK (reason IN (${hideReasons})),
    text text CHECK (char_length(text) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'upheld')),
    closed_by uuid REFERENCES accounts (id),
    closed_at timestamptz,
    CHECK ((status = 'open') = (closed_at IS NULL))
  )`,
  `CREATE UNIQUE INDEX gazette_flags_once_post ON gazette_flags (post_id, flagged_by) WHERE comment_id IS NULL`,
  `CREATE UNIQUE INDEX gazette_flags_once_comment ON gazette_flags (comment_id, flagged_by) WHERE comment_id IS NOT NULL`,
  `CREATE INDEX gazette_flags_open ON gazette_flags (created_at, post_id) WHERE status = 'open'`,
  `CREATE INDEX gazette_flags_account ON gazette_flags (flagged_by)`,
  `CREATE TABLE gazette_appeals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    comment_id uuid REFERENCES gazette_comments (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES accounts (id),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    hidden_by uuid NOT NULL REFERENCES accounts (id),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'restored', 'upheld')),
    created_at timestamptz NOT NULL,
    decided_by uuid REFERENCES accounts (id),
    decision_reason text CHECK (char_length(decision_reason) BETWEEN 1 AND 1000),
    decided_at timestamptz,
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (decided_by IS DISTINCT FROM hidden_by)
  )`,
  `CREATE UNIQUE INDEX gazette_appeals_once_post ON gazette_appeals (post_id) WHERE comment_id IS NULL`,
  `CREATE UNIQUE INDEX gazette_appeals_once_comment ON gazette_appeals (comment_id) WHERE comment_id IS NOT NULL`,
  `CREATE INDEX gazette_appeals_pending ON gazette_appeals (created_at, id) WHERE status = 'pending'`,
  `CREATE INDEX gazette_appeals_author ON gazette_appeals (author_id)`,
  `ALTER TABLE moderation_audit DROP CONSTRAINT moderation_audit_target_kind_check`,
  `ALTER TABLE moderation_audit ADD CONSTRAINT moderation_audit_target_kind_check
    CHECK (target_kind IN ('alert', 'account', 'membership', 'appeal', 'gazette_post', 'gazette_comment'))`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
