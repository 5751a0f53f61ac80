import { Schema } from "effect"
import { MembershipId, MembershipStatus } from "../membership/Membership.js"

/** Only a membership waiting for verification can get a letter, a code or a vouch. */
export class MembershipNotPending extends Schema.TaggedError<MembershipNotPending>()("MembershipNotPending", {
  membershipId: MembershipId,
  status: MembershipStatus
}) {}
