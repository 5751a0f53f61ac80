import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Quartier proposals (issue 14, item 3): a resident proposes a quartier (name, why, perimeter, their
 * home); it stays pending until the commune's mairie (or a platform admin) accepts it (the quartier
 * opened is `community_id`) or refuses it (`refusal_reason`), or its requester withdraws it. A
 * decided proposal never changes again: every move is `UPDATE ... WHERE status = 'pending'`.
 *
 * Messages gain the kind 'proposal_notice' (the e-mail telling the requester of the decision, written
 * in the decision's transaction), its subject the proposal (`proposal_id`, one message per proposal),
 * its text stored with it (`body`) as a quartier notice's is; deliveries name the proposal too.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE community_proposals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    requester_id uuid NOT NULL REFERENCES accounts (id),
    insee text NOT NULL CHECK (insee ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
    perimeter jsonb NOT NULL,
    address_line1 text NOT NULL CHECK (char_length(address_line1) BETWEEN 1 AND 200),
    address_line2 text CHECK (char_length(address_line2) BETWEEN 1 AND 200),
    postcode text NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    city text NOT NULL CHECK (char_length(city) BETWEEN 1 AND 120),
    lon double precision CHECK (lon BETWEEN -180 AND 180),
    lat double precision CHECK (lat BETWEEN -90 AND 90),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused', 'withdrawn')),
    refusal_reason text CHECK (char_length(refusal_reason) BETWEEN 1 AND 1000),
    community_id uuid REFERENCES communities (id),
    decided_by uuid REFERENCES accounts (id),
    decided_at timestamptz,
    created_at timestamptz NOT NULL,
    CONSTRAINT community_proposals_location_whole CHECK ((lon IS NULL) = (lat IS NULL)),
    CONSTRAINT community_proposals_accepted_opens CHECK ((status = 'accepted') = (community_id IS NOT NULL)),
    CONSTRAINT community_proposals_refused_says_why CHECK ((status = 'refused') = (refusal_reason IS NOT NULL)),
    CONSTRAINT community_proposals_decided_when CHECK ((status = 'pending') = (decided_at IS NULL)),
    CONSTRAINT community_proposals_decided_by CHECK ((status = 'pending') = (decided_by IS NULL))
  )`,
  `CREATE INDEX community_proposals_commune ON community_proposals (insee, created_at)`,
  `CREATE INDEX community_proposals_pending ON community_proposals (created_at) WHERE status = 'pending'`,
  `CREATE INDEX community_proposals_requester ON community_proposals (requester_id, created_at DESC)`,

  `ALTER TABLE messages ADD COLUMN proposal_id uuid REFERENCES community_proposals (id)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id) = 1)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice')) = (body IS NOT NULL)))`,
  `CREATE UNIQUE INDEX messages_one_proposal_notice ON messages (proposal_id) WHERE proposal_id IS NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN proposal_id uuid REFERENCES community_proposals (id)`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id) = 1)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
