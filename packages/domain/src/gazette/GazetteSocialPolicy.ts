import { DateTime, Duration } from "effect"
import type { AccountId } from "../accounts/Account.js"
import {
  COMMENT_MAX_LENGTH,
  type CommentStatus,
  type EventAnswer,
  type GazetteCommentId,
  GazetteCommentView,
  GazetteThread
} from "./GazetteComment.js"
import type { EvenementDetails, GazettePost } from "./GazettePost.js"
import { EventClosed, EventFull, GazettePostNotOpenToReplies, InvalidGazetteComment } from "./GazetteSocialErrors.js"
import { isMairieAgentOf, SENSITIVE_CHECKED_KINDS, type GazetteViewer, type Readable } from "./GazettePolicy.js"

/** At most this many comments per member in each COMMENT_RATE_WINDOW (a fixed hour window). */
export const COMMENT_HOURLY_LIMIT = 30
export const COMMENT_RATE_WINDOW = Duration.hours(1)
/** A post's author receives at most one e-mail about new comments per post in this time. */
export const COMMENT_NOTICE_INTERVAL = Duration.hours(1)
/** Those coming to an event are reminded this long before it starts. */
export const EVENT_REMINDER_BEFORE = Duration.days(1)

type Details = typeof EvenementDetails.Type

/** The trimmed text of a comment, or why it is refused: empty, or over COMMENT_MAX_LENGTH characters. */
export const commentText = (text: string): { readonly _tag: "Text"; readonly text: string } | InvalidGazetteComment => {
  const trimmed = text.trim()
  if (trimmed.length === 0) return new InvalidGazetteComment({ reason: "empty", maxLength: COMMENT_MAX_LENGTH })
  if ([...trimmed].length > COMMENT_MAX_LENGTH) {
    return new InvalidGazetteComment({ reason: "too_long", maxLength: COMMENT_MAX_LENGTH })
  }
  return { _tag: "Text", text: trimmed }
}

/**
 * The comment a reply is attached to: replies are one level deep, so a reply to a reply joins the
 * thread of its top comment (what "Répondre" under a reply means to its writer), never a third level.
 */
export const threadParent = (
  parent: { readonly id: GazetteCommentId; readonly parentId: GazetteCommentId | null }
): GazetteCommentId => parent.parentId ?? parent.id

/**
 * Who takes part in a post (comments, "merci", answers to an event): the verified members of a
 * quartier it reaches, and, on a mairie communication, the mairie agents of its commune. Reading
 * alone (its author who left the quartier, staff) gives nothing more.
 */
export const mayTakePart = (viewer: GazetteViewer, post: Pick<Readable, "kind" | "insee" | "reach">): boolean =>
  post.reach.some((id) => viewer.verifiedCommunities.has(id)) ||
  (post.kind === "communication" && isMairieAgentOf(viewer.staffRoles, post.insee))

/** Only a published post takes comments, "merci" and answers; held, hidden and withdrawn ones keep theirs. */
export const repliesRefusal = (post: Pick<GazettePost, "id" | "status">): GazettePostNotOpenToReplies | undefined =>
  post.status === "published" ? undefined : new GazettePostNotOpenToReplies({ postId: post.id, status: post.status })

/** Whether the sensitive-descriptor check runs on the comments of a post of this kind (about people). */
export const commentsChecked = (kind: GazettePost["kind"]): boolean => SENSITIVE_CHECKED_KINDS.includes(kind)

/** Who cancels or moves an event: its author, or for an event the mairie published, a mairie agent of its commune. */
export const mayManageEvent = (
  viewer: GazetteViewer,
  post: Pick<GazettePost, "authorId" | "communityId" | "insee">
): boolean =>
  post.authorId === viewer.accountId || (post.communityId === null && isMairieAgentOf(viewer.staffRoles, post.insee))

/** An event takes answers, and is moved or cancelled, until it starts, unless it is cancelled. */
export const eventClosedRefusal = (
  postId: GazettePost["id"],
  details: Details,
  cancelledAt: DateTime.Utc | null,
  now: DateTime.Utc
): EventClosed | undefined =>
  cancelledAt !== null
    ? new EventClosed({ postId, reason: "cancelled" })
    : DateTime.lessThanOrEqualTo(details.startsAt, now)
    ? new EventClosed({ postId, reason: "past" })
    : undefined

