import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { UploadUnavailable } from "../media/MediaErrors.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import {
  GazettePostClosed,
  GazettePostNotFound,
  GazettePostUnavailable,
  GazetteRateLimited,
  InvalidGazettePost,
  NotRenewable,
  OutcomeNotAllowed
} from "./GazetteErrors.js"
import {
  GazetteCursor,
  GazettePage,
  GazettePostId,
  GazettePostView,
  PostBody,
  PostKind,
  PostOutcome,
  PostPhotos,
  PostTitle,
  PublishedGazettePost,
  ResidentDetails,
  StateFilter
} from "./GazettePost.js"

const photos = Schema.optionalWith(PostPhotos, { default: () => [] })

/**
 * One page of a quartier's Gazette, for its verified members (a mairie agent of its commune reads
 * its communications only): newest first, paged on (createdAt, id); the mairie's communications
 * pinned now come first, on the first page only. Filters by kinds and state; `query` searches the
 * title and text in French, accents and case ignored.
 */
export const ListGazette = Rpc.make("ListGazette", {
  payload: Schema.Struct({
    communityId: CommunityId,
    kinds: Schema.optionalWith(Schema.Array(PostKind).pipe(Schema.maxItems(8)), { default: () => [] }),
    state: Schema.optionalWith(StateFilter, { default: () => "open" as const }),
    query: Schema.optional(Schema.Trim.pipe(Schema.maxLength(200))),
    cursor: Schema.optional(GazetteCursor),
    limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 50)), { default: () => 20 })
  }),
  success: GazettePage,
  error: Schema.Union(Unauthenticated, AccountSuspended, NotAVerifiedMember, CommunityNotFound, InvalidRequest)
})

/** One post I may read (GazettePostNotFound otherwise, exactly as for an unknown one). */
export const GetGazettePost = Rpc.make("GetGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId }),
  success: GazettePostView,
  error: Schema.Union(Unauthenticated, AccountSuspended, GazettePostNotFound, InvalidRequest)
})

/**
 * Publish a post of any resident kind in a quartier where I am a verified member, with up to 4 of
 * my photos (and the PDF of a compte-rendu) uploaded before. My first posts, and a perdu / trouvé or
 * entraide whose text trips the sensitive-descriptor check, wait for a moderator: the answer says so
 * (status held_for_review, holdReasons, flagged spans). At most 10 posts a day.
 */
export const PublishGazettePost = Rpc.make("PublishGazettePost", {
  payload: Schema.Struct({
    communityId: CommunityId,
    title: PostTitle,
    body: PostBody,
    photos,
    details: ResidentDetails
  }),
  success: PublishedGazettePost,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    NotAVerifiedMember,
    CommunityNotFound,
    InvalidGazettePost,
    UploadUnavailable,
    GazetteRateLimited,
    InvalidRequest
  )
})

const authorErrors = [
  Unauthenticated,
  AccountSuspended,
  GazettePostNotFound,
  Forbidden,
  GazettePostClosed,
  GazettePostUnavailable,
  InvalidRequest
] as const

/** Close my post with an outcome of its kind (vendu, fait, complet, retrouvé...). */
export const CloseGazettePost = Rpc.make("CloseGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId, outcome: PostOutcome }),
  success: GazettePostView,
  error: Schema.Union(...authorErrors, OutcomeNotAllowed)
})

/** Keep my annonce, entraide, ride or lost-and-found open 30 more days from now (expired ones too, not closed ones). */
export const RenewGazettePost = Rpc.make("RenewGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId }),
  success: GazettePostView,
  error: Schema.Union(...authorErrors, NotRenewable)
})

/** Withdraw my post: nobody reads it any more. */
export const WithdrawGazettePost = Rpc.make("WithdrawGazettePost", {
  payload: Schema.Struct({ postId: GazettePostId }),
  success: Schema.Void,
  error: Schema.Union(...authorErrors)
})

/**
 * A communication of the mairie, by one of its agents: to the quartiers named (each of the
 * commune), or to every quartier of the commune when none is named; pinned on top of their Gazettes
 * until `pinnedUntil`. Never held.
 */
export const PublishMairieCommunication = Rpc.make("PublishMairieCommunication", {
  payload: Schema.Struct({
    insee: InseeCode,
    communityIds: Schema.optionalWith(Schema.Array(CommunityId).pipe(Schema.maxItems(200)), { default: () => [] }),
    pinnedUntil: Schema.optional(Schema.DateTimeUtc),
    title: PostTitle,
    body: PostBody,
    photos
  }),
  success: PublishedGazettePost,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    Forbidden,
    InvalidGazettePost,
    UploadUnavailable,
    GazetteRateLimited,
    InvalidRequest
  )
})

/** The Gazette of each quartier: annonces, entraide, rides, lost and found, news, minutes, events, the mairie's news. */
export class GazetteRpcs extends RpcGroup.make(
  ListGazette,
  GetGazettePost,
  PublishGazettePost,
  CloseGazettePost,
  RenewGazettePost,
  WithdrawGazettePost,
  PublishMairieCommunication
).middleware(Authentication) {}
