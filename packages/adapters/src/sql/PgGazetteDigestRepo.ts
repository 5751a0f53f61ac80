import { SqlClient, SqlSchema } from "@effect/sql"
import { CommunityId } from "@vigie/domain/communities/Community"
import type { DigestWindow } from "@vigie/domain/gazette/GazetteDigest"
import { GazetteDigestRepo } from "@vigie/domain/gazette/GazetteDigestRepo"
import type { RenderedGroup } from "@vigie/domain/gazette/GazetteDigestRepo"
import { GazettePostId, PostKind } from "@vigie/domain/gazette/GazettePost"
import { defaultGazetteChoices, GazetteTopic, gazetteTopics } from "@vigie/domain/gazette/GazettePreferences"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const weekly = (topic: GazetteTopic) =>
  `CASE WHEN coalesce(g.${topic}, '${defaultGazetteChoices[topic]}') = 'weekly' THEN '${topic}' END`

/**
 * `digest_member`: the members who may receive a digest, once each: active accounts with an
 * e-mail, their verified memberships of active quartiers as a sorted uuid[] (`communities`), and
 * their weekly topics in reading order (`topics`, the defaults of GazettePreferences when they never
 * chose; possibly empty). The grouping and the deliveries both read it, so they cannot disagree.
 */
export const digestMemberCte = `
digest_member AS (
  SELECT a.id AS account_id, a.email, mc.communities,
         array_remove(ARRAY[${gazetteTopics.map(weekly).join(",\n           ")}]::text[], NULL) AS topics
  FROM (
    SELECT m.account_id, array_agg(m.community_id ORDER BY m.community_id) AS communities
    FROM memberships m JOIN communities c ON c.id = m.community_id AND c.status = 'active'
    WHERE m.status = 'verified'
    GROUP BY m.account_id
  ) mc
  JOIN accounts a ON a.id = mc.account_id
  LEFT JOIN gazette_preferences g ON g.account_id = a.id
  WHERE a.status = 'active' AND a.email IS NOT NULL
)`

const GroupRow = Schema.Struct({
  id: Schema.String,
  seq: Schema.Int,
  communities: Schema.Array(CommunityId),
  topics: Schema.Array(GazetteTopic),
  members: Schema.Int
})

const CandidateRow = Schema.Struct({
  id: GazettePostId,
  kind: PostKind,
  reach: Schema.Array(CommunityId),
  title: Schema.String,
  excerpt: Schema.String,
  created_at: Schema.DateTimeUtcFromDate,
  starts_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  place: Schema.NullOr(Schema.String),
  quartier: Schema.NullOr(Schema.String)
})

const Report = Schema.Struct({
  groups: Schema.Int,
  messages: Schema.Int,
  deliveries: Schema.Int
})

const EmailRow = Schema.Struct({ id: Schema.String, subject: Schema.String, text: Schema.String, html: Schema.String })

