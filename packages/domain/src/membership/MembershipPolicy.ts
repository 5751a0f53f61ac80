import type { MembershipStatus } from "./Membership.js"

const allowed: Record<MembershipStatus, ReadonlyArray<MembershipStatus>> = {
  pending_verification: ["verified", "left", "banned"],
  verified: ["left", "banned"],
  left: ["pending_verification"],
  banned: []
}

/**
 * The membership lifecycle: pending_verification → verified → left | banned. A pending member may
 * give up (left) or be banned; a member who left may ask again (back to pending, a new letter);
 * a ban is lifted only by a moderator's restore, which is not a lifecycle move.
 */
export const canMoveMembership = (from: MembershipStatus, to: MembershipStatus): boolean => allowed[from].includes(to)

export const membershipTransitions = allowed
