import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The Gazette's notifications by e-mail (issue 15, item 6).
 * - `gazette_digest_runs`: one row per Monday digest, keyed by the Monday's date; inserted by the
 *   planning's transaction (ON CONFLICT DO NOTHING), so a week is planned once across processes and
 *   restarts; closed with its counts.
 * - `gazette_digests`: one row per group of members receiving the same digest (same quartiers, same
 *   weekly topics), with its rendered e-mail and the posts it shows; `seq` is the planning order.
 * - Messages gain the kinds 'gazette_digest' (subject: the group, `gazette_digest_id`, one message
 *   each; deliveries name it too, without a foreign key, as for alerts: it is copied from the row
 *   read in the same statement) and 'gazette_post' (a post e-mailed at once, or a mairie
 *   communication by SMS: subject `gazette_post_id` of 0030, one message per post);
 *   `gazette_posts_recent` finds the posts of the last days that wait for theirs (the immediate job
 *   runs every few seconds in every process).
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE gazette_digest_runs (
    week date PRIMARY KEY,
    run_at timestamptz NOT NULL,
    claimed_at timestamptz NOT NULL,
    finished_at timestamptz,
    groups integer CHECK (groups >= 0),
    messages integer CHECK (messages >= 0),
    deliveries integer CHECK (deliveries >= 0)
  )`,
  `CREATE TABLE gazette_digests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    week date NOT NULL REFERENCES gazette_digest_runs (week),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    communities uuid[] NOT NULL CHECK (cardinality(communities) >= 1),
    topics text[] NOT NULL CHECK (cardinality(topics) >= 1),
    members integer NOT NULL CHECK (members >= 1),
    subject text,
    text text,
    html text,
    post_ids uuid[],
    CONSTRAINT gazette_digests_email_whole CHECK ((subject IS NULL) = (html IS NULL) AND (text IS NULL) = (html IS NULL)),
    CONSTRAINT gazette_digests_once UNIQUE (week, communities, topics)
  )`,
  `CREATE UNIQUE INDEX gazette_digests_order ON gazette_digests (week, seq)`,
  `ALTER TABLE messages ADD COLUMN gazette_digest_id uuid REFERENCES gazette_digests (id)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id) = 1)`,
  // Every kind so far: 0032's gazette_activity (comments, events) too.
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice',
        'gazette_notice', 'gazette_activity', 'gazette_digest', 'gazette_post')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind = 'gazette_digest') = (gazette_digest_id IS NOT NULL))
      AND ((kind IN ('gazette_notice', 'gazette_activity', 'gazette_post')) = (gazette_post_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice', 'gazette_activity'))
        = (body IS NOT NULL)))`,
  `CREATE UNIQUE INDEX messages_one_gazette_digest ON messages (gazette_digest_id) WHERE gazette_digest_id IS NOT NULL`,
  `CREATE UNIQUE INDEX messages_one_gazette_post ON messages (gazette_post_id) WHERE kind = 'gazette_post'`,
  `CREATE INDEX gazette_posts_recent ON gazette_posts (created_at) WHERE status = 'published'`,
  `ALTER TABLE deliveries ADD COLUMN gazette_digest_id uuid`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id,
      gazette_digest_id) = 1)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
