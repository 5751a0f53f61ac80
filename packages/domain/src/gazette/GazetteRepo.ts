import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { UploadId } from "../media/Upload.js"
import type { HoldReason } from "../trust/TrustPolicy.js"
import type {
  GazetteCursor,
  GazetteDetails,
  GazettePost,
  GazettePostId,
  PostKind,
  PostOutcome,
  PostStatus,
  StateFilter
} from "./GazettePost.js"

/** A post to write, decided by the use case. */
export interface NewGazettePost {
  readonly kind: PostKind
  /** Null for a communication, which belongs to its commune. */
  readonly communityId: CommunityId | null
  readonly insee: InseeCode
  readonly authorId: AccountId
  readonly title: string
  readonly body: string
  readonly photos: ReadonlyArray<UploadId>
  /** The PDF of a compte-rendu. */
  readonly attachment: UploadId | null
  readonly details: GazetteDetails
  readonly status: PostStatus
  readonly holdReasons: ReadonlyArray<HoldReason>
  readonly createdAt: DateTime.Utc
  readonly expiresAt: DateTime.Utc | null
}

/** One page of one quartier's Gazette as a reader asks for it. */
export interface GazetteQuery {
  readonly communityId: CommunityId
  /** The quartier's commune: its communications to every quartier are in the page too. */
  readonly insee: InseeCode
  /** Their own held or hidden posts are listed to them; others see published posts only. */
  readonly readerId: AccountId
  /** Empty: every kind. */
  readonly kinds: ReadonlyArray<PostKind>
  readonly state: StateFilter
  /** French full-text search over title and body, accents and case ignored. */
  readonly query: Option.Option<string>
  readonly after: Option.Option<GazetteCursor>
  readonly limit: number
  readonly now: DateTime.Utc
  /** true: only the communications pinned now (unpaged); false: everything else. */
  readonly pinned: boolean
}

/**
 * Persistence of the Gazette (tables gazette_posts, gazette_post_photos, gazette_post_targets).
 * `insert` writes a post with its photos and its target quartiers; the use case calls it inside its
 * transaction, after claiming the uploads. Lists are in (created_at, id) descending order, withdrawn
 * posts never listed, open meaning not closed, not cancelled and not past its expiry.
 */
export class GazetteRepo extends Context.Tag("@vigie/domain/GazetteRepo")<
  GazetteRepo,
  {
    readonly insert: (post: NewGazettePost) => Effect.Effect<GazettePost>
    readonly findById: (id: GazettePostId) => Effect.Effect<Option.Option<GazettePost>>
    readonly list: (query: GazetteQuery) => Effect.Effect<ReadonlyArray<GazettePost>>
    /** Gazette posts the account ever wrote (the trust policy's "first posts"). */
    readonly countByAuthor: (authorId: AccountId) => Effect.Effect<number>
    /** Closes an open or expired post; false when it was closed, withdrawn or hidden meanwhile. */
    readonly close: (id: GazettePostId, outcome: PostOutcome, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Opens again until `expiresAt` a post that is not closed, withdrawn or hidden; false otherwise. */
    readonly renew: (id: GazettePostId, expiresAt: DateTime.Utc) => Effect.Effect<boolean>
    /** Marks a post withdrawn by its author; false when it was withdrawn or hidden already. */
    readonly withdraw: (id: GazettePostId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Marks expired every open post past its expiry; answers how many. */
    readonly expireDue: (now: DateTime.Utc) => Effect.Effect<number>
    /** Published open posts whose reminder is due (GazettePolicy.remindersDue), at most `limit`. */
    readonly remindersDue: (now: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<GazettePost>>
    /**
     * Records that the reminder of `id` for the expiry `expiresAt` is sent; false when it was already
     * recorded, or the post was renewed meanwhile (one reminder per post and expiry, whoever races).
     */
    readonly markReminded: (id: GazettePostId, expiresAt: DateTime.Utc) => Effect.Effect<boolean>
    /** The posts (not withdrawn) that hold an upload, as a photo or an attachment. */
    readonly holding: (uploadId: UploadId) => Effect.Effect<ReadonlyArray<GazettePost>>
  }
>() {}
