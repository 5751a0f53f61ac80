import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The Gazette's posts (issue 15): one row per post, its kind's details in jsonb and the columns that
 * filter and sort as scalars; its photos (claimed uploads, in order); the quartiers a mairie
 * communication names (none: every quartier of its commune).
 *
 * French full-text search without the unaccent extension (managed servers may not offer it):
 * gazette_fold() lower-cases and strips French accents with translate(), both cases listed since
 * lower() leaves non-ASCII letters alone under the C locale; it is IMMUTABLE, so the generated
 * tsvector column (french configuration) may use it, and a GIN index serves the searches, which fold
 * their query the same way. PostgreSQL 12+ (generated columns), nothing newer than 15.
 *
 * Messages gain the kind 'gazette_notice' (an author told by e-mail that their post expires in 3
 * days; its text stored in body), whose subject is the post (gazette_post_id, on its deliveries too).
 */
const statements: ReadonlyArray<string> = [
  `CREATE FUNCTION gazette_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT replace(replace(replace(replace(translate(lower(input),
      'àâäáãåéèêëíìîïóòôöõúùûüýÿçñÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝŸÇÑ',
      'aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn'),
      'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae') $$`,
  `CREATE TABLE gazette_posts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('annonce', 'entraide', 'covoiturage', 'perdu_trouve', 'vie_du_quartier',
      'compte_rendu', 'communication', 'evenement')),
    community_id uuid REFERENCES communities (id),
    insee text NOT NULL,
    author_id uuid NOT NULL REFERENCES accounts (id),
    title text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 120),
    body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
    details jsonb NOT NULL,
    attachment_id uuid UNIQUE REFERENCES media_uploads (id),
    status text NOT NULL CHECK (status IN ('published', 'held_for_review', 'hidden', 'withdrawn')),
    hold_reasons text[] NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'expired')),
    outcome text CHECK (outcome IN ('vendu', 'donne', 'rendu', 'trouve', 'fait', 'complet', 'retrouve')),
    closed_at timestamptz,
    cancelled_at timestamptz,
    withdrawn_at timestamptz,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    reminded_for timestamptz,
    pinned_until timestamptz,
    search tsvector GENERATED ALWAYS AS (to_tsvector('french'::regconfig, gazette_fold(title || ' ' || body))) STORED,
    CHECK ((kind = 'communication') = (community_id IS NULL)),
    CHECK ((state = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL))
  )`,
  `CREATE INDEX gazette_posts_community ON gazette_posts (community_id, created_at DESC, id DESC)
    WHERE community_id IS NOT NULL`,
  `CREATE INDEX gazette_posts_communications ON gazette_posts (insee, created_at DESC, id DESC)
    WHERE kind = 'communication'`,
  `CREATE INDEX gazette_posts_author ON gazette_posts (author_id)`,
  `CREATE INDEX gazette_posts_expiring ON gazette_posts (expires_at) WHERE state = 'open' AND expires_at IS NOT NULL`,
  `CREATE INDEX gazette_posts_search ON gazette_posts USING gin (search)`,
  `CREATE TABLE gazette_post_photos (
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    upload_id uuid NOT NULL UNIQUE REFERENCES media_uploads (id),
    position smallint NOT NULL CHECK (position BETWEEN 0 AND 3),
    PRIMARY KEY (post_id, position)
  )`,
  `CREATE TABLE gazette_post_targets (
    post_id uuid NOT NULL REFERENCES gazette_posts (id) ON DELETE CASCADE,
    community_id uuid NOT NULL REFERENCES communities (id),
    PRIMARY KEY (post_id, community_id)
  )`,
  `CREATE INDEX gazette_post_targets_community ON gazette_post_targets (community_id)`,
  `ALTER TABLE messages ADD COLUMN gazette_post_id uuid REFERENCES gazette_posts (id)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_one_subject`,
  `ALTER TABLE messages ADD CONSTRAINT messages_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id) = 1)`,
  `ALTER TABLE messages DROP CONSTRAINT messages_kind_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('alert', 'followup', 'closing', 'bulletin', 'notice', 'community_notice', 'proposal_notice',
        'gazette_notice')
      AND ((kind = 'bulletin') = (bulletin_id IS NOT NULL))
      AND ((kind = 'notice') = (audit_id IS NOT NULL))
      AND ((kind = 'community_notice') = (community_change_id IS NOT NULL))
      AND ((kind = 'proposal_notice') = (proposal_id IS NOT NULL))
      AND ((kind = 'gazette_notice') = (gazette_post_id IS NOT NULL))
      AND ((kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice')) = (body IS NOT NULL)))`,
  `CREATE INDEX messages_gazette_post ON messages (gazette_post_id) WHERE gazette_post_id IS NOT NULL`,
  `ALTER TABLE deliveries ADD COLUMN gazette_post_id uuid REFERENCES gazette_posts (id)`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject
    CHECK (num_nonnulls(alert_id, bulletin_id, audit_id, community_change_id, proposal_id, gazette_post_id) = 1)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
