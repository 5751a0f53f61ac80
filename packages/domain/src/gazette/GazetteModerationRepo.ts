import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { CommunityId } from "../communities/Community.js"
import type { HideReason } from "../moderation/HideReason.js"
import type { HoldReason } from "../trust/TrustPolicy.js"
import type { GazetteCommentId } from "./GazetteComment.js"
import type { GazetteAlreadyAppealed, GazetteAlreadyFlagged } from "./GazetteModerationErrors.js"
import type {
  GazetteAppealId,
  GazetteAppealStatus,
  GazetteAppealView,
  GazetteAuthorHistory,
  GazetteFlagStatus,
  GazetteFlagView,
  GazetteItemKind,
  GazetteQueueCursor,
  GazetteTarget
} from "./GazetteModerationItem.js"
import type { GazettePostId, PostKind, PostStatus } from "./GazettePost.js"

/** Who hid a post, why and when. */
export interface GazetteHidingRecord {
  readonly by: AccountId
  readonly reason: HideReason
  readonly details: Option.Option<string>
  readonly at: DateTime.Utc
}

/** A comment as moderation acts on it (never a deleted one). */
export interface ModeratedComment {
  readonly id: GazetteCommentId
  readonly postId: GazettePostId
  readonly authorId: AccountId
  readonly status: PostStatus
}

/** An appeal with the ids the use case checks (its author, the moderator whose hiding it contests). */
export interface GazetteAppealRecord {
  readonly view: GazetteAppealView
  readonly authorId: AccountId
  readonly hiddenBy: AccountId
}

/** One item waiting for a moderator, as the queue's query finds it (its flags and appeal are read apart). */
export interface GazetteQueueRow {
  readonly item: GazetteItemKind
  /** The comment's id for a comment, the post's for a post. */
  readonly itemId: string
  readonly postId: GazettePostId
  readonly commentId: Option.Option<GazetteCommentId>
  readonly kind: PostKind
  readonly status: PostStatus
  readonly title: string
  readonly body: string
  readonly communityId: CommunityId | null
  readonly quartier: string
  readonly holdReasons: ReadonlyArray<HoldReason>
  readonly since: DateTime.Utc
  readonly held: boolean
  readonly flagged: boolean
  readonly appealed: boolean
  readonly hiding: Option.Option<GazetteHidingRecord>
  readonly authorName: string
  readonly authorHistory: GazetteAuthorHistory
}

/**
 * Persistence of the Gazette's moderation (tables gazette_flags, gazette_appeals and the `hidden_*`
 * columns of gazette_posts). Writes are meant to run inside the use case's transaction, beside its
 * audit row and the author's notice.
 */
export class GazetteModerationRepo extends Context.Tag("@vigie/domain/GazetteModerationRepo")<
  GazetteModerationRepo,
  {
    /** The comment, unless deleted. */
    readonly comment: (id: GazetteCommentId) => Effect.Effect<Option.Option<ModeratedComment>>
    /** One flag per member and item. */
    readonly insertFlag: (flag: {
      readonly target: GazetteTarget
      readonly flaggedBy: AccountId
      readonly reason: HideReason
      readonly text: Option.Option<string>
      readonly at: DateTime.Utc
    }) => Effect.Effect<void, GazetteAlreadyFlagged>
    readonly hiding: (target: GazetteTarget) => Effect.Effect<Option.Option<GazetteHidingRecord>>
    /** How many open flags the item has. */
    readonly openFlags: (target: GazetteTarget) => Effect.Effect<number>
    /**
     * Moves the item from `from` to `to` (a hiding recorded with `to` hidden, cleared otherwise) and
     * marks it reviewed; false when its status was no longer `from`.
     */
    readonly moveStatus: (
      target: GazetteTarget,
      from: PostStatus,
      to: PostStatus,
      hiding: Option.Option<GazetteHidingRecord>,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
    /** Closes the item's open flags; answers how many. */
    readonly closeFlags: (
      target: GazetteTarget,
      status: Exclude<GazetteFlagStatus, "open">,
      by: AccountId,
      at: DateTime.Utc
    ) => Effect.Effect<number>
    /** One appeal per item. */
    readonly insertAppeal: (appeal: {
      readonly target: GazetteTarget
      readonly authorId: AccountId
      readonly text: string
      readonly hiddenBy: AccountId
      readonly at: DateTime.Utc
    }) => Effect.Effect<GazetteAppealView, GazetteAlreadyAppealed>
    readonly appeal: (id: GazetteAppealId) => Effect.Effect<Option.Option<GazetteAppealRecord>>
    /** Decides a pending appeal; false when it was no longer pending. */
    readonly decideAppeal: (
      id: GazetteAppealId,
      decision: {
        readonly status: Exclude<GazetteAppealStatus, "pending">
        readonly by: AccountId
        readonly reason: string
        readonly at: DateTime.Utc
      }
    ) => Effect.Effect<boolean>
    /**
     * Posts and comments waiting for a moderator (held, with open flags, or with a pending appeal), not
     * withdrawn nor deleted, oldest first by (since, itemId), strictly after the cursor; `since` is the
     * earliest of the three.
     */
    readonly queue: (
      after: Option.Option<GazetteQueueCursor>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<GazetteQueueRow>>
    /** The open flags of these items (by the comment's or the post's id), oldest first. */
    readonly openFlagsOf: (itemIds: ReadonlyArray<string>) => Effect.Effect<
      ReadonlyArray<{ readonly itemId: string; readonly flag: GazetteFlagView }>
    >
    /** The pending appeals of these items (by the comment's or the post's id). */
    readonly pendingAppealsOf: (itemIds: ReadonlyArray<string>) => Effect.Effect<
      ReadonlyArray<GazetteAppealRecord>
    >
  }
>() {}