const date = DateTime.toDateUtc

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const claim = (window: DigestWindow, at: DateTime.Utc) =>
    sql<{ week: string }>`
      INSERT INTO gazette_digest_runs (week, run_at, claimed_at)
      VALUES (${window.week}::date, ${date(window.runAt)}, ${date(at)})
      ON CONFLICT (week) DO NOTHING
      RETURNING week::text`.pipe(Effect.map((rows) => rows.length === 1))

  const group = (window: DigestWindow) =>
    sql.unsafe<{ n: number }>(
      `WITH ${digestMemberCte}, grouped AS (
        INSERT INTO gazette_digests (week, communities, topics, members)
        SELECT $1::date, communities, topics, count(*)::int FROM digest_member
        WHERE cardinality(topics) > 0
        GROUP BY communities, topics
        ORDER BY communities, topics
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM grouped`,
      [window.week]
    ).pipe(Effect.map((rows) => rows[0]?.n ?? 0))

  const groups = SqlSchema.findAll({
    Request: Schema.Any,
    Result: GroupRow,
    execute: ({ after, limit, week }: { readonly week: string; readonly after: number; readonly limit: number }) =>
      sql`SELECT id::text, seq::int, communities::text[], topics, members FROM gazette_digests
          WHERE week = ${week}::date AND seq > ${after} ORDER BY seq LIMIT ${limit}`
  })

  const candidates = SqlSchema.findAll({
    Request: Schema.Any,
    Result: CandidateRow,
    execute: (
      { communities, window }: { readonly window: DigestWindow; readonly communities: ReadonlyArray<string> }
    ) => {
      const runAt = date(window.runAt)
      const since = date(window.newSince)
      const until = date(window.eventsUntil)
      return sql`
SELECT p.id, p.kind, ARRAY[p.community_id::text] AS reach, p.title, left(p.body, 300) AS excerpt, p.created_at,
       CASE WHEN p.kind = 'evenement' THEN (p.details->>'startsAt')::timestamptz END AS starts_at,
       CASE WHEN p.kind = 'evenement' THEN p.details->>'place' END AS place,
       c.name AS quartier
FROM gazette_posts p JOIN communities c ON c.id = p.community_id
WHERE p.community_id = ANY (${communities}::uuid[]) AND p.status = 'published' AND p.created_at < ${runAt}
  AND CASE WHEN p.kind = 'evenement'
    THEN p.cancelled_at IS NULL AND (p.details->>'startsAt')::timestamptz >= ${runAt}
      AND (p.details->>'startsAt')::timestamptz < ${until}
    ELSE p.created_at >= ${since} AND p.state = 'open' AND (p.expires_at IS NULL OR p.expires_at > ${runAt})
  END
UNION ALL
SELECT p.id, p.kind, r.reach, p.title, left(p.body, 300), p.created_at, NULL, NULL, NULL
FROM gazette_posts p
CROSS JOIN LATERAL (
  SELECT array_agg(x.id::text ORDER BY x.id) AS reach FROM (
    SELECT t.community_id AS id FROM gazette_post_targets t WHERE t.post_id = p.id
    UNION ALL
    SELECT c.id FROM communities c
    WHERE c.insee = p.insee AND NOT EXISTS (SELECT 1 FROM gazette_post_targets t WHERE t.post_id = p.id)
  ) x
  WHERE x.id = ANY (${communities}::uuid[])
) r
WHERE p.kind = 'communication' AND p.status = 'published'
  AND p.insee IN (SELECT insee FROM communities WHERE id = ANY (${communities}::uuid[]))
  AND p.created_at >= ${since} AND p.created_at < ${runAt}
  AND p.state = 'open' AND (p.expires_at IS NULL OR p.expires_at > ${runAt})
  AND r.reach IS NOT NULL`
    }
  })

  const store = (rendered: ReadonlyArray<RenderedGroup>) =>
    sql`
UPDATE gazette_digests d
SET subject = r.subject, text = r.text, html = r.html, post_ids = r.post_ids
FROM jsonb_to_recordset(${
      JSON.stringify(rendered.map((g) => ({
        id: g.id,
        subject: g.email?.subject ?? null,
        text: g.email?.text ?? null,
        html: g.email?.html ?? null,
        post_ids: g.postIds
      })))
    }::jsonb) AS r (id uuid, subject text, text text, html text, post_ids uuid[])
WHERE d.id = r.id`

  const send = SqlSchema.single({
    Request: Schema.Any,
    Result: Report,
    execute: ({ at, week }: { readonly week: string; readonly at: Date }) =>
      sql.unsafe(
        `WITH ${digestMemberCte},
sent AS (
  INSERT INTO messages (kind, gazette_digest_id, created_at)
  SELECT 'gazette_digest', d.id, $2::timestamptz FROM gazette_digests d WHERE d.week = $1::date AND d.html IS NOT NULL
  RETURNING id, gazette_digest_id
), delivered AS (
  INSERT INTO deliveries (message_id, gazette_digest_id, account_id, channel, destination, next_attempt_at,
                          created_at, updated_at)
  SELECT s.id, s.gazette_digest_id, m.account_id, 'email', m.email, $2::timestamptz, $2::timestamptz, $2::timestamptz
  FROM digest_member m
  JOIN gazette_digests d ON d.week = $1::date AND d.communities = m.communities AND d.topics = m.topics
  JOIN sent s ON s.gazette_digest_id = d.id
  RETURNING 1
), counted AS (
  SELECT (SELECT count(*)::int FROM gazette_digests WHERE week = $1::date) AS groups,
         (SELECT count(*)::int FROM sent) AS messages,
         (SELECT count(*)::int FROM delivered) AS deliveries
), closed AS (
  UPDATE gazette_digest_runs r SET finished_at = $2::timestamptz, groups = c.groups, messages = c.messages,
         deliveries = c.deliveries
  FROM counted c WHERE r.week = $1::date
  RETURNING r.groups, r.messages, r.deliveries
)
SELECT groups, messages, deliveries FROM closed`,
        [week, at]
      )
  })

  const emails = SqlSchema.findAll({
    Request: Schema.Array(Schema.String),
    Result: EmailRow,
    execute: (ids) =>
      sql`SELECT id::text, subject, text, html FROM gazette_digests WHERE id = ANY (${ids}::uuid[]) AND html IS NOT NULL`
  })

  return GazetteDigestRepo.of({
    claim: (window, at) => claim(window, at).pipe(mapFailures(), Effect.withSpan("PgGazetteDigestRepo.claim")),
    group: (window) => group(window).pipe(mapFailures(), Effect.withSpan("PgGazetteDigestRepo.group")),
    groups: (window, after, limit) =>
      groups({ week: window.week, after, limit }).pipe(mapFailures(), Effect.withSpan("PgGazetteDigestRepo.groups")),
    candidates: (window, communities) =>
      communities.length === 0 ? Effect.succeed([]) : candidates({ window, communities }).pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            reach: r.reach,
            title: r.title,
            excerpt: r.excerpt,
            createdAt: r.created_at,
            startsAt: r.starts_at,
            place: r.place,
            quartier: r.quartier
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteDigestRepo.candidates")
      ),
    store: (rendered) =>
      rendered.length === 0
        ? Effect.void
        : store(rendered).pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgGazetteDigestRepo.store")),
    send: (window, at) =>
      send({ week: window.week, at: date(at) }).pipe(
        Effect.map((r) => ({ week: window.week, ...r })),
        mapFailures(),
        Effect.withSpan("PgGazetteDigestRepo.send")
      ),
    forgetEmails: (week) =>
      sql<{ n: number }>`
        WITH blanked AS (
          UPDATE gazette_digests SET subject = NULL, text = NULL, html = NULL
          WHERE week <= ${week}::date AND html IS NOT NULL
          RETURNING 1
        )
        SELECT count(*)::int AS n FROM blanked`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        mapFailures(),
        Effect.withSpan("PgGazetteDigestRepo.forgetEmails")
      ),
    emails: (ids) =>
      ids.length === 0 ? Effect.succeed(new Map()) : emails(ids).pipe(
        Effect.map((rows) => new Map(rows.map((r) => [r.id, { subject: r.subject, text: r.text, html: r.html }]))),
        mapFailures(),
        Effect.withSpan("PgGazetteDigestRepo.emails")
      ),
    plannedAt: (week) =>
      sql<{ finished_at: Date | null }>`SELECT finished_at FROM gazette_digest_runs WHERE week = ${week}::date`.pipe(
        Effect.map((rows) =>
          Option.flatMap(Option.fromNullable(rows[0]?.finished_at), (d) => Option.some(DateTime.unsafeFromDate(d)))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteDigestRepo.plannedAt")
      )
  })
})

export const layer = Layer.effect(GazetteDigestRepo, make)
