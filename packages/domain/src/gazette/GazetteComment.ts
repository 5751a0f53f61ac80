import { Schema } from "effect"
import { FlaggedSpanSchema } from "../trust/SensitiveDescriptors.js"
import { GazettePostId } from "./GazettePost.js"

/** One comment on a Gazette post (or event). */
export const GazetteCommentId = Schema.UUID.pipe(Schema.brand("GazetteCommentId"))
export type GazetteCommentId = typeof GazetteCommentId.Type

/** A comment's text, once trimmed: 1 to COMMENT_MAX_LENGTH characters (checked by GazetteSocialPolicy). */
export const COMMENT_MAX_LENGTH = 2000

/**
 * Published (seen by every reader of the post), or held_for_review (the sensitive-descriptor check
 * tripped on a perdu / trouvé or entraide post: seen by its author only, until a moderator decides),
 * or hidden by a moderator.
 */
export const CommentStatus = Schema.Literal("published", "held_for_review", "hidden")
export type CommentStatus = typeof CommentStatus.Type

/**
 * One comment as a reader receives it: the author's display name ("Chloé M."), whether it is the
 * reader's own, never an account id. A deleted comment that still has replies reads `deleted` with
 * an empty text (the page shows "Commentaire supprimé"); `held` only ever reaches its author.
 */
export class GazetteCommentView extends Schema.Class<GazetteCommentView>("GazetteCommentView")({
  id: GazetteCommentId,
  authorName: Schema.String,
  mine: Schema.Boolean,
  body: Schema.String,
  held: Schema.Boolean,
  deleted: Schema.Boolean,
  createdAt: Schema.DateTimeUtc
}) {}

/** A top comment and its replies (one level deep), oldest first. */
export class GazetteThread extends Schema.Class<GazetteThread>("GazetteThread")({
  comment: GazetteCommentView,
  replies: Schema.Array(GazetteCommentView)
}) {}

/** The comments of one post, threads oldest first. */
export class GazetteComments extends Schema.Class<GazetteComments>("GazetteComments")({
  postId: GazettePostId,
  threads: Schema.Array(GazetteThread)
}) {}

/**
 * What commenting answers: the comment as its author sees it, and, when the sensitive-descriptor
 * check held it, the spans that tripped it (the page says it waits for a moderator).
 */
export class PostedGazetteComment extends Schema.Class<PostedGazetteComment>("PostedGazetteComment")({
  postId: GazettePostId,
  comment: GazetteCommentView,
  /** The top comment it was attached to (a reply to a reply joins its thread); absent for a top comment. */
  parentId: Schema.OptionFromNullOr(GazetteCommentId),
  flagged: Schema.Array(FlaggedSpanSchema)
}) {}

/** The "merci" of a post: how many, whether mine, and who ("Prénom I."), oldest first. */
export class GazetteThanks extends Schema.Class<GazetteThanks>("GazetteThanks")({
  postId: GazettePostId,
  count: Schema.NonNegativeInt,
  mine: Schema.Boolean,
  names: Schema.Array(Schema.String)
}) {}

/** An answer to an event: "j'y serai" (going), "peut-être" (maybe), "non" (no). */
export const EventAnswer = Schema.Literal("going", "maybe", "no")
export type EventAnswer = typeof EventAnswer.Type

/**
 * The answers to one event: counts per answer, the names of those coming ("Prénom I.", oldest answer
 * first), my own answer, the limit of places (absent: none) and the places left.
 */
export class GazetteEventAnswers extends Schema.Class<GazetteEventAnswers>("GazetteEventAnswers")({
  postId: GazettePostId,
  going: Schema.NonNegativeInt,
  maybe: Schema.NonNegativeInt,
  no: Schema.NonNegativeInt,
  coming: Schema.Array(Schema.String),
  mine: Schema.OptionFromNullOr(EventAnswer),
  capacity: Schema.OptionFromNullOr(Schema.Int),
  placesLeft: Schema.OptionFromNullOr(Schema.NonNegativeInt),
  cancelled: Schema.Boolean
}) {}