/**
 * The rule of places: a new "j'y serai" is refused once `going` answers fill the capacity; one who
 * already said "j'y serai" keeps their place (saying it again changes nothing), any other answer is
 * always taken. Without a capacity, every answer is taken.
 */
export const answerRefusal = (facts: {
  readonly postId: GazettePost["id"]
  readonly capacity: number | undefined
  readonly answer: EventAnswer
  readonly previous: EventAnswer | undefined
  readonly going: number
}): EventFull | undefined =>
  facts.capacity !== undefined && facts.answer === "going" && facts.previous !== "going" &&
    facts.going >= facts.capacity
    ? new EventFull({ postId: facts.postId, capacity: facts.capacity })
    : undefined

/** Whom a new comment is told to: the post's author, unless it is their own or it waits for a moderator. */
export const commentNoticeRecipients = (facts: {
  readonly postAuthorId: AccountId
  readonly commentAuthorId: AccountId
  readonly status: CommentStatus
}): ReadonlyArray<AccountId> =>
  facts.status === "published" && facts.postAuthorId !== facts.commentAuthorId ? [facts.postAuthorId] : []

/** Whom "retrouvé" is told to: everyone who commented, once each, but the post's author. */
export const foundRecipients = (
  postAuthorId: AccountId,
  commenters: ReadonlyArray<AccountId>
): ReadonlyArray<AccountId> => [...new Set(commenters)].filter((id) => id !== postAuthorId).sort()

/** Whom a cancelled or moved event is told to: everyone who answered "j'y serai" or "peut-être", but who changed it. */
export const eventChangeRecipients = (
  actorId: AccountId,
  answers: ReadonlyArray<{ readonly accountId: AccountId; readonly answer: EventAnswer }>
): ReadonlyArray<AccountId> =>
  [...new Set(answers.filter((a) => a.answer !== "no" && a.accountId !== actorId).map((a) => a.accountId))].sort()

/** Whether the day-before reminder of an event starting at `startsAt` is due now. */
export const reminderDue = (startsAt: DateTime.Utc, now: DateTime.Utc): boolean =>
  DateTime.greaterThan(startsAt, now) &&
  DateTime.lessThanOrEqualTo(DateTime.subtractDuration(startsAt, EVENT_REMINDER_BEFORE), now)

/** One stored comment with its author's display name. */
export interface CommentRow {
  readonly id: GazetteCommentId
  readonly parentId: GazetteCommentId | null
  readonly authorId: AccountId
  readonly authorName: string
  readonly body: string
  readonly status: CommentStatus
  readonly createdAt: DateTime.Utc
  readonly deletedAt: DateTime.Utc | null
}

const byTime = (a: CommentRow, b: CommentRow) =>
  DateTime.lessThan(a.createdAt, b.createdAt) ? -1 : DateTime.greaterThan(a.createdAt, b.createdAt) ?
    1 :
    a.id < b.id
    ? -1
    : a.id > b.id
    ? 1
    : 0

/**
 * The threads `readerId` sees: published comments, and their own held ones; a deleted comment only
 * while it has a reply the reader sees (as "Commentaire supprimé", its text gone), replies under
 * their top comment, everything oldest first whatever order the rows came in.
 */
export const threadsFor = (rows: ReadonlyArray<CommentRow>, readerId: AccountId): ReadonlyArray<GazetteThread> => {
  const seen = (r: CommentRow) =>
    r.status === "published" || (r.status === "held_for_review" && r.authorId === readerId)
  const view = (r: CommentRow) =>
    new GazetteCommentView({
      id: r.id,
      authorName: r.authorName,
      mine: r.authorId === readerId,
      body: r.deletedAt === null ? r.body : "",
      held: r.status === "held_for_review",
      deleted: r.deletedAt !== null,
      createdAt: r.createdAt
    })
  const sorted = [...rows].sort(byTime)
  return sorted.filter((r) => r.parentId === null && seen(r)).flatMap((top) => {
    const replies = sorted.filter((r) => r.parentId === top.id && seen(r) && r.deletedAt === null)
    return top.deletedAt !== null && replies.length === 0
      ? []
      : [new GazetteThread({ comment: view(top), replies: replies.map(view) })]
  })
}
