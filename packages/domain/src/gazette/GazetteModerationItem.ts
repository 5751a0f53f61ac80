import { type Option, Schema } from "effect"
import { CommunityId } from "../communities/Community.js"
import { HideReason } from "../moderation/HideReason.js"
import { HoldReason } from "../trust/TrustPolicy.js"
import { GazetteCommentId } from "./GazetteComment.js"
import { GazettePostId, PostKind, PostStatus } from "./GazettePost.js"

/** What is moderated: a post, or one of its comments when `commentId` is set. */
export interface GazetteTarget {
  readonly postId: GazettePostId
  readonly commentId: Option.Option<GazetteCommentId>
}

/** A Gazette item's moderated kind. */
export const GazetteItemKind = Schema.Literal("post", "comment")
export type GazetteItemKind = typeof GazetteItemKind.Type

/** One member's flag on a Gazette post. */
export const GazetteFlagId = Schema.UUID.pipe(Schema.brand("GazetteFlagId"))
export type GazetteFlagId = typeof GazetteFlagId.Type

/** An author's appeal against the hiding of their Gazette post. */
export const GazetteAppealId = Schema.UUID.pipe(Schema.brand("GazetteAppealId"))
export type GazetteAppealId = typeof GazetteAppealId.Type

/** Open until a moderator decides on the post: upheld when it is hidden, dismissed when approved or restored. */
export const GazetteFlagStatus = Schema.Literal("open", "dismissed", "upheld")
export type GazetteFlagStatus = typeof GazetteFlagStatus.Type

/** A flag as moderators read it: why, the member's words, when; never who flagged. */
export class GazetteFlagView extends Schema.Class<GazetteFlagView>("GazetteFlagView")({
  id: GazetteFlagId,
  reason: HideReason,
  text: Schema.OptionFromNullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  status: GazetteFlagStatus
}) {}

/** What flagging answers the member: their flag is recorded. */
export class GazetteFlagReceipt extends Schema.Class<GazetteFlagReceipt>("GazetteFlagReceipt")({
  postId: GazettePostId,
  commentId: Schema.OptionFromNullOr(GazetteCommentId),
  reason: HideReason,
  createdAt: Schema.DateTimeUtc
}) {}

/** Pending until another moderator than the one who hid the post restores it or upholds the hiding. */
export const GazetteAppealStatus = Schema.Literal("pending", "restored", "upheld")
export type GazetteAppealStatus = typeof GazetteAppealStatus.Type

/** An appeal as its author and moderators read it. */
export class GazetteAppealView extends Schema.Class<GazetteAppealView>("GazetteAppealView")({
  id: GazetteAppealId,
  postId: GazettePostId,
  commentId: Schema.OptionFromNullOr(GazetteCommentId),
  text: Schema.String,
  status: GazetteAppealStatus,
  createdAt: Schema.DateTimeUtc,
  decidedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  decisionReason: Schema.OptionFromNullOr(Schema.String)
}) {}

/** Why and when a moderator hid a post (who is kept in the audit log). */
export class GazetteHiding extends Schema.Class<GazetteHiding>("GazetteHiding")({
  reason: HideReason,
  details: Schema.OptionFromNullOr(Schema.String),
  at: Schema.DateTimeUtc
}) {}

/** What a moderator decided on a post, and where it stands now. */
export class GazetteModerationOutcome extends Schema.Class<GazetteModerationOutcome>("GazetteModerationOutcome")({
  postId: GazettePostId,
  commentId: Schema.OptionFromNullOr(GazetteCommentId),
  status: PostStatus
}) {}

/** Why an item is in the moderators' queue: held at publication, flagged by members, its hiding appealed. */
export const GazetteQueueReason = Schema.Literal("held", "flagged", "appealed")
export type GazetteQueueReason = typeof GazetteQueueReason.Type

/** The author's Gazette history, as counts: posts written, held at publication, hidden by a moderator. */
export class GazetteAuthorHistory extends Schema.Class<GazetteAuthorHistory>("GazetteAuthorHistory")({
  posts: Schema.NonNegativeInt,
  held: Schema.NonNegativeInt,
  hidden: Schema.NonNegativeInt
}) {}

/**
 * One Gazette item waiting for a moderator: what it is (a post of its kind, or a comment on one), its
 * post's title and its own text, its quartier's name (the commune's for a communication), why it
 * waits and since when, its flags (never who flagged), its hiding and pending appeal, its author's
 * display name and history. `actionable` is false on an appeal against the viewer's own hiding
 * (another moderator decides it).
 */
export class GazetteQueueEntry extends Schema.Class<GazetteQueueEntry>("GazetteQueueEntry")({
  item: GazetteItemKind,
  postId: GazettePostId,
  commentId: Schema.OptionFromNullOr(GazetteCommentId),
  kind: PostKind,
  status: PostStatus,
  title: Schema.String,
  body: Schema.String,
  communityId: Schema.NullOr(CommunityId),
  quartier: Schema.String,
  holdReasons: Schema.Array(HoldReason),
  reasons: Schema.Array(GazetteQueueReason),
  since: Schema.DateTimeUtc,
  flags: Schema.Array(GazetteFlagView),
  hidden: Schema.OptionFromNullOr(GazetteHiding),
  appeal: Schema.OptionFromNullOr(GazetteAppealView),
  authorName: Schema.String,
  authorHistory: GazetteAuthorHistory,
  actionable: Schema.Boolean
}) {}

/** Where the next page of the queue starts: after this (since, itemId: the comment's or post's id), oldest first. */
export const GazetteQueueCursor = Schema.Struct({ since: Schema.DateTimeUtc, itemId: Schema.UUID })
export type GazetteQueueCursor = typeof GazetteQueueCursor.Type

/** One page of the Gazette's moderation queue, oldest first; `next` is absent on the last page. */
export class GazetteQueuePage extends Schema.Class<GazetteQueuePage>("GazetteQueuePage")({
  entries: Schema.Array(GazetteQueueEntry),
  next: Schema.OptionFromNullOr(GazetteQueueCursor)
}) {}
