import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import {
  EventAnswer,
  GazetteCommentId,
  GazetteComments,
  GazetteEventAnswers,
  GazetteThanks,
  PostedGazetteComment
} from "./GazetteComment.js"
import { GazettePostNotFound, InvalidGazettePost } from "./GazetteErrors.js"
import { GazettePostId, GazettePostView } from "./GazettePost.js"
import {
  EventClosed,
  EventFull,
  GazetteCommentNotFound,
  GazetteCommentRateLimited,
  GazettePostNotOpenToReplies,
  InvalidGazetteComment,
  NotAnEvent
} from "./GazetteSocialErrors.js"

const PostRef = Schema.Struct({ postId: GazettePostId })
const taking = [Unauthenticated, AccountSuspended, GazettePostNotFound, GazettePostNotOpenToReplies, Forbidden,
  InvalidRequest] as const

/**
 * Comment a published post I may read, as a verified member of a quartier it reaches (a mairie agent
 * on its commune's communications). `text` is trimmed, 1 to 2,000 characters. `replyTo` answers a
 * comment: replies are one level deep, so a reply to a reply joins its top comment's thread (the
 * answer's `parentId`). On a perdu / trouvé or entraide post, a text that trips the
 * sensitive-descriptor check is held for a moderator, seen by me only: the answer says so (`held`,
 * `flagged`). The post's author is told by e-mail (at most one e-mail per post per hour). At most 30
 * comments an hour.
 */
export const CommentGazettePost = Rpc.make("CommentGazettePost", {
  payload: Schema.Struct({
    postId: GazettePostId,
    text: Schema.String.pipe(Schema.maxLength(20_000)),
    replyTo: Schema.optional(GazetteCommentId)
  }),
  success: PostedGazetteComment,
  error: Schema.Union(...taking, InvalidGazetteComment, GazetteCommentNotFound, GazetteCommentRateLimited)
})

/**
 * Delete my comment: it leaves the page, or reads "Commentaire supprimé" while it has replies.
 * Answers the post's comments as I see them.
 */
export const DeleteGazetteComment = Rpc.make("DeleteGazetteComment", {
  payload: Schema.Struct({ commentId: GazetteCommentId }),
  success: GazetteComments,
  error: Schema.Union(Unauthenticated, AccountSuspended, GazetteCommentNotFound, Forbidden, InvalidRequest)
})

/** The comments of a post I may read, threads oldest first (GazettePostNotFound otherwise). */
export const ListGazetteComments = Rpc.make("ListGazetteComments", {
  payload: PostRef,
  success: GazetteComments,
  error: Schema.Union(Unauthenticated, AccountSuspended, GazettePostNotFound, InvalidRequest)
})

/** Say "merci" for a post (once; again changes nothing). Answers the count, whether mine, and who. */
export const ThankGazettePost = Rpc.make("ThankGazettePost", {
  payload: PostRef,
  success: GazetteThanks,
  error: Schema.Union(...taking)
})

/** Take back my "merci" (absent already: nothing changes). */
export const UnthankGazettePost = Rpc.make("UnthankGazettePost", {
  payload: PostRef,
  success: GazetteThanks,
  error: Schema.Union(...taking)
})

/** The "merci" of a post I may read: how many, whether mine, and who ("Prénom I."). */
export const GetGazetteThanks = Rpc.make("GetGazetteThanks", {
  payload: PostRef,
  success: GazetteThanks,
  error: Schema.Union(Unauthenticated, AccountSuspended, GazettePostNotFound, InvalidRequest)
})

/**
 * Answer an event: "j'y serai" (going), "peut-être" (maybe) or "non" (no); one answer per member,
 * changed at will until the event starts. A full event refuses a new "j'y serai" (EventFull); a
 * cancelled or started event takes no answer (EventClosed).
 */
export const AnswerGazetteEvent = Rpc.make("AnswerGazetteEvent", {
  payload: Schema.Struct({ postId: GazettePostId, answer: EventAnswer }),
  success: GazetteEventAnswers,
  error: Schema.Union(...taking, NotAnEvent, EventClosed, EventFull)
})

/** The answers to an event I may read: counts, the names of those coming, mine, the places left. */
export const GetGazetteEventAnswers = Rpc.make("GetGazetteEventAnswers", {
  payload: PostRef,
  success: GazetteEventAnswers,
  error: Schema.Union(Unauthenticated, AccountSuspended, GazettePostNotFound, NotAnEvent, InvalidRequest)
})

/**
 * Cancel my event (before it starts): those who answered "j'y serai" or "peut-être" are told by
 * e-mail, and its calendar file reads CANCELLED.
 */
export const CancelGazetteEvent = Rpc.make("CancelGazetteEvent", {
  payload: PostRef,
  success: GazettePostView,
  error: Schema.Union(...taking, NotAnEvent, EventClosed)
})

/**
 * Move my event (before it starts) to a new time and place, in the future, ending after it starts:
 * those who answered "j'y serai" or "peut-être" are told by e-mail, and its calendar file updates.
 */
export const MoveGazetteEvent = Rpc.make("MoveGazetteEvent", {
  payload: Schema.Struct({
    postId: GazettePostId,
    startsAt: Schema.DateTimeUtc,
    endsAt: Schema.optional(Schema.DateTimeUtc),
    place: Schema.Trim.pipe(Schema.maxLength(120))
  }),
  success: GazettePostView,
  error: Schema.Union(...taking, NotAnEvent, EventClosed, InvalidGazettePost)
})

/** What members add to the Gazette's posts: comments, "merci", answers to events, and the events' changes. */
export class GazetteSocialRpcs extends RpcGroup.make(
  CommentGazettePost,
  DeleteGazetteComment,
  ListGazetteComments,
  ThankGazettePost,
  UnthankGazettePost,
  GetGazetteThanks,
  AnswerGazetteEvent,
  GetGazetteEventAnswers,
  CancelGazetteEvent,
  MoveGazetteEvent
).middleware(Authentication) {}
