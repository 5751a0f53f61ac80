import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { FlagReason, HideReason } from "../moderation/HideReason.js"
import { AppealText, FlagText, ModerationNote } from "../moderation/ModeratedAlert.js"
import { ReasonDetailsRequired } from "../moderation/ModerationErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { GazetteCommentId } from "./GazetteComment.js"
import { GazettePostNotFound } from "./GazetteErrors.js"
import { GazetteCommentNotFound } from "./GazetteSocialErrors.js"
import {
  AppealNeedsAnotherModerator,
  GazetteAlreadyAppealed,
  GazetteAlreadyFlagged,
  GazetteAppealDecided,
  GazetteAppealNotFound,
  GazetteFlagRateLimited,
  GazetteModerationConflict,
  GazetteNotAppealable
} from "./GazetteModerationErrors.js"
import {
  GazetteAppealId,
  GazetteAppealView,
  GazetteFlagReceipt,
  GazetteModerationOutcome,
  GazetteQueueCursor,
  GazetteQueuePage
} from "./GazetteModerationItem.js"
import { GazettePostId } from "./GazettePost.js"

const optionalNote = Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
/** Present: the action is on this comment of the post, not on the post itself. */
const commentId = Schema.optionalWith(GazetteCommentId, { as: "Option", nullable: true })
const decisionErrors = [
  Unauthenticated,
  AccountSuspended,
  Forbidden,
  GazettePostNotFound,
  GazetteCommentNotFound,
  GazetteModerationConflict,
  InvalidRequest
] as const

/**
 * Flag a Gazette post I may read, or one of its comments (`commentId`), not my own, once, with a
 * reason and optional words; at most 20 flags a day. Moderators see the flag (never who flagged) in
 * their queue.
 */
export const FlagGazettePost = Rpc.make("FlagGazettePost", {
  payload: Schema.Struct({
    postId: GazettePostId,
    commentId,
    reason: FlagReason,
    text: Schema.optionalWith(FlagText, { as: "Option", nullable: true })
  }),
  success: GazetteFlagReceipt,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    GazettePostNotFound,
    GazetteCommentNotFound,
    Forbidden,
    GazetteAlreadyFlagged,
    GazetteFlagRateLimited,
    InvalidRequest
  )
})

/**
 * Moderators only: the Gazette items waiting for a decision (held at publication, flagged, hiding
 * appealed), oldest first, keyset-paged on (since, postId).
 */
export const ListGazetteModerationQueue = Rpc.make("ListGazetteModerationQueue", {
  payload: Schema.Struct({
    cursor: Schema.optional(GazetteQueueCursor),
    limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 50)), { default: () => 20 })
  }),
  success: GazetteQueuePage,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, InvalidRequest)
})

/** Moderators only: publish a held post or comment (its author is told by e-mail; its readers see it live). */
export const ApproveGazettePost = Rpc.make("ApproveGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId, commentId, note: optionalNote }),
  success: GazetteModerationOutcome,
  error: Schema.Union(...decisionErrors)
})

/**
 * Moderators only: hide a published or held post or comment with a reason (`other` needs details);
 * its author is told why.
 */
export const HideGazettePost = Rpc.make("HideGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId, commentId, reason: HideReason, details: optionalNote }),
  success: GazetteModerationOutcome,
  error: Schema.Union(...decisionErrors, ReasonDetailsRequired)
})

/** Moderators only: publish again a hidden post or comment (its author is told). */
export const RestoreGazettePost = Rpc.make("RestoreGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId, commentId, note: optionalNote }),
  success: GazetteModerationOutcome,
  error: Schema.Union(...decisionErrors)
})

/** Contest, once, the hiding of my post or comment; another moderator than the one who hid it decides. */
export const AppealGazetteHiding = Rpc.make("AppealGazetteHiding", {
  payload: Schema.Struct({ postId: GazettePostId, commentId, text: AppealText }),
  success: GazetteAppealView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    GazettePostNotFound,
    GazetteCommentNotFound,
    Forbidden,
    GazetteNotAppealable,
    GazetteAlreadyAppealed,
    InvalidRequest
  )
})

/**
 * Moderators only, never the one who hid the post: restore the post or uphold its hiding, with the
 * answer its author receives by e-mail.
 */
export const DecideGazetteAppeal = Rpc.make("DecideGazetteAppeal", {
  payload: Schema.Struct({
    appealId: GazetteAppealId,
    decision: Schema.Literal("restore", "uphold"),
    reason: ModerationNote
  }),
  success: GazetteAppealView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    Forbidden,
    GazetteAppealNotFound,
    GazetteAppealDecided,
    AppealNeedsAnotherModerator,
    GazetteModerationConflict,
    InvalidRequest
  )
})

/** The Gazette's moderation: members' flags and appeals, moderators' queue and decisions. */
export class GazetteModerationRpcs extends RpcGroup.make(
  FlagGazettePost,
  ListGazetteModerationQueue,
  ApproveGazettePost,
  HideGazettePost,
  RestoreGazettePost,
  AppealGazetteHiding,
  DecideGazetteAppeal
).middleware(Authentication) {}
