import { SqlClient } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { displayName } from "@vigie/domain/accounts/DisplayName"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import {
  GazetteDetails,
  GazettePost,
  GazettePostId,
  PostKind,
  PostOutcome,
  PostState,
  PostStatus
} from "@vigie/domain/gazette/GazettePost"
import { REMINDER_BEFORE } from "@vigie/domain/gazette/GazettePolicy"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { UploadId } from "@vigie/domain/media/Upload"
import { HoldReason } from "@vigie/domain/trust/TrustPolicy"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

/** How a mairie communication is signed: it speaks for the town hall, not for its agent. */
export const MAIRIE_AUTHOR = "Mairie"

const At = Schema.DateTimeUtcFromDate
const Row = Schema.Struct({
  id: GazettePostId,
  kind: PostKind,
  community_id: Schema.NullOr(CommunityId),
  insee: InseeCode,
  author_id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  author_status: AccountStatus,
  title: Schema.String,
  body: Schema.String,
  photos: Schema.Array(UploadId),
  details: GazetteDetails,
  status: PostStatus,
  hold_reasons: Schema.Array(HoldReason),
  state: PostState,
  outcome: Schema.NullOr(PostOutcome),
  closed_at: Schema.NullOr(At),
  cancelled_at: Schema.NullOr(At),
  created_at: At,
  expires_at: Schema.NullOr(At),
  reminded_for: Schema.NullOr(At)
})
const decodeRows = Schema.decodeUnknown(Schema.Array(Row))

const toPost = (r: typeof Row.Type) =>
  new GazettePost({
    id: r.id,
    kind: r.kind,
    communityId: r.community_id,
    insee: r.insee,
    authorId: r.author_id,
    authorName: r.kind === "communication"
      ? MAIRIE_AUTHOR
      : displayName({ firstName: r.first_name, lastName: r.last_name, status: r.author_status }),
    title: r.title,
    body: r.body,
    photos: r.photos,
    details: r.details,
    status: r.status,
    holdReasons: r.hold_reasons,
    state: r.state,
    outcome: r.outcome,
    closedAt: r.closed_at,
    cancelledAt: r.cancelled_at,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    remindedFor: r.reminded_for
  })

/** The columns of a post with its author's names and its photos in order, from `gazette_posts p`. */
const columns = `p.id, p.kind, p.community_id, p.insee, p.author_id, a.first_name, a.last_name,
  a.status AS author_status, p.title, p.body,
  COALESCE((SELECT jsonb_agg(ph.upload_id ORDER BY ph.position) FROM gazette_post_photos ph WHERE ph.post_id = p.id),
    '[]'::jsonb) AS photos,
  p.details, p.status, to_jsonb(p.hold_reasons) AS hold_reasons, p.state, p.outcome, p.closed_at, p.cancelled_at,
  p.created_at, p.expires_at, p.reminded_for`
const from = `FROM gazette_posts p JOIN accounts a ON a.id = p.author_id`

const date = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toDateUtc(at))

