import { Schema } from "effect"
import { CommunityId } from "../communities/Community.js"
import { InseeCode } from "../communities/Commune.js"
import { UploadId } from "../media/Upload.js"
import { AccountId } from "../shared/Ids.js"
import { FlaggedSpanSchema } from "../trust/SensitiveDescriptors.js"
import { HoldReason } from "../trust/TrustPolicy.js"

/** One post of a quartier's Gazette (or a mairie communication shown in several). */
export const GazettePostId = Schema.UUID.pipe(Schema.brand("GazettePostId"))
export type GazettePostId = typeof GazettePostId.Type

/** What a post is; each kind has its own details (`GazetteDetails`), tagged with the kind. */
export const PostKind = Schema.Literal(
  "annonce",
  "entraide",
  "covoiturage",
  "perdu_trouve",
  "vie_du_quartier",
  "compte_rendu",
  "communication",
  "evenement"
)
export type PostKind = typeof PostKind.Type

/** A short free text (a place, a town): trimmed, at most 120 characters, emptiness checked by GazettePolicy. */
const ShortText = Schema.Trim.pipe(Schema.maxLength(120))

/** Petite annonce: sell, give, lend or look for something; a price only when selling. */
export const AnnonceDetails = Schema.TaggedStruct("annonce", {
  offer: Schema.Literal("vends", "donne", "prete", "cherche"),
  priceCents: Schema.optional(Schema.NonNegativeInt)
})

/** Entraide: an offer of help or a request for it. */
export const EntraideDetails = Schema.TaggedStruct("entraide", {
  direction: Schema.Literal("offre", "demande"),
  help: Schema.Literal("courses", "bricolage", "jardinage", "garde_animaux", "accompagnement", "autre")
})

/** Covoiturage: a ride offered or asked for, from → to, leaving at a time in the future. */
export const CovoiturageDetails = Schema.TaggedStruct("covoiturage", {
  direction: Schema.Literal("offre", "demande"),
  from: ShortText,
  to: ShortText,
  departsAt: Schema.DateTimeUtc,
  seats: Schema.Int.pipe(Schema.between(1, 8))
})

/** Perdu / trouvé: an animal or an object, where and when it was lost or seen. */
export const PerduTrouveDetails = Schema.TaggedStruct("perdu_trouve", {
  situation: Schema.Literal("perdu", "trouve"),
  subject: Schema.Literal("animal", "objet"),
  where: ShortText,
  seenAt: Schema.DateTimeUtc
})

/** Vie du quartier: news, the welcome of a new neighbour, an anecdote. */
export const VieDuQuartierDetails = Schema.TaggedStruct("vie_du_quartier", {
  topic: Schema.Literal("nouvelle", "bienvenue", "anecdote")
})

/** Compte-rendu of a copropriété general assembly or a neighbours' meeting, with its PDF. */
export const CompteRenduDetails = Schema.TaggedStruct("compte_rendu", {
  meeting: Schema.Literal("assemblee_copropriete", "reunion_voisins"),
  heldOn: Schema.DateTimeUtc,
  attachment: UploadId
})

/**
 * Communication de la mairie: to the quartiers named, or to every quartier of the commune when
 * `communityIds` is empty; pinned on top of their Gazettes until `pinnedUntil`.
 */
export const CommunicationDetails = Schema.TaggedStruct("communication", {
  communityIds: Schema.Array(CommunityId).pipe(Schema.maxItems(200)),
  pinnedUntil: Schema.optional(Schema.DateTimeUtc)
})

/** Événement: a start in the future, an optional end after it, a place and an optional limit of places. */
export const EvenementDetails = Schema.TaggedStruct("evenement", {
  startsAt: Schema.DateTimeUtc,
  endsAt: Schema.optional(Schema.DateTimeUtc),
  place: ShortText,
  capacity: Schema.optional(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)))
})

/** The details of a post, by kind (`_tag` is the kind). */
export const GazetteDetails = Schema.Union(
  AnnonceDetails,
  EntraideDetails,
  CovoiturageDetails,
  PerduTrouveDetails,
  VieDuQuartierDetails,
  CompteRenduDetails,
  CommunicationDetails,
  EvenementDetails
)
export type GazetteDetails = typeof GazetteDetails.Type

/** The details a resident may post: every kind but the mairie's communications. */
export const ResidentDetails = Schema.Union(
  AnnonceDetails,
  EntraideDetails,
  CovoiturageDetails,
  PerduTrouveDetails,
  VieDuQuartierDetails,
  CompteRenduDetails,
  EvenementDetails
)
export type ResidentDetails = typeof ResidentDetails.Type

