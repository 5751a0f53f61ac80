import { SqlClient } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { displayName } from "@vigie/domain/accounts/DisplayName"
import { CommentStatus, EventAnswer, GazetteCommentId } from "@vigie/domain/gazette/GazetteComment"
import { EvenementDetails, GazettePostId } from "@vigie/domain/gazette/GazettePost"
import { GazetteSocialRepo } from "@vigie/domain/gazette/GazetteSocialRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const At = Schema.DateTimeUtcFromDate
const Person = { first_name: Schema.String, last_name: Schema.String, author_status: AccountStatus }
const nameOf = (
  r: { readonly first_name: string; readonly last_name: string; readonly author_status: AccountStatus }
) => displayName({ firstName: r.first_name, lastName: r.last_name, status: r.author_status })

const CommentRow = Schema.Struct({
  id: GazetteCommentId,
  post_id: GazettePostId,
  parent_id: Schema.NullOr(GazetteCommentId),
  author_id: AccountId,
  body: Schema.String,
  status: CommentStatus,
  created_at: At,
  deleted_at: Schema.NullOr(At),
  ...Person
})
const decodeComments = Schema.decodeUnknown(Schema.Array(CommentRow))
const toComment = (r: typeof CommentRow.Type) => ({
  id: r.id,
  parentId: r.parent_id,
  authorId: r.author_id,
  authorName: nameOf(r),
  body: r.body,
  status: r.status,
  createdAt: r.created_at,
  deletedAt: r.deleted_at
})

const AnswerRow = Schema.Struct({ account_id: AccountId, answer: EventAnswer, answered_at: At, ...Person })
const ThanksRow = Schema.Struct({ account_id: AccountId, created_at: At, ...Person })
const Revision = Schema.Struct({ event_sequence: Schema.NonNegativeInt, event_changed_at: Schema.NullOr(At) })
const Due = Schema.Struct({ due_at: At })
const Reminded = Schema.Struct({
  post_id: GazettePostId,
  title: Schema.String,
  details: EvenementDetails,
  account_ids: Schema.Array(AccountId)
})

