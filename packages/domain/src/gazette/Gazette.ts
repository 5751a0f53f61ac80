import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account, AccountId } from "../accounts/Account.js"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { UploadUnavailable } from "../media/MediaErrors.js"
import type { UploadId } from "../media/Upload.js"
import { UploadRepo } from "../media/UploadRepo.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { RateCounters } from "../shared/RateCounters.js"
import { Transactor } from "../shared/Transactor.js"
import { sensitiveSpans } from "../trust/SensitiveDescriptors.js"
import { Trust } from "../trust/Trust.js"
import {
  GazettePostClosed,
  GazettePostNotFound,
  GazettePostUnavailable,
  GazetteRateLimited,
  InvalidGazettePost,
  NotRenewable,
  OutcomeNotAllowed
} from "./GazetteErrors.js"
import { GazetteClosings } from "./GazetteClosings.js"
import {
  GazettePage,
  PublishedGazettePost,
  type GazetteCursor,
  type GazetteDetails,
  type GazettePost,
  type GazettePostId,
  type GazettePostView,
  type PostKind,
  type PostOutcome,
  type ResidentDetails,
  type StateFilter
} from "./GazettePost.js"
import {
  canRead,
  closeRefusal,
  detailsRefusal,
  expiryFrom,
  GAZETTE_DAILY_LIMIT,
  GAZETTE_RATE_WINDOW,
  gazetteViewer,
  gazetteHoldReasons,
  isMairieAgentOf,
  renewal,
  toView,
  withdrawRefusal,
  type GazetteViewer
} from "./GazettePolicy.js"
import { GazetteImmediate } from "./GazetteImmediate.js"
import { GazetteRepo } from "./GazetteRepo.js"

type Acting = Unauthenticated | AccountSuspended

const EARLIEST = DateTime.unsafeMake("1970-01-01T00:00:00Z")
const LATEST = DateTime.unsafeMake("9999-12-31T00:00:00Z")
const clampInstant = (at: DateTime.Utc) => DateTime.clamp(at, { minimum: EARLIEST, maximum: LATEST })

/** A resident's post, as the form sends it. */
export interface GazetteDraft {
  readonly communityId: CommunityId
  readonly title: string
  readonly body: string
  readonly photos: ReadonlyArray<UploadId>
  readonly details: ResidentDetails
}

/** A mairie communication, as the mairie's form sends it. */
export interface CommunicationDraft {
  readonly insee: InseeCode
  readonly communityIds: ReadonlyArray<CommunityId>
  readonly pinnedUntil: Option.Option<DateTime.Utc>
  readonly title: string
  readonly body: string
  readonly photos: ReadonlyArray<UploadId>
}

/** What a reader asks of one quartier's Gazette. */
export interface GazetteListing {
  readonly communityId: CommunityId
  readonly kinds: ReadonlyArray<PostKind>
  readonly state: StateFilter
  readonly query: Option.Option<string>
  readonly cursor: Option.Option<GazetteCursor>
  readonly limit: number
}

type AuthorFailure = Acting | GazettePostNotFound | Forbidden | GazettePostClosed | GazettePostUnavailable

/**
 * The Gazette as members and mairie agents use it. Reading follows GazettePolicy.canRead (whoever
 * may not read a post gets GazettePostNotFound, as for an unknown one). Publishing validates the
 * details (GazettePolicy.detailsRefusal), counts the member's posts of the day (RateCounters,
 * atomic), then writes the post, claims its uploads and writes its photos in one transaction: a
 * refused claim leaves nothing behind. Each change a reader could see is told live
 * (GazetteChanged, ids only) after its commit.
 */
