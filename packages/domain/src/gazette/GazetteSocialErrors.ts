import { Schema } from "effect"
import { GazetteCommentId } from "./GazetteComment.js"
import { GazettePostId, PostStatus } from "./GazettePost.js"

/** No such comment on this post, or one the actor may not see (the same answer). */
export class GazetteCommentNotFound extends Schema.TaggedError<GazetteCommentNotFound>()("GazetteCommentNotFound", {
  commentId: GazetteCommentId
}) {}

/** A comment's text, once trimmed, is empty or longer than 2,000 characters. */
export class InvalidGazetteComment extends Schema.TaggedError<InvalidGazetteComment>()("InvalidGazetteComment", {
  reason: Schema.Literal("empty", "too_long"),
  maxLength: Schema.Int
}) {}

/**
 * The post takes no comment, "merci" or answer: it is held for review, hidden by a moderator or
 * withdrawn by its author (what it already has stays).
 */
export class GazettePostNotOpenToReplies extends Schema.TaggedError<GazettePostNotOpenToReplies>()(
  "GazettePostNotOpenToReplies",
  { postId: GazettePostId, status: PostStatus }
) {}

/** Too many comments from this member this hour; they may comment again after `retryAfterSeconds`. */
export class GazetteCommentRateLimited extends Schema.TaggedError<GazetteCommentRateLimited>()(
  "GazetteCommentRateLimited",
  { retryAfterSeconds: Schema.NonNegativeInt }
) {}

/** The post is not an event: it takes no answer, is neither cancelled nor moved. */
export class NotAnEvent extends Schema.TaggedError<NotAnEvent>()("NotAnEvent", { postId: GazettePostId }) {}

/** The event is cancelled or already started: it takes no answer and is no longer moved or cancelled. */
export class EventClosed extends Schema.TaggedError<EventClosed>()("EventClosed", {
  postId: GazettePostId,
  reason: Schema.Literal("cancelled", "past")
}) {}

/** Every place of the event is taken: a new "j'y serai" is refused ("peut-être" is still possible). */
export class EventFull extends Schema.TaggedError<EventFull>()("EventFull", {
  postId: GazettePostId,
  capacity: Schema.Int
}) {}
