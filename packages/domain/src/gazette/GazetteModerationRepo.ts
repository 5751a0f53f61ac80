import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { CommunityId } from "../communities/Community.js"
import type { HideReason } from "../moderation/HideReason.js"
import type { HoldReason } from "../trust/TrustPolicy.js"
import type { GazetteAlreadyAppealed, GazetteAlreadyFlagged } from "./GazetteModerationErrors.js"
import type {
  GazetteAppealId,
  GazetteAppealStatus,
  GazetteAppealView,
  GazetteAuthorHistory,
  GazetteFlagStatus,
  GazetteFlagView,
  GazetteQueueCursor
} from "./GazetteModerationItem.js"
import type { GazettePostId, PostKind, PostStatus } from "./GazettePost.js"

/** Who hid a post, why and when. */
export interface GazetteHidingRecord {
  readonly by: AccountId
  readonly reason: HideReason
  readonly details: Option.Option<string>
  readonly at: DateTime.Utc
}

/** An appeal with the ids the use case checks (its author, the moderator whose hiding it contests). */
export interface GazetteAppealRecord {
  readonly view: GazetteAppealView
  readonly authorId: AccountId
  readonly hiddenBy: AccountId
}

/** One post waiting for a moderator, as the queue's query finds it (its flags and appeal are read apart). */
export interface GazetteQueueRow {
  readonly postId: GazettePostId
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
    /** One flag per member and post. */
    readonly insertFlag: (flag: {
      readonly postId: GazettePostId
      readonly flaggedBy: AccountId
      readonly reason: HideReason
      readonly text: Option.Option<string>
      readonly at: DateTime.Utc
    }) => Effect.Effect<void, GazetteAlreadyFlagged>
    readonly hiding: (postId: GazettePostId) => Effect.Effect<Option.Option<GazetteHidingRecord>>
    /** How many open flags the post has. */
    readonly openFlags: (postId: GazettePostId) => Effect.Effect<number>
    /**
     * Moves the post from `from` to `to` (a hiding recorded with `to` hidden, cleared otherwise) and
     * marks it reviewed; false when its status was no longer `from`.
     */
    readonly moveStatus: (
      postId: GazettePostId,
      from: PostStatus,
      to: PostStatus,
      hiding: Option.Option<GazetteHidingRecord>,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
    /** Closes the post's open flags; answers how many. */
    readonly closeFlags: (
      postId: GazettePostId,
      status: Exclude<GazetteFlagStatus, "open">,
      by: AccountId,
      at: DateTime.Utc
    ) => Effect.Effect<number>
    /** One appeal per post. */
    readonly insertAppeal: (appeal: {
      readonly postId: GazettePostId
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
     * Posts waiting for a moderator (held, with open flags, or with a pending appeal), not withdrawn,
     * oldest first by (since, postId), strictly after the cursor; `since` is the earliest of the three.
     */
    readonly queue: (
      after: Option.Option<GazetteQueueCursor>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<GazetteQueueRow>>
    /** The open flags of these posts, oldest first. */
    readonly openFlagsOf: (postIds: ReadonlyArray<GazettePostId>) => Effect.Effect<
      ReadonlyArray<{ readonly postId: GazettePostId; readonly flag: GazetteFlagView }>
    >
    /** The pending appeals of these posts. */
    readonly pendingAppealsOf: (postIds: ReadonlyArray<GazettePostId>) => Effect.Effect<
      ReadonlyArray<GazetteAppealRecord>
    >
  }
>() {}
