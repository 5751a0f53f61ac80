import { Schema } from "effect"
import { MembershipId, MembershipStatus } from "./Membership.js"
import { CommunityId } from "../communities/Community.js"

/** The membership does not exist or is not the actor's to see. */
export class MembershipNotFound extends Schema.TaggedError<MembershipNotFound>()("MembershipNotFound", {
  membershipId: MembershipId
}) {}

/** The account already belongs (or asked to belong) to this community. */
export class AlreadyMember extends Schema.TaggedError<AlreadyMember>()("AlreadyMember", {
  communityId: CommunityId
}) {}

/** The move asked for is not allowed from the membership's current status. */
export class InvalidMembershipTransition extends Schema.TaggedError<InvalidMembershipTransition>()(
  "InvalidMembershipTransition",
  { membershipId: MembershipId, from: MembershipStatus, to: MembershipStatus }
) {}

/**
 * The actor has no verified membership in the community; with `membershipId`, that membership (a
 * référent the mairie would appoint) is not a verified member of the community.
 */
export class NotAVerifiedMember extends Schema.TaggedError<NotAVerifiedMember>()("NotAVerifiedMember", {
  communityId: CommunityId,
  membershipId: Schema.optional(MembershipId)
}) {}

/** An account belongs (or asks to belong) to at most `max` quartiers at once. */
export class TooManyCommunities extends Schema.TaggedError<TooManyCommunities>()("TooManyCommunities", {
  max: Schema.Int
}) {}

/** The account was excluded from this community by moderation: it cannot ask to join again. */
export class MembershipBanned extends Schema.TaggedError<MembershipBanned>()("MembershipBanned", {
  communityId: CommunityId
}) {}

/**
 * A move cannot start: no verified home to move from, the new address is in the same quartier as
 * the home, or another move waits for its verification (leaving that pending quartier cancels it).
 */
export class MoveNotAllowed extends Schema.TaggedError<MoveNotAllowed>()("MoveNotAllowed", {
  reason: Schema.Literal("no_verified_home", "same_community", "move_in_progress")
}) {}
