import { SqlClient } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { displayName } from "@vigie/domain/accounts/DisplayName"
import { CommunityId } from "@vigie/domain/communities/Community"
import { GazetteCommentId } from "@vigie/domain/gazette/GazetteComment"
import { GazetteAlreadyAppealed, GazetteAlreadyFlagged } from "@vigie/domain/gazette/GazetteModerationErrors"
import {
  GazetteAppealId,
  GazetteAppealStatus,
  GazetteAppealView,
  GazetteAuthorHistory,
  GazetteFlagId,
  GazetteFlagStatus,
  GazetteFlagView,
  GazetteItemKind,
  type GazetteTarget
} from "@vigie/domain/gazette/GazetteModerationItem"
import {
  type GazetteAppealRecord,
  type GazetteHidingRecord,
  GazetteModerationRepo
} from "@vigie/domain/gazette/GazetteModerationRepo"
import { GazettePostId, PostKind, PostStatus } from "@vigie/domain/gazette/GazettePost"
import { HideReason } from "@vigie/domain/moderation/HideReason"
import { HoldReason } from "@vigie/domain/trust/TrustPolicy"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { MAIRIE_AUTHOR } from "./PgGazetteRepo"
import { mapFailures } from "./SqlFailure"

const At = Schema.DateTimeUtcFromDate
const date = (at: DateTime.Utc) => DateTime.toDateUtc(at)
const commentIdOf = (target: GazetteTarget) => Option.getOrNull(target.commentId)
/** The error fields naming the target. */
const named = (target: GazetteTarget) =>
  Option.match(target.commentId, {
    onNone: () => ({ postId: target.postId }),
    onSome: (commentId) => ({ postId: target.postId, commentId })
  })

const HidingRow = Schema.Struct({
  hidden_by: Schema.NullOr(AccountId),
  hidden_reason: Schema.NullOr(HideReason),
  hidden_details: Schema.NullOr(Schema.String),
  hidden_at: Schema.NullOr(At)
})
const hidingOf = (r: typeof HidingRow.Type): Option.Option<GazetteHidingRecord> =>
  r.hidden_by === null || r.hidden_reason === null || r.hidden_at === null
    ? Option.none()
    : Option.some({
      by: r.hidden_by,
      reason: r.hidden_reason,
      details: Option.fromNullable(r.hidden_details),
      at: r.hidden_at
    })

const AppealRow = Schema.Struct({
  id: GazetteAppealId,
  post_id: GazettePostId,
  comment_id: Schema.NullOr(GazetteCommentId),
  author_id: AccountId,
  hidden_by: AccountId,
  text: Schema.String,
  status: GazetteAppealStatus,
  created_at: At,
  decided_at: Schema.NullOr(At),
  decision_reason: Schema.NullOr(Schema.String)
})
const appealOf = (r: typeof AppealRow.Type): GazetteAppealRecord => ({
  view: new GazetteAppealView({
    id: r.id,
    postId: r.post_id,
    commentId: Option.fromNullable(r.comment_id),
    text: r.text,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: Option.fromNullable(r.decided_at),
    decisionReason: Option.fromNullable(r.decision_reason)
  }),
  authorId: r.author_id,
  hiddenBy: r.hidden_by
})
const appealColumns =
  `id, post_id, comment_id, author_id, hidden_by, text, status, created_at, decided_at, decision_reason`

const FlagRow = Schema.Struct({
  id: GazetteFlagId,
  item_id: Schema.UUID,
  reason: HideReason,
  text: Schema.NullOr(Schema.String),
  created_at: At,
  status: GazetteFlagStatus
})

const Count = Schema.Struct({ n: Schema.NonNegativeInt })

const CommentRow = Schema.Struct({
  id: GazetteCommentId,
  post_id: GazettePostId,
  author_id: AccountId,
  status: PostStatus
})

