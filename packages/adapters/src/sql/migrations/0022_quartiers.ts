import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Quartiers managed by the mairie (issue 14, item 2):
 * - `communities.updated_at`: when the name, perimeter or status last changed.
 * - `community_changes`: the redraws and archivings of a quartier, who did them and when, with the
 *   perimeter before and after a redraw. Append-only, like the moderation audit.
 * - `memberships.left_reason`: why a membership ended when it was not the member's own choice;
 *   'perimeter_redrawn' when the mairie redrew the quartier and the home fell outside.
 * - Messages gain the kind 'community_notice' (an e-mail to the members a change of their quartier
 *   concerns), its subject the change (`community_change_id`, one message per change), its text
 *   stored with it (`body`) as a moderation notice's is; deliveries name the change too.
 */
const statements: ReadonlyArray<string> = [
  `ALTER TABLE communities ADD COLUMN updated_at timestamptz`,
  `CREATE INDEX communities_insee_active ON communities (insee) WHERE status = 'active'`,

  `CREATE TABLE community_changes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    community_id uuid NOT NULL REFERENCES communities (id),
    action text NOT NULL CHECK (action IN ('redrawn', 'archived')),
    actor_id uuid NOT NULL REFERENCES accounts (id),
    at timestamptz NOT NULL,
    perimeter_before jsonb,
    perimeter_after jsonb,
    CONSTRAINT community_changes_redraw_whole CHECK (
      (action = 'redrawn') = (perimeter_before IS NOT NULL) AND (action = 'redrawn') = (perimeter_after IS NOT NULL))
  )`,
  `CREATE INDEX community_changes_community ON community_changes (community_id, at DESC)`,
  `CREATE FUNCTION community_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'community_changes rows are never changed nor deleted'; END $$`,
  `CREATE TRIGGER community_changes_append_only BEFORE UPDATE OR DELETE ON community_changes
    FOR EACH ROW EXECUTE FUNCTION community_changes_append_only()`,

  `ALTER TABLE memberships ADD COLUMN left_reason text CHECK (left_reason IN ('perimeter_redrawn'))`,
  `ALTER TABLE memberships ADD CONSTRAINT memberships_left_reason_when_left
    CHECK (left_reason IS NULL OR status = 'left')`,

  `ALTER TABLE messages ADD COLUMN community_change_id uuid REFERENCES community_changes (id)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id) = 1)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice')) = (body IS NOT NULL)))`,
  `CREATE UNIQUE INDEX messages_one_community_notice ON messages (community_change_id)
    WHERE community_change_id IS NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN community_change_id uuid REFERENCES community_changes (id)`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id) = 1)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