/**
 * The Gazette in PostgreSQL. A post and its photos and target quartiers are written by one
 * statement; lists decide visibility, filters, search and paging in one query per page (keyset on
 * (created_at, id)), searching the generated `search` column (gazette_fold + french, GIN-indexed).
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const select = sql.literal(`SELECT ${columns} ${from}`)

  const findById: GazetteRepo["Type"]["findById"] = (id) =>
    sql`${select} WHERE p.id = ${id}`.pipe(
      Effect.flatMap(decodeRows),
      Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toPost)),
      mapFailures(),
      Effect.withSpan("PgGazetteRepo.findById")
    )

  const flag = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(statement, (rows) => rows.length > 0)

  return GazetteRepo.of({
    insert: (post) =>
      Effect.gen(function*() {
        const details = yield* Schema.encode(GazetteDetails)(post.details)
        const targets = post.details._tag === "communication" ? post.details.communityIds : []
        const pinnedUntil = post.details._tag === "communication" && post.details.pinnedUntil !== undefined
          ? DateTime.toDateUtc(post.details.pinnedUntil)
          : null
        const rows = yield* sql<{ id: string }>`
WITH post AS (
  INSERT INTO gazette_posts (kind, community_id, insee, author_id, title, body, details, attachment_id, status,
    hold_reasons, created_at, expires_at, pinned_until)
  VALUES (${post.kind}, ${post.communityId}, ${post.insee}, ${post.authorId}, ${post.title}, ${post.body},
    ${JSON.stringify(details)}::jsonb, ${post.attachment}, ${post.status},
    ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(post.holdReasons)}::jsonb)),
    ${DateTime.toDateUtc(post.createdAt)}, ${date(post.expiresAt)}, ${pinnedUntil})
  RETURNING id
), photos AS (
  INSERT INTO gazette_post_photos (post_id, upload_id, position)
  SELECT post.id, u.value::uuid, u.ord - 1
  FROM post, jsonb_array_elements_text(${JSON.stringify(post.photos)}::jsonb) WITH ORDINALITY AS u(value, ord)
), targets AS (
  INSERT INTO gazette_post_targets (post_id, community_id)
  SELECT post.id, t.value::uuid FROM post, jsonb_array_elements_text(${JSON.stringify(targets)}::jsonb) AS t(value)
)
SELECT id FROM post`
        const id = Schema.decodeUnknownSync(GazettePostId)(rows[0]!.id)
        return Option.getOrThrow(yield* findById(id))
      }).pipe(mapFailures(), Effect.withSpan("PgGazetteRepo.insert")),

    findById,

    list: (q) => {
      const now = DateTime.toDateUtc(q.now)
      const after = Option.getOrNull(q.after)
      return sql`
${select}
WHERE p.status <> 'withdrawn' AND (p.status = 'published' OR p.author_id = ${q.readerId})
  AND (p.community_id = ${q.communityId}
    OR (p.kind = 'communication' AND p.insee = ${q.insee} AND (
      EXISTS (SELECT 1 FROM gazette_post_targets t WHERE t.post_id = p.id AND t.community_id = ${q.communityId})
      OR NOT EXISTS (SELECT 1 FROM gazette_post_targets t WHERE t.post_id = p.id))))
  AND (${JSON.stringify(q.kinds)}::jsonb = '[]'::jsonb
    OR p.kind IN (SELECT jsonb_array_elements_text(${JSON.stringify(q.kinds)}::jsonb)))
  AND (${q.state}::text = 'all' OR (${q.state}::text = 'open') =
    (p.state = 'open' AND p.cancelled_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > ${now})))
  AND (${Option.getOrNull(q.query)}::text IS NULL
    OR p.search @@ plainto_tsquery('french'::regconfig, gazette_fold(${Option.getOrNull(q.query)}::text)))
  AND (p.kind = 'communication' AND COALESCE(p.pinned_until > ${now}, false)) = ${q.pinned}
  AND (${after === null ? null : DateTime.toDateUtc(after.createdAt)}::timestamptz IS NULL
    OR (p.created_at, p.id) < (${after === null ? null : DateTime.toDateUtc(after.createdAt)}::timestamptz,
      ${after === null ? null : after.id}::uuid))
ORDER BY p.created_at DESC, p.id DESC
LIMIT ${q.limit}`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => rows.map(toPost)),
        mapFailures(),
        Effect.withSpan("PgGazetteRepo.list")
      )
    },

    countByAuthor: (authorId) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM gazette_posts WHERE author_id = ${authorId}`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        mapFailures(),
        Effect.withSpan("PgGazetteRepo.countByAuthor")
      ),

    close: (id, outcome, at) =>
      flag(sql`
UPDATE gazette_posts SET state = 'closed', outcome = ${outcome}, closed_at = ${DateTime.toDateUtc(at)}
WHERE id = ${id} AND state <> 'closed' AND cancelled_at IS NULL AND status NOT IN ('hidden', 'withdrawn')
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteRepo.close")),

    renew: (id, expiresAt) =>
      flag(sql`
UPDATE gazette_posts SET state = 'open', expires_at = ${DateTime.toDateUtc(expiresAt)}
WHERE id = ${id} AND state <> 'closed' AND cancelled_at IS NULL AND status NOT IN ('hidden', 'withdrawn')
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteRepo.renew")),

    withdraw: (id, at) =>
      flag(sql`
UPDATE gazette_posts SET status = 'withdrawn', withdrawn_at = ${DateTime.toDateUtc(at)}
WHERE id = ${id} AND status NOT IN ('hidden', 'withdrawn')
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteRepo.withdraw")),

    expireDue: (now) =>
      sql`
UPDATE gazette_posts SET state = 'expired'
WHERE state = 'open' AND expires_at IS NOT NULL AND expires_at <= ${DateTime.toDateUtc(now)}
RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length),
        mapFailures(),
        Effect.withSpan("PgGazetteRepo.expireDue")
      ),

    remindersDue: (now, limit) =>
      sql`
${select}
WHERE p.status = 'published' AND p.state = 'open' AND p.cancelled_at IS NULL AND p.expires_at IS NOT NULL
  AND p.expires_at > ${DateTime.toDateUtc(now)}
  AND p.expires_at <= ${DateTime.toDateUtc(DateTime.addDuration(now, REMINDER_BEFORE))}
  AND p.reminded_for IS DISTINCT FROM p.expires_at
ORDER BY p.expires_at, p.id
LIMIT ${limit}`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => rows.map(toPost)),
        mapFailures(),
        Effect.withSpan("PgGazetteRepo.remindersDue")
      ),

    markReminded: (id, expiresAt) =>
      flag(sql`
UPDATE gazette_posts SET reminded_for = expires_at
WHERE id = ${id} AND expires_at = ${DateTime.toDateUtc(expiresAt)} AND reminded_for IS DISTINCT FROM expires_at
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteRepo.markReminded")),

    holding: (uploadId) =>
      sql`
${select}
WHERE p.status <> 'withdrawn' AND (p.attachment_id = ${uploadId}
  OR EXISTS (SELECT 1 FROM gazette_post_photos ph WHERE ph.post_id = p.id AND ph.upload_id = ${uploadId}))`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => rows.map(toPost)),
        mapFailures(),
        Effect.withSpan("PgGazetteRepo.holding")
      )
  })
})

export const layer = Layer.effect(GazetteRepo, make)