export class Gazette extends Context.Tag("@vigie/domain/Gazette")<
  Gazette,
  {
    readonly publish: (
      actor: Actor,
      draft: GazetteDraft
    ) => Effect.Effect<
      PublishedGazettePost,
      Acting | NotAVerifiedMember | CommunityNotFound | InvalidGazettePost | UploadUnavailable | GazetteRateLimited
    >
    readonly publishCommunication: (
      actor: Actor,
      draft: CommunicationDraft
    ) => Effect.Effect<
      PublishedGazettePost,
      Acting | Forbidden | InvalidGazettePost | UploadUnavailable | GazetteRateLimited
    >
    readonly get: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazettePostView, Acting | GazettePostNotFound>
    readonly list: (
      actor: Actor,
      listing: GazetteListing
    ) => Effect.Effect<GazettePage, Acting | NotAVerifiedMember | CommunityNotFound>
    readonly close: (
      actor: Actor,
      postId: GazettePostId,
      outcome: PostOutcome
    ) => Effect.Effect<GazettePostView, AuthorFailure | OutcomeNotAllowed>
    readonly renew: (
      actor: Actor,
      postId: GazettePostId
    ) => Effect.Effect<GazettePostView, AuthorFailure | NotRenewable>
    readonly withdraw: (actor: Actor, postId: GazettePostId) => Effect.Effect<void, AuthorFailure>
    /** Whether the actor may read a post that holds this upload (a photo or an attachment). */
    readonly mayReadUpload: (actor: Actor, uploadId: UploadId) => Effect.Effect<boolean>
    /**
     * The author of a post the actor may read, for "écrire à l'auteur" (issue 16): none for a mairie
     * communication or the actor's own post. The id stays on the server (the messagerie uses it).
     */
    readonly authorToWrite: (
      actor: Actor,
      postId: GazettePostId
    ) => Effect.Effect<Option.Option<AccountId>, Acting | GazettePostNotFound>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteRepo
  const uploads = yield* UploadRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const counters = yield* RateCounters
  const live = yield* LiveEvents
  const tx = yield* Transactor
  const immediate = yield* GazetteImmediate
  // The trust policy's settings, fixed for the life of the use case (as for alerts).
  const settings = yield* Trust
  const closings = yield* GazetteClosings
  const now = DateTime.now

  const viewerOf = (account: Account) =>
    Effect.map(memberships.listByAccount(account.id), (mine) => gazetteViewer(account, mine))

  /** The quartiers a post reaches: its own, or those a communication names (all of its commune when none). */
  const reach = (post: Pick<GazettePost, "communityId" | "details" | "insee">) =>
    post.communityId !== null
      ? Effect.succeed<ReadonlyArray<CommunityId>>([post.communityId])
      : post.details._tag === "communication" && post.details.communityIds.length > 0
      ? Effect.succeed(post.details.communityIds)
      : Effect.map(communities.listByCommune(post.insee), (all) => all.map((c) => c.id))

  const readable = (viewer: GazetteViewer, post: GazettePost) =>
    Effect.map(reach(post), (where) => canRead(viewer, { ...post, reach: where }))

  /** The post, when the viewer may read it; GazettePostNotFound otherwise. */
  const find = (viewer: GazetteViewer, postId: GazettePostId) =>
    Effect.gen(function*() {
      const found = yield* repo.findById(postId)
      if (Option.isNone(found) || !(yield* readable(viewer, found.value))) {
        return yield* new GazettePostNotFound({ postId })
      }
      return found.value
    })

  /** Tells the open pages of the post's quartiers (and, for a communication, its mairie) that it changed. */
  const announce = (post: GazettePost) =>
    post.status !== "published" ? Effect.void : Effect.flatMap(reach(post), (communityIds) =>
      live.publish({
        _tag: "GazetteChanged",
        postId: post.id,
        insee: post.insee,
        communityIds,
        mairie: post.kind === "communication"
      }))

  /**
   * Right after a post is published: its e-mails at once (and a communication's SMS), planned by the
   * job that also catches up posts approved after being held (GazetteImmediate, once per post).
   */
  const tellAtOnce = (post: GazettePost) => post.status === "published" ? Effect.asVoid(immediate.runOnce) : Effect.void

  /** One more post of the member today, or GazetteRateLimited; atomic under concurrency (RateCounters). */
  const count = (account: Account) =>
    Effect.flatMap(
      counters.hit(
        [{ key: `gazette_post:${account.id}`, limit: GAZETTE_DAILY_LIMIT }],
        Duration.toMillis(GAZETTE_RATE_WINDOW)
      ),
      (outcome) =>
        outcome._tag === "Limited"
          ? Effect.fail(new GazetteRateLimited({ retryAfterSeconds: outcome.retryAfterSeconds }))
          : Effect.void
    )

  /** Writes the post, claims its uploads (all or nothing) and writes its photos, in one transaction. */
  const write = (
    account: Account,
    post: {
      readonly kind: PostKind
      readonly communityId: CommunityId | null
      readonly insee: InseeCode
      readonly title: string
      readonly body: string
      readonly photos: ReadonlyArray<UploadId>
      readonly details: GazetteDetails
      readonly holdReasons: GazettePost["holdReasons"]
    },
    at: DateTime.Utc
  ) =>
    tx.transaction(Effect.gen(function*() {
      const attachment = post.details._tag === "compte_rendu" ? post.details.attachment : null
      if (post.photos.length > 0) yield* uploads.claim(account.id, post.photos, "photo", at)
      if (attachment !== null) yield* uploads.claim(account.id, [attachment], "pdf", at)
      return yield* repo.insert({
        ...post,
        authorId: account.id,
        attachment,
        status: post.holdReasons.length > 0 ? "held_for_review" : "published",
        createdAt: at,
        expiresAt: expiryFrom(post.kind, at)
      })
    }))

  const duplicatePhotos = (photos: ReadonlyArray<UploadId>) =>
    new Set(photos).size === photos.length
      ? Effect.void
      : Effect.fail(new InvalidGazettePost({ field: "photos", reason: "not_allowed" }))

  const publish: Gazette["Type"]["publish"] = (actor, draft) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const community = yield* communities.findById(draft.communityId)
      if (Option.isNone(community) || community.value.status !== "active") {
        return yield* new CommunityNotFound({ communityId: draft.communityId })
      }
      const mine = yield* memberships.listByAccount(account.id)
      if (!mine.some((m) => m.communityId === draft.communityId && m.status === "verified")) {
        return yield* new NotAVerifiedMember({ communityId: draft.communityId })
      }
      const at = yield* now
      const refusal = detailsRefusal(draft.details, at)
      if (refusal !== undefined) return yield* refusal
      yield* duplicatePhotos(draft.photos)
      yield* count(account)
      const kind = draft.details._tag
      const sensitive = sensitiveSpans(
        [draft.title, draft.body, draft.details._tag === "perdu_trouve" ? draft.details.where : ""].join("\n")
      )
      const holdReasons = gazetteHoldReasons({
        kind,
        authorPreviousPosts: yield* repo.countByAuthor(account.id),
        sensitive
      }, settings)
      const post = yield* write(account, {
        kind,
        communityId: draft.communityId,
        insee: community.value.insee,
        title: draft.title,
        body: draft.body,
        photos: draft.photos,
        details: draft.details,
        holdReasons
      }, at)
      yield* announce(post)
      yield* tellAtOnce(post)
      return new PublishedGazettePost({
        post: toView(post, account.id, at),
        flagged: holdReasons.includes("sensitive_descriptors") ? sensitive : []
      })
    }).pipe(Effect.withSpan("Gazette.publish"))

  const publishCommunication: Gazette["Type"]["publishCommunication"] = (actor, draft) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (!isMairieAgentOf(account.staffRoles, draft.insee)) {
        return yield* new Forbidden({ action: "publish_mairie_communication" })
      }
      const ofCommune = new Set(
        (yield* communities.listByCommune(draft.insee)).filter((c) => c.status === "active").map((c) => c.id)
      )
      if (draft.communityIds.some((id) => !ofCommune.has(id))) {
        return yield* new InvalidGazettePost({ field: "communityIds", reason: "not_in_commune" })
      }
      const at = yield* now
      const details: GazetteDetails = {
        _tag: "communication",
        communityIds: [...new Set(draft.communityIds)],
        ...Option.match(draft.pinnedUntil, { onNone: () => ({}), onSome: (pinnedUntil) => ({ pinnedUntil }) })
      }
      const refusal = detailsRefusal(details, at)
      if (refusal !== undefined) return yield* refusal
      yield* duplicatePhotos(draft.photos)
      yield* count(account)
      const post = yield* write(account, {
        kind: "communication",
        communityId: null,
        insee: draft.insee,
        title: draft.title,
        body: draft.body,
        photos: draft.photos,
        details,
        holdReasons: []
      }, at)
      yield* announce(post)
      yield* tellAtOnce(post)
      return new PublishedGazettePost({ post: toView(post, account.id, at), flagged: [] })
    }).pipe(Effect.withSpan("Gazette.publishCommunication"))

  const get: Gazette["Type"]["get"] = (actor, postId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const post = yield* find(yield* viewerOf(account), postId)
      return toView(post, account.id, yield* now)
    }).pipe(Effect.withSpan("Gazette.get"))

  const list: Gazette["Type"]["list"] = (actor, listing) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const community = yield* communities.findById(listing.communityId)
      if (Option.isNone(community)) return yield* new CommunityNotFound({ communityId: listing.communityId })
      const viewer = yield* viewerOf(account)
      const member = viewer.verifiedCommunities.has(listing.communityId)
      // A mairie agent of the commune reads the mairie's communications in each of its quartiers.
      const agent = isMairieAgentOf(account.staffRoles, community.value.insee)
      if (!member && !agent) return yield* new NotAVerifiedMember({ communityId: listing.communityId })
      const kinds: ReadonlyArray<PostKind> = member
        ? listing.kinds
        : listing.kinds.length === 0 || listing.kinds.includes("communication")
        ? ["communication"]
        : []
      const at = yield* now
      const emptyPage = new GazettePage({ pinned: [], posts: [], next: Option.none() })
      if (!member && kinds.length === 0) return emptyPage
      const query = {
        communityId: listing.communityId,
        insee: community.value.insee,
        readerId: account.id,
        kinds,
        state: listing.state,
        query: Option.filter(listing.query, (q) => q.trim().length > 0),
        now: at
      }
      const pinned = Option.isNone(listing.cursor)
        ? yield* repo.list({ ...query, after: Option.none(), limit: 50, pinned: true })
        : []
      // A cursor names a post's instant; one out of any real range reads as the nearest sane bound.
      const after = Option.map(listing.cursor, (c) => ({ ...c, createdAt: clampInstant(c.createdAt) }))
      const rows = yield* repo.list({ ...query, after, limit: listing.limit + 1, pinned: false })
      const posts = rows.slice(0, listing.limit)
      const last = posts[posts.length - 1]
      return new GazettePage({
        pinned: pinned.map((p) => toView(p, account.id, at)),
        posts: posts.map((p) => toView(p, account.id, at)),
        next: rows.length > listing.limit && last !== undefined
          ? Option.some({ createdAt: last.createdAt, id: last.id })
          : Option.none()
      })
    }).pipe(Effect.withSpan("Gazette.list"))

  /** The actor's own post (GazettePostNotFound when unreadable, Forbidden when someone else's). */
  const own = (actor: Actor, postId: GazettePostId, action: string) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const post = yield* find(yield* viewerOf(account), postId)
      if (post.authorId !== account.id) return yield* new Forbidden({ action })
      return { account, post }
    })

  /** The post as it is after a change of `account`'s, told live. */
  const after = (account: Account, postId: GazettePostId) =>
    Effect.gen(function*() {
      const post = yield* repo.findById(postId)
      if (Option.isNone(post)) return yield* new GazettePostNotFound({ postId })
      yield* announce(post.value)
      return toView(post.value, account.id, yield* now)
    })

  const close: Gazette["Type"]["close"] = (actor, postId, outcome) =>
    Effect.gen(function*() {
      const { account, post } = yield* own(actor, postId, "close_gazette_post")
      const at = yield* now
      const refusal = closeRefusal(post, outcome, at)
      if (refusal !== undefined) return yield* refusal
      // Those the closing tells ("retrouvé": everyone who commented) are written with it (GazetteClosings).
      const told = yield* tx.transaction(Effect.gen(function*() {
        if (!(yield* repo.close(postId, outcome, at))) {
          return yield* new GazettePostClosed({ postId, state: "closed" })
        }
        return yield* closings.closed(post, outcome, at)
      }))
      yield* told
      return yield* after(account, postId)
    }).pipe(Effect.withSpan("Gazette.close"))

  const renew: Gazette["Type"]["renew"] = (actor, postId) =>
    Effect.gen(function*() {
      const { account, post } = yield* own(actor, postId, "renew_gazette_post")
      const decision = renewal(post, yield* now)
      if (decision._tag === "Refuse") return yield* decision.error
      if (!(yield* repo.renew(postId, decision.expiresAt))) {
        return yield* new GazettePostClosed({ postId, state: "closed" })
      }
      return yield* after(account, postId)
    }).pipe(Effect.withSpan("Gazette.renew"))

  const withdraw: Gazette["Type"]["withdraw"] = (actor, postId) =>
    Effect.gen(function*() {
      const { post } = yield* own(actor, postId, "withdraw_gazette_post")
      const refusal = withdrawRefusal(post)
      if (refusal !== undefined) return yield* refusal
      if (!(yield* repo.withdraw(postId, yield* now))) {
        return yield* new GazettePostUnavailable({ postId, status: "withdrawn" })
      }
      // Readers of the quartiers re-read it and find it gone.
      yield* announce(post)
    }).pipe(Effect.withSpan("Gazette.withdraw"))

  const mayReadUpload: Gazette["Type"]["mayReadUpload"] = (actor, uploadId) =>
    Effect.gen(function*() {
      if (actor._tag === "Anonymous") return false
      const account = yield* Effect.option(requireAccount(actor))
      if (Option.isNone(account)) return false
      const viewer = yield* viewerOf(account.value)
      const holders = yield* repo.holding(uploadId)
      for (const post of holders) if (yield* readable(viewer, post)) return true
      return false
    }).pipe(Effect.withSpan("Gazette.mayReadUpload"))

  const authorToWrite: Gazette["Type"]["authorToWrite"] = (actor, postId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const post = yield* find(yield* viewerOf(account), postId)
      return post.kind === "communication" || post.authorId === account.id || post.status !== "published"
        ? Option.none()
        : Option.some(post.authorId)
    }).pipe(Effect.withSpan("Gazette.authorToWrite"))

  return Gazette.of({ publish, publishCommunication, get, list, close, renew, withdraw, mayReadUpload, authorToWrite })
})

export const layer = Layer.effect(Gazette, make)