/** A post's title: trimmed, 3 to 120 characters. */
export const PostTitle = Schema.Trim.pipe(Schema.minLength(3), Schema.maxLength(120))
/** A post's text: trimmed, 1 to 4000 characters. */
export const PostBody = Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(4000))
/** At most 4 photos per post, each an upload of kind photo, in the order shown. */
export const PostPhotos = Schema.Array(UploadId).pipe(Schema.maxItems(4))

/**
 * Moderation status: published (seen by its readers), held_for_review (waits for a moderator: new
 * member, sensitive descriptors), hidden (by a moderator), withdrawn (by its author). Only published
 * posts are read by others.
 */
export const PostStatus = Schema.Literal("published", "held_for_review", "hidden", "withdrawn")
export type PostStatus = typeof PostStatus.Type

/**
 * Where a post stands for its readers: open; closed by its author with an outcome; expired (its
 * 30 days passed without a renewal: an open post past `expiresAt` reads as expired even before the
 * job marks it).
 */
export const PostState = Schema.Literal("open", "closed", "expired")
export type PostState = typeof PostState.Type

/** How a post was closed (the allowed ones per kind are GazettePolicy.outcomesOf). */
export const PostOutcome = Schema.Literal("vendu", "donne", "rendu", "trouve", "fait", "complet", "retrouve")
export type PostOutcome = typeof PostOutcome.Type

/**
 * A stored post. `communityId` is null for a communication (it belongs to the commune `insee`; its
 * quartiers are in its details). `remindedFor` is the `expiresAt` whose 3-day reminder was sent.
 */
export class GazettePost extends Schema.Class<GazettePost>("GazettePost")({
  id: GazettePostId,
  kind: PostKind,
  communityId: Schema.NullOr(CommunityId),
  insee: InseeCode,
  authorId: AccountId,
  authorName: Schema.String,
  title: Schema.String,
  body: Schema.String,
  photos: Schema.Array(UploadId),
  details: GazetteDetails,
  status: PostStatus,
  holdReasons: Schema.Array(HoldReason),
  state: PostState,
  outcome: Schema.NullOr(PostOutcome),
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  cancelledAt: Schema.NullOr(Schema.DateTimeUtc),
  createdAt: Schema.DateTimeUtc,
  expiresAt: Schema.NullOr(Schema.DateTimeUtc),
  remindedFor: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * A post as its reader receives it: never its author's account id, but whether it is the reader's
 * own, its author's display name ("Chloé M.", "Mairie"), its state as of now (an open post past its
 * expiry reads `expired`), and, for its author only, why it is held.
 */
export class GazettePostView extends Schema.Class<GazettePostView>("GazettePostView")({
  id: GazettePostId,
  kind: PostKind,
  communityId: Schema.NullOr(CommunityId),
  insee: InseeCode,
  authorName: Schema.String,
  mine: Schema.Boolean,
  title: Schema.String,
  body: Schema.String,
  photos: Schema.Array(UploadId),
  details: GazetteDetails,
  status: PostStatus,
  holdReasons: Schema.Array(HoldReason),
  state: PostState,
  outcome: Schema.NullOr(PostOutcome),
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  cancelledAt: Schema.NullOr(Schema.DateTimeUtc),
  createdAt: Schema.DateTimeUtc,
  expiresAt: Schema.NullOr(Schema.DateTimeUtc),
  pinned: Schema.Boolean
}) {}

/**
 * What publishing answers: the post, and the spans that held it when the sensitive check tripped
 * (their offsets count in the title, a line break, the body, and for a perdu / trouvé a line break
 * and its place; `excerpt` is the words themselves).
 */
export class PublishedGazettePost extends Schema.Class<PublishedGazettePost>("PublishedGazettePost")({
  post: GazettePostView,
  flagged: Schema.Array(FlaggedSpanSchema)
}) {}

/** Where the next page starts: after this (createdAt, id), in (created_at, id) descending order. */
export const GazetteCursor = Schema.Struct({ createdAt: Schema.DateTimeUtc, id: GazettePostId })
export type GazetteCursor = typeof GazetteCursor.Type

/**
 * One page of a quartier's Gazette: on the first page only, `pinned` holds the mairie's pinned
 * communications (shown first, and never again in `posts`); `next` is absent on the last page.
 */
export class GazettePage extends Schema.Class<GazettePage>("GazettePage")({
  pinned: Schema.Array(GazettePostView),
  posts: Schema.Array(GazettePostView),
  next: Schema.OptionFromNullOr(GazetteCursor)
}) {}

/** Which posts a list shows: open ones, closed or expired ones, or all. */
export const StateFilter = Schema.Literal("open", "closed", "all")
export type StateFilter = typeof StateFilter.Type
