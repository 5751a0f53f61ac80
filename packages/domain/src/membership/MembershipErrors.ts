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
