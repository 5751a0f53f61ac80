import { Schema } from "effect"
import { InseeCode } from "./Commune.js"
import { CommunityId } from "./Community.js"

/** The commune code is not in the official list of French communes. */
export class UnknownCommune extends Schema.TaggedError<UnknownCommune>()("UnknownCommune", {
  insee: Schema.String
}) {}

/** No current French commune has this postcode. */
export class UnknownPostcode extends Schema.TaggedError<UnknownPostcode>()("UnknownPostcode", {
  postcode: Schema.String
}) {}

/** The community does not exist, or the actor may not see it (the two are not told apart). */
export class CommunityNotFound extends Schema.TaggedError<CommunityNotFound>()("CommunityNotFound", {
  communityId: CommunityId
}) {}

/** A community's perimeter must lie in its commune's area and not be empty. */
export class InvalidPerimeter extends Schema.TaggedError<InvalidPerimeter>()("InvalidPerimeter", {
  insee: InseeCode,
  reason: Schema.Literal("degenerate", "self_intersecting")
}) {}

/**
 * The perimeter shares area with another active quartier of the same commune (crossing edges, one
 * inside the other, or the same polygon). Touching along an edge or at a corner is allowed.
 */
export class PerimeterOverlap extends Schema.TaggedError<PerimeterOverlap>()("PerimeterOverlap", {
  otherCommunityId: CommunityId,
  otherName: Schema.String
}) {}

/** Another active quartier of the same commune already has this name. */
export class CommunityNameTaken extends Schema.TaggedError<CommunityNameTaken>()("CommunityNameTaken", {
  name: Schema.String
}) {}

/** The quartier is archived: it can no longer be renamed, redrawn, archived again or given référents. */
export class CommunityArchived extends Schema.TaggedError<CommunityArchived>()("CommunityArchived", {
  communityId: CommunityId
}) {}
