import { Schema } from "effect"
import { GazettePostId, PostKind, PostOutcome, PostState, PostStatus } from "./GazettePost.js"

/** No such post, or the actor may not read it (the same answer, so that nothing leaks). */
export class GazettePostNotFound extends Schema.TaggedError<GazettePostNotFound>()("GazettePostNotFound", {
  postId: GazettePostId
}) {}

/** The post is closed (or cancelled): it can no longer be closed again or renewed. */
export class GazettePostClosed extends Schema.TaggedError<GazettePostClosed>()("GazettePostClosed", {
  postId: GazettePostId,
  state: PostState
}) {}

/** The post is hidden by a moderator or withdrawn: its author can no longer change it. */
export class GazettePostUnavailable extends Schema.TaggedError<GazettePostUnavailable>()("GazettePostUnavailable", {
  postId: GazettePostId,
  status: PostStatus
}) {}

/** This outcome does not close this kind of post (e.g. "vendu" on a ride, anything on an event). */
export class OutcomeNotAllowed extends Schema.TaggedError<OutcomeNotAllowed>()("OutcomeNotAllowed", {
  kind: PostKind,
  outcome: PostOutcome
}) {}

/** This kind of post never expires, so it is not renewed (vie du quartier, compte-rendu, events...). */
export class NotRenewable extends Schema.TaggedError<NotRenewable>()("NotRenewable", {
  kind: PostKind
}) {}

/**
 * A field of the post breaks a rule the form cannot check alone: a date in the past, an end before
 * the start, a ride without a destination, a place missing, a date too far ahead (a ride or a pin
 * more than a year on, an event more than two). `field` names it as the form does.
 */
export class InvalidGazettePost extends Schema.TaggedError<InvalidGazettePost>()("InvalidGazettePost", {
  field: Schema.String,
  reason: Schema.Literal(
    "required",
    "in_the_past",
    "before_start",
    "not_in_commune",
    "in_the_future",
    "not_allowed",
    "too_far"
  )
}) {}

/** Too many posts from this member today; they may post again after `retryAfterSeconds`. */
export class GazetteRateLimited extends Schema.TaggedError<GazetteRateLimited>()("GazetteRateLimited", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}
