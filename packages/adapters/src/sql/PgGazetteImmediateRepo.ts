import { SqlClient, SqlSchema } from "@effect/sql"
import { CommunityId } from "@vigie/domain/communities/Community"
import { GazetteImmediateRepo } from "@vigie/domain/gazette/GazetteImmediateRepo"
import { GazettePostId, PostKind, PostStatus } from "@vigie/domain/gazette/GazettePost"
import { defaultGazetteChoices, gazetteTopics } from "@vigie/domain/gazette/GazettePreferences"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

/** The member's choice for the post's kind (`g` their gazette_preferences, `p` the post), the default when none. */
const choiceOfKind = `CASE p.kind ${
  gazetteTopics.map((t) => `WHEN '${t}' THEN coalesce(g.${t}, '${defaultGazetteChoices[t]}')`).join(" ")
} END`

/**
 * The immediate messages of the pending posts and their deliveries, in one statement (see
 * GazetteImmediateRepo.plan and GazetteImmediate.immediateRecipients, which it must agree with).
 */
const planStatement = `
WITH pending AS (
  SELECT p.id, p.kind, p.community_id, p.insee, p.author_id FROM gazette_posts p
  WHERE p.status = 'published' AND p.cancelled_at IS NULL AND p.created_at >= $1::timestamptz
    AND p.created_at <= $2::timestamptz
    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.gazette_post_id = p.id AND m.kind = 'gazette_post')
  ORDER BY p.created_at, p.id
  LIMIT $3::int
), reach AS (
  SELECT id AS post_id, community_id FROM pending WHERE community_id IS NOT NULL
  UNION
  SELECT pe.id, t.community_id FROM pending pe JOIN gazette_post_targets t ON t.post_id = pe.id
  UNION
  SELECT pe.id, c.id FROM pending pe JOIN communities c ON c.insee = pe.insee
  WHERE pe.community_id IS NULL AND NOT EXISTS (SELECT 1 FROM gazette_post_targets t WHERE t.post_id = pe.id)
), reader AS (
  SELECT DISTINCT p.id AS post_id, p.kind, a.id AS account_id, a.email, a.phone, a.phone_verified,
         ${choiceOfKind} AS choice, coalesce(g.mairie_sms, false) AS mairie_sms
  FROM reach r
  JOIN pending p ON p.id = r.post_id
  JOIN communities c ON c.id = r.community_id AND c.status = 'active'
  JOIN memberships m ON m.community_id = r.community_id AND m.status = 'verified'
  JOIN accounts a ON a.id = m.account_id AND a.status = 'active' AND a.id <> p.author_id
  LEFT JOIN gazette_preferences g ON g.account_id = a.id
), dest AS (
  SELECT post_id, account_id, 'email'::text AS channel, email AS destination FROM reader
  WHERE email IS NOT NULL AND choice = 'immediate'
  UNION ALL
  SELECT post_id, account_id, 'sms', phone FROM reader rd
  WHERE kind = 'communication' AND mairie_sms AND phone_verified AND phone IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = rd.phone)
), message AS (
  INSERT INTO messages (kind, gazette_post_id, created_at)
  SELECT 'gazette_post', id, $2::timestamptz FROM pending
  ON CONFLICT (gazette_post_id) WHERE kind = 'gazette_post' DO NOTHING
  RETURNING id, gazette_post_id
), inserted AS (
  INSERT INTO deliveries (message_id, gazette_post_id, account_id, channel, destination, next_attempt_at, created_at,
                          updated_at)
  SELECT message.id, d.post_id, d.account_id, d.channel, d.destination, $2::timestamptz, $2::timestamptz,
         $2::timestamptz
  FROM dest d JOIN message ON message.gazette_post_id = d.post_id
  RETURNING channel
)
SELECT (SELECT count(*)::int FROM message) AS posts,
       count(*) FILTER (WHERE channel = 'sms')::int AS sms,
       count(*) FILTER (WHERE channel = 'email')::int AS email
FROM inserted`

const Report = Schema.Struct({ posts: Schema.Int, sms: Schema.Int, email: Schema.Int })

const PostRow = Schema.Struct({
  id: GazettePostId,
  kind: PostKind,
  status: PostStatus,
  reach: Schema.Array(CommunityId),
  title: Schema.String,
  excerpt: Schema.String,
  created_at: Schema.DateTimeUtcFromDate,
  starts_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  place: Schema.NullOr(Schema.String),
  quartier: Schema.NullOr(Schema.String)
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const plan = SqlSchema.single({
    Request: Schema.Any,
    Result: Report,
    execute: ({ at, limit, since }: { readonly since: Date; readonly at: Date; readonly limit: number }) =>
      sql.unsafe(planStatement, [since, at, limit])
  })

  const posts = SqlSchema.findAll({
    Request: Schema.Array(Schema.String),
    Result: PostRow,
    execute: (ids) =>
      sql`
SELECT p.id, p.kind, p.status, CASE WHEN p.community_id IS NULL THEN '{}'::text[] ELSE ARRAY[p.community_id::text] END
         AS reach,
       p.title, left(p.body, 800) AS excerpt, p.created_at,
       CASE WHEN p.kind = 'evenement' THEN (p.details->>'startsAt')::timestamptz END AS starts_at,
       CASE WHEN p.kind = 'evenement' THEN p.details->>'place' END AS place,
       c.name AS quartier
FROM gazette_posts p LEFT JOIN communities c ON c.id = p.community_id
WHERE p.id = ANY (${ids}::uuid[])`
  })

  return GazetteImmediateRepo.of({
    plan: (since, at, limit) =>
      plan({ since: DateTime.toDateUtc(since), at: DateTime.toDateUtc(at), limit }).pipe(
        mapFailures(),
        Effect.withSpan("PgGazetteImmediateRepo.plan")
      ),
    posts: (ids) =>
      ids.length === 0 ? Effect.succeed(new Map()) : posts(ids).pipe(
        Effect.map((rows) =>
          new Map(rows.map((r) => [r.id, {
            id: r.id,
            kind: r.kind,
            status: r.status,
            reach: r.reach,
            title: r.title,
            excerpt: r.excerpt,
            createdAt: r.created_at,
            startsAt: r.starts_at,
            place: r.place,
            quartier: r.quartier
          }]))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteImmediateRepo.posts")
      )
  })
})

export const layer = Layer.effect(GazetteImmediateRepo, make)