const QueueRow = Schema.Struct({
  ...HidingRow.fields,
  item: GazetteItemKind,
  item_id: Schema.UUID,
  post_id: GazettePostId,
  comment_id: Schema.NullOr(GazetteCommentId),
  since: At,
  held: Schema.Boolean,
  flagged: Schema.Boolean,
  appealed: Schema.Boolean,
  kind: PostKind,
  status: PostStatus,
  title: Schema.String,
  body: Schema.String,
  community_id: Schema.NullOr(CommunityId),
  quartier: Schema.String,
  hold_reasons: Schema.Array(HoldReason),
  first_name: Schema.String,
  last_name: Schema.String,
  author_status: AccountStatus,
  posts: Schema.NonNegativeInt,
  posts_held: Schema.NonNegativeInt,
  posts_hidden: Schema.NonNegativeInt
})

/**
 * The Gazette's moderation in PostgreSQL: flags and appeals inserted with ON CONFLICT DO NOTHING (one
 * per member and post, one per post: a second one answers the typed error without aborting the
 * caller's transaction), conditional status moves, and the queue in one keyset-paged query.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const decode = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknown(Schema.Array(schema))

  /** The item's table and id: the comment's row for a comment, the post's otherwise. */
  const row = (target: GazetteTarget) =>
    Option.match(target.commentId, {
      onNone: () => ({ table: sql.literal("gazette_posts"), id: target.postId as string }),
      onSome: (commentId) => ({ table: sql.literal("gazette_comments"), id: commentId as string })
    })
  /** The flags or appeals of exactly this item. */
  const ofItem = (target: GazetteTarget) =>
    sql`post_id = ${target.postId} AND comment_id IS NOT DISTINCT FROM ${commentIdOf(target)}::uuid`

  return GazetteModerationRepo.of({
    comment: (id) =>
      sql`SELECT id, post_id, author_id, status FROM gazette_comments WHERE id = ${id} AND deleted_at IS NULL`.pipe(
        Effect.flatMap(decode(CommentRow)),
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => ({
            id: r.id,
            postId: r.post_id,
            authorId: r.author_id,
            status: r.status
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.comment")
      ),

    insertFlag: ({ at, flaggedBy, reason, target, text }) =>
      (Option.isNone(target.commentId)
        ? sql<{ id: string }>`
INSERT INTO gazette_flags (post_id, flagged_by, reason, text, created_at)
VALUES (${target.postId}, ${flaggedBy}, ${reason}, ${Option.getOrNull(text)}, ${date(at)})
ON CONFLICT (post_id, flagged_by) WHERE comment_id IS NULL DO NOTHING
RETURNING id`
        : sql<{ id: string }>`
INSERT INTO gazette_flags (post_id, comment_id, flagged_by, reason, text, created_at)
VALUES (${target.postId}, ${commentIdOf(target)}, ${flaggedBy}, ${reason}, ${Option.getOrNull(text)}, ${date(at)})
ON CONFLICT (comment_id, flagged_by) WHERE comment_id IS NOT NULL DO NOTHING
RETURNING id`).pipe(
          mapFailures(),
          Effect.flatMap((rows) =>
            rows.length === 0 ? Effect.fail(new GazetteAlreadyFlagged(named(target))) : Effect.void
          ),
          Effect.withSpan("PgGazetteModerationRepo.insertFlag")
        ),

    hiding: (target) => {
      const { id, table } = row(target)
      return sql`SELECT hidden_by, hidden_reason, hidden_details, hidden_at FROM ${table} WHERE id = ${id}`.pipe(
        Effect.flatMap(decode(HidingRow)),
        Effect.map((rows) => rows[0] === undefined ? Option.none() : hidingOf(rows[0])),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.hiding")
      )
    },

    openFlags: (target) =>
      sql`SELECT count(*)::int AS n FROM gazette_flags WHERE ${ofItem(target)} AND status = 'open'`.pipe(
        Effect.flatMap(decode(Count)),
        Effect.map((rows) => rows[0]?.n ?? 0),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.openFlags")
      ),

    moveStatus: (target, from, to, hiding, at) => {
      const h = Option.getOrNull(hiding)
      const { id, table } = row(target)
      return sql`
UPDATE ${table} SET status = ${to},
  hidden_by = ${h?.by ?? null}, hidden_reason = ${h?.reason ?? null},
  hidden_details = ${h === null ? null : Option.getOrNull(h.details)},
  hidden_at = ${h === null ? null : date(h.at)}, reviewed_at = ${date(at)}
WHERE id = ${id} AND status = ${from}
RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.moveStatus")
      )
    },

    closeFlags: (target, status, by, at) =>
      sql`
WITH closed AS (
  UPDATE gazette_flags SET status = ${status}, closed_by = ${by}, closed_at = ${date(at)}
  WHERE ${ofItem(target)} AND status = 'open' RETURNING 1
) SELECT count(*)::int AS n FROM closed`.pipe(
        Effect.flatMap(decode(Count)),
        Effect.map((rows) => rows[0]?.n ?? 0),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.closeFlags")
      ),

    insertAppeal: ({ at, authorId, hiddenBy, target, text }) =>
      (Option.isNone(target.commentId)
        ? sql`
INSERT INTO gazette_appeals (post_id, author_id, text, hidden_by, created_at)
VALUES (${target.postId}, ${authorId}, ${text}, ${hiddenBy}, ${date(at)})
ON CONFLICT (post_id) WHERE comment_id IS NULL DO NOTHING
RETURNING ${sql.literal(appealColumns)}`
        : sql`
INSERT INTO gazette_appeals (post_id, comment_id, author_id, text, hidden_by, created_at)
VALUES (${target.postId}, ${commentIdOf(target)}, ${authorId}, ${text}, ${hiddenBy}, ${date(at)})
ON CONFLICT (comment_id) WHERE comment_id IS NOT NULL DO NOTHING
RETURNING ${sql.literal(appealColumns)}`).pipe(
          Effect.flatMap(decode(AppealRow)),
          mapFailures(),
          Effect.flatMap((rows) =>
            rows[0] === undefined
              ? Effect.fail(new GazetteAlreadyAppealed(named(target)))
              : Effect.succeed(appealOf(rows[0]).view)
          ),
          Effect.withSpan("PgGazetteModerationRepo.insertAppeal")
        ),

    appeal: (id) =>
      sql`SELECT ${sql.literal(appealColumns)} FROM gazette_appeals WHERE id = ${id}`.pipe(
        Effect.flatMap(decode(AppealRow)),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), appealOf)),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.appeal")
      ),

    decideAppeal: (id, { at, by, reason, status }) =>
      sql`
UPDATE gazette_appeals SET status = ${status}, decided_by = ${by}, decision_reason = ${reason},
  decided_at = ${date(at)}
WHERE id = ${id} AND status = 'pending'
RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.decideAppeal")
      ),

    queue: (after, limit) => {
      const since = Option.match(after, { onNone: () => null, onSome: (c) => date(c.since) })
      const afterId = Option.match(after, { onNone: () => null, onSome: (c) => c.itemId })
      return sql`
WITH waiting AS (
  SELECT 'post' AS item, p.id AS item_id, p.id AS post_id, NULL::uuid AS comment_id, p.author_id, p.status,
    p.body, p.hold_reasons, p.hidden_by, p.hidden_reason, p.hidden_details, p.hidden_at,
    CASE WHEN p.status = 'held_for_review' THEN p.created_at END AS held_since,
    (SELECT min(f.created_at) FROM gazette_flags f
      WHERE f.post_id = p.id AND f.comment_id IS NULL AND f.status = 'open') AS flagged_since,
    (SELECT ap.created_at FROM gazette_appeals ap
      WHERE ap.post_id = p.id AND ap.comment_id IS NULL AND ap.status = 'pending') AS appealed_since
  FROM gazette_posts p
  WHERE p.status <> 'withdrawn' AND (p.status = 'held_for_review'
    OR EXISTS (SELECT 1 FROM gazette_flags f WHERE f.post_id = p.id AND f.comment_id IS NULL AND f.status = 'open')
    OR EXISTS (SELECT 1 FROM gazette_appeals ap
      WHERE ap.post_id = p.id AND ap.comment_id IS NULL AND ap.status = 'pending'))
  UNION ALL
  SELECT 'comment', c.id, c.post_id, c.id, c.author_id, c.status, c.body, c.hold_reasons, c.hidden_by,
    c.hidden_reason, c.hidden_details, c.hidden_at,
    CASE WHEN c.status = 'held_for_review' THEN c.created_at END,
    (SELECT min(f.created_at) FROM gazette_flags f WHERE f.comment_id = c.id AND f.status = 'open'),
    (SELECT ap.created_at FROM gazette_appeals ap WHERE ap.comment_id = c.id AND ap.status = 'pending')
  FROM gazette_comments c
  WHERE c.deleted_at IS NULL AND (c.status = 'held_for_review'
    OR EXISTS (SELECT 1 FROM gazette_flags f WHERE f.comment_id = c.id AND f.status = 'open')
    OR EXISTS (SELECT 1 FROM gazette_appeals ap WHERE ap.comment_id = c.id AND ap.status = 'pending'))
), queued AS (
  SELECT w.*, LEAST(held_since, flagged_since, appealed_since) AS since FROM waiting w
)
SELECT q.item, q.item_id, q.post_id, q.comment_id, q.since, q.held_since IS NOT NULL AS held,
  q.flagged_since IS NOT NULL AS flagged, q.appealed_since IS NOT NULL AS appealed, p.kind, q.status, p.title,
  q.body, p.community_id, COALESCE(c.name, 'Commune ' || p.insee) AS quartier, to_jsonb(q.hold_reasons) AS hold_reasons,
  q.hidden_by, q.hidden_reason, q.hidden_details, q.hidden_at,
  a.first_name, a.last_name, a.status AS author_status,
  (SELECT count(*) FROM gazette_posts x WHERE x.author_id = q.author_id)::int AS posts,
  (SELECT count(*) FROM gazette_posts x WHERE x.author_id = q.author_id AND cardinality(x.hold_reasons) > 0)::int
    AS posts_held,
  (SELECT count(*) FROM gazette_posts x WHERE x.author_id = q.author_id AND x.status = 'hidden')::int AS posts_hidden
FROM queued q
JOIN gazette_posts p ON p.id = q.post_id
JOIN accounts a ON a.id = q.author_id
LEFT JOIN communities c ON c.id = p.community_id
WHERE p.status <> 'withdrawn'
  AND (${since}::timestamptz IS NULL OR (q.since, q.item_id) > (${since}::timestamptz, ${afterId}::uuid))
ORDER BY q.since, q.item_id
LIMIT ${limit}`.pipe(
        Effect.flatMap(decode(QueueRow)),
        Effect.map((rows) =>
          rows.map((r) => ({
            item: r.item,
            itemId: r.item_id,
            postId: r.post_id,
            commentId: Option.fromNullable(r.comment_id),
            kind: r.kind,
            status: r.status,
            title: r.title,
            body: r.body,
            communityId: r.community_id,
            quartier: r.quartier,
            holdReasons: r.hold_reasons,
            since: r.since,
            held: r.held,
            flagged: r.flagged,
            appealed: r.appealed,
            hiding: hidingOf(r),
            authorName: r.item === "post" && r.kind === "communication"
              ? MAIRIE_AUTHOR
              : displayName({ firstName: r.first_name, lastName: r.last_name, status: r.author_status }),
            authorHistory: new GazetteAuthorHistory({
              posts: r.posts,
              held: r.posts_held,
              hidden: r.posts_hidden
            })
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.queue")
      )
    },

    openFlagsOf: (itemIds) =>
      sql`
SELECT id, COALESCE(comment_id, post_id) AS item_id, reason, text, created_at, status FROM gazette_flags
WHERE COALESCE(comment_id, post_id) = ANY (${itemIds}::uuid[]) AND status = 'open'
ORDER BY created_at, id`.pipe(
        Effect.flatMap(decode(FlagRow)),
        Effect.map((rows) =>
          rows.map((r) => ({
            itemId: r.item_id,
            flag: new GazetteFlagView({
              id: r.id,
              reason: r.reason,
              text: Option.fromNullable(r.text),
              createdAt: r.created_at,
              status: r.status
            })
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.openFlagsOf")
      ),

    pendingAppealsOf: (itemIds) =>
      sql`
SELECT ${sql.literal(appealColumns)} FROM gazette_appeals
WHERE COALESCE(comment_id, post_id) = ANY (${itemIds}::uuid[]) AND status = 'pending'`.pipe(
        Effect.flatMap(decode(AppealRow)),
        Effect.map((rows) => rows.map(appealOf)),
        mapFailures(),
        Effect.withSpan("PgGazetteModerationRepo.pendingAppealsOf")
      )
  })
})

export const layer = Layer.effect(GazetteModerationRepo, make)
