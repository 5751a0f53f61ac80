import { Schema } from "effect"
import { GazetteCommentId } from "./GazetteComment.js"
import { GazetteAppealId } from "./GazetteModerationItem.js"
import { GazettePostId, PostStatus } from "./GazettePost.js"

/** The member already flagged this post (or comment): a member flags an item once. */
export class GazetteAlreadyFlagged extends Schema.TaggedError<GazetteAlreadyFlagged>()("GazetteAlreadyFlagged", {
  postId: GazettePostId,
  commentId: Schema.optional(GazetteCommentId)
}) {}

/** Too many flags from this member today; they may flag again after `retryAfterSeconds`. */
export class GazetteFlagRateLimited extends Schema.TaggedError<GazetteFlagRateLimited>()("GazetteFlagRateLimited", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}

/**
 * The moderator's action does not apply to the post as it stands (approving a published post,
 * restoring one that is not hidden, anything on a withdrawn one); `status` is its current one.
 */
export class GazetteModerationConflict extends Schema.TaggedError<GazetteModerationConflict>()(
  "GazetteModerationConflict",
  {
    postId: GazettePostId,
    commentId: Schema.optional(GazetteCommentId),
    action: Schema.Literal("approve", "hide", "restore"),
    status: PostStatus
  }
) {}

/** Only a hidden post can be appealed; `status` is its current one. */
export class GazetteNotAppealable extends Schema.TaggedError<GazetteNotAppealable>()("GazetteNotAppealable", {
  postId: GazettePostId,
  commentId: Schema.optional(GazetteCommentId),
  status: PostStatus
}) {}

/** The author already appealed the hiding of this post (or comment): an author appeals once. */
export class GazetteAlreadyAppealed extends Schema.TaggedError<GazetteAlreadyAppealed>()("GazetteAlreadyAppealed", {
  postId: GazettePostId,
  commentId: Schema.optional(GazetteCommentId)
}) {}

/** No such appeal. */
export class GazetteAppealNotFound extends Schema.TaggedError<GazetteAppealNotFound>()("GazetteAppealNotFound", {
  appealId: GazetteAppealId
}) {}

/** The appeal was already decided (possibly by another moderator a moment ago). */
export class GazetteAppealDecided extends Schema.TaggedError<GazetteAppealDecided>()("GazetteAppealDecided", {
  appealId: GazetteAppealId
}) {}

/** The moderator who hid the post may not decide the appeal against it: another moderator does. */
export class AppealNeedsAnotherModerator extends Schema.TaggedError<AppealNeedsAnotherModerator>()(
  "AppealNeedsAnotherModerator",
  { appealId: GazetteAppealId }
) {}