const commentColumns = `c.id, c.post_id, c.parent_id, c.author_id, c.body, c.status, c.created_at, c.deleted_at,
  a.first_name, a.last_name, a.status AS author_status`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const changed = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(statement, (rows) => rows.length > 0)
  const date = DateTime.toDateUtc

  return GazetteSocialRepo.of({
    insertComment: (comment) =>
      sql`
WITH c AS (
  INSERT INTO gazette_comments (post_id, parent_id, author_id, body, status, hold_reasons, created_at)
  VALUES (${comment.postId}, ${comment.parentId}, ${comment.authorId}, ${comment.body}, ${comment.status},
    ${comment.holdReasons}::text[], ${date(comment.createdAt)})
  RETURNING *
)
SELECT ${sql.literal(commentColumns)} FROM c JOIN accounts a ON a.id = c.author_id`.pipe(
        Effect.flatMap(decodeComments),
        Effect.flatMap((rows) => Effect.fromNullable(rows[0])),
        Effect.map(toComment),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.insertComment")
      ),

    findComment: (id) =>
      sql`
SELECT ${sql.literal(commentColumns)} FROM gazette_comments c JOIN accounts a ON a.id = c.author_id
WHERE c.id = ${id}`.pipe(
        Effect.flatMap(decodeComments),
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => ({
            id: r.id,
            postId: r.post_id,
            parentId: r.parent_id,
            authorId: r.author_id,
            status: r.status,
            deletedAt: r.deleted_at
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.findComment")
      ),

    comments: (postId) =>
      sql`
SELECT ${sql.literal(commentColumns)} FROM gazette_comments c JOIN accounts a ON a.id = c.author_id
WHERE c.post_id = ${postId}
ORDER BY c.created_at, c.id`.pipe(
        Effect.flatMap(decodeComments),
        Effect.map((rows) => rows.map(toComment)),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.comments")
      ),

    deleteComment: (id, at) =>
      changed(sql`
UPDATE gazette_comments SET deleted_at = ${date(at)}, body = ''
WHERE id = ${id} AND deleted_at IS NULL
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.deleteComment")),

    commenters: (postId) =>
      sql<{ author_id: string }>`
SELECT DISTINCT author_id FROM gazette_comments
WHERE post_id = ${postId} AND status = 'published' AND deleted_at IS NULL`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ author_id: AccountId })))),
        Effect.map((rows) => rows.map((r) => r.author_id)),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.commenters")
      ),

    // One row per post: the next notice goes now when the last one is an interval old or more, an
    // interval after it when it is younger, and not at all while one waits to go out (due_at ahead).
    scheduleCommentNotice: (postId, now, intervalMillis) =>
      sql`
INSERT INTO gazette_comment_notices AS n (post_id, due_at) VALUES (${postId}, ${date(now)})
ON CONFLICT (post_id) DO UPDATE
SET due_at = greatest(excluded.due_at, n.due_at + ${intervalMillis}::double precision * interval '1 millisecond')
WHERE n.due_at < excluded.due_at
RETURNING n.due_at`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Due))),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => r.due_at)),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.scheduleCommentNotice")
      ),

    thank: (postId, accountId, at) =>
      changed(sql`
INSERT INTO gazette_thanks (post_id, account_id, created_at) VALUES (${postId}, ${accountId}, ${date(at)})
ON CONFLICT (post_id, account_id) DO NOTHING
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.thank")),

    unthank: (postId, accountId) =>
      changed(sql`
DELETE FROM gazette_thanks WHERE post_id = ${postId} AND account_id = ${accountId}
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.unthank")),

    thanks: (postId) =>
      sql`
SELECT t.account_id, t.created_at, a.first_name, a.last_name, a.status AS author_status
FROM gazette_thanks t JOIN accounts a ON a.id = t.account_id
WHERE t.post_id = ${postId}
ORDER BY t.created_at, t.account_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(ThanksRow))),
        Effect.map((rows) => rows.map((r) => ({ accountId: r.account_id, name: nameOf(r), at: r.created_at }))),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.thanks")
      ),

    answers: (postId) =>
      sql`
SELECT e.account_id, e.answer, e.answered_at, a.first_name, a.last_name, a.status AS author_status
FROM gazette_event_answers e JOIN accounts a ON a.id = e.account_id
WHERE e.post_id = ${postId}
ORDER BY e.answered_at, e.account_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(AnswerRow))),
        Effect.map((rows) =>
          rows.map((r) => ({ accountId: r.account_id, name: nameOf(r), answer: r.answer, at: r.answered_at }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.answers")
      ),

    setAnswer: (postId, accountId, answer, at) =>
      changed(sql`
INSERT INTO gazette_event_answers AS e (post_id, account_id, answer, answered_at)
VALUES (${postId}, ${accountId}, ${answer}, ${date(at)})
ON CONFLICT (post_id, account_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at
WHERE e.answer <> excluded.answer
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.setAnswer")),

    revision: (postId) =>
      sql`SELECT event_sequence, event_changed_at FROM gazette_posts WHERE id = ${postId}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Revision))),
        Effect.map((rows) => ({
          sequence: rows[0]?.event_sequence ?? 0,
          changedAt: rows[0]?.event_changed_at ?? null
        })),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.revision")
      ),

    cancelEvent: (postId, at) =>
      changed(sql`
UPDATE gazette_posts
SET cancelled_at = ${date(at)}, event_sequence = event_sequence + 1, event_changed_at = ${date(at)}
WHERE id = ${postId} AND kind = 'evenement' AND status = 'published' AND cancelled_at IS NULL
RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.cancelEvent")),

    moveEvent: (postId, details, at) =>
      Effect.flatMap(Schema.encode(EvenementDetails)(details), (encoded) =>
        changed(sql`
UPDATE gazette_posts
SET details = ${JSON.stringify(encoded)}::jsonb, event_sequence = event_sequence + 1,
    event_changed_at = ${date(at)}
WHERE id = ${postId} AND kind = 'evenement' AND status = 'published' AND cancelled_at IS NULL
RETURNING 1 AS one`)).pipe(mapFailures(), Effect.withSpan("PgGazetteSocialRepo.moveEvent")),

    claimReminders: (now, until, limit) =>
      sql`
WITH due AS (
  SELECT p.id, p.title, p.details, gazette_instant(p.details ->> 'startsAt') AS starts_at
  FROM gazette_posts p
  WHERE p.kind = 'evenement' AND p.status = 'published' AND p.cancelled_at IS NULL
    AND gazette_instant(p.details ->> 'startsAt') > ${date(now)}
    AND gazette_instant(p.details ->> 'startsAt') <= ${date(until)}
    AND EXISTS (
      SELECT 1 FROM gazette_event_answers e
      WHERE e.post_id = p.id AND e.answer = 'going' AND NOT EXISTS (
        SELECT 1 FROM gazette_event_reminders r
        WHERE r.post_id = p.id AND r.account_id = e.account_id
          AND r.starts_at = gazette_instant(p.details ->> 'startsAt')))
  ORDER BY starts_at, p.id
  LIMIT ${limit}
), reminded AS (
  INSERT INTO gazette_event_reminders (post_id, account_id, starts_at, reminded_at)
  SELECT due.id, e.account_id, due.starts_at, ${date(now)}
  FROM due JOIN gazette_event_answers e ON e.post_id = due.id AND e.answer = 'going'
  ON CONFLICT (post_id, account_id, starts_at) DO NOTHING
  RETURNING post_id, account_id
)
SELECT due.id AS post_id, due.title, due.details,
       coalesce(to_jsonb(array_agg(r.account_id ORDER BY r.account_id)), '[]'::jsonb) AS account_ids
FROM due JOIN reminded r ON r.post_id = due.id
GROUP BY due.id, due.title, due.details, due.starts_at
ORDER BY due.starts_at, due.id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Reminded))),
        Effect.map((rows) =>
          rows.map((r) => ({ postId: r.post_id, title: r.title, details: r.details, accountIds: r.account_ids }))
        ),
        mapFailures(),
        Effect.withSpan("PgGazetteSocialRepo.claimReminders")
      )
  })
})

export const layer = Layer.effect(GazetteSocialRepo, make)
