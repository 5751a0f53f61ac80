import { Option } from "effect"
import type { CommunityId } from "../communities/Community.js"
import type { MembershipId, MembershipStatus } from "./Membership.js"

/** What the rules of joining, leaving and moving need of each membership of one account. */
export interface MembershipFacts {
  readonly id: MembershipId
  readonly communityId: CommunityId
  readonly status: MembershipStatus
  readonly home: boolean
  /** Epoch milliseconds: the oldest comes first. */
  readonly createdAt: number
}

/** A pending move: the new membership and the home membership it replaces once verified. */
export interface Move {
  readonly membershipId: MembershipId
  readonly replaces: MembershipId
}

/** An account belongs (or asks to belong) to at most this many quartiers at once. */
export const MAX_ACTIVE_MEMBERSHIPS = 5

const isActive = (m: Pick<MembershipFacts, "status">) => m.status === "pending_verification" || m.status === "verified"

/** Whether an account with these memberships is in (or asks to join) as many quartiers as one may be. */
export const atMembershipCap = (memberships: ReadonlyArray<Pick<MembershipFacts, "status">>): boolean =>
  memberships.filter(isActive).length >= MAX_ACTIVE_MEMBERSHIPS

const oldestFirst = (a: MembershipFacts, b: MembershipFacts) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)

/** Why joining `communityId` is refused, or undefined when it is allowed. */
export const joinProblem = (
  memberships: ReadonlyArray<MembershipFacts>,
  communityId: CommunityId
): "already_member" | "banned" | "too_many" | undefined => {
  const there = memberships.find((m) => m.communityId === communityId)
  if (there?.status === "banned") return "banned"
  if (there !== undefined && isActive(there)) return "already_member"
  return atMembershipCap(memberships) ? "too_many" : undefined
}

/**
 * Why moving home to `communityId` is refused, or undefined when it is allowed: a move starts from a
 * verified home, to another quartier, one move at a time (leaving the pending one cancels it).
 */
export const moveProblem = (
  memberships: ReadonlyArray<MembershipFacts>,
  moves: ReadonlyArray<Move>,
  communityId: CommunityId
):
  | "no_verified_home"
  | "same_community"
  | "move_in_progress"
  | "already_member"
  | "banned"
  | "too_many"
  | undefined =>
{
  const home = memberships.find((m) => m.home)
  if (home === undefined || home.status !== "verified") return "no_verified_home"
  if (home.communityId === communityId) return "same_community"
  const pending = moves.some((move) =>
    move.replaces === home.id &&
    memberships.some((m) => m.id === move.membershipId && m.status === "pending_verification")
  )
  if (pending) return "move_in_progress"
  return joinProblem(memberships, communityId)
}

/**
 * The home once `leaving` has ended: unchanged when it was not the home; else the oldest verified
 * membership left, else the oldest pending one, else none.
 */
export const homeAfterLeaving = (
  memberships: ReadonlyArray<MembershipFacts>,
  leaving: MembershipId
): Option.Option<MembershipId> => {
  const home = memberships.find((m) => m.home)
  if (home !== undefined && home.id !== leaving) return Option.some(home.id)
  const others = memberships.filter((m) => m.id !== leaving && isActive(m)).sort(oldestFirst)
  return Option.map(
    Option.orElse(
      Option.fromNullable(others.find((m) => m.status === "verified")),
      () => Option.fromNullable(others[0])
    ),
    (m) => m.id
  )
}

/**
 * What the verification of `verified` settles: when it is a move, the membership it replaces ends
 * (only now, never before: until the new address is verified the old one stays) and the home follows
 * to the new one; otherwise nothing ends, and the home stays on a verified home or comes to the newly
 * verified membership (a home never verified cannot post or receive anything).
 */
export const settleVerified = (
  memberships: ReadonlyArray<MembershipFacts>,
  moves: ReadonlyArray<Move>,
  verified: MembershipId
): { readonly ends: ReadonlyArray<MembershipId>; readonly home: Option.Option<MembershipId> } => {
  const home = memberships.find((m) => m.home)
  const move = moves.find((m) => m.membershipId === verified)
  const replaced = move === undefined ? undefined : memberships.find((m) => m.id === move.replaces && isActive(m))
  // The home stays where it is when it is a verified membership that does not end; else it is the new one.
  const keepsHome = home !== undefined && home.status === "verified" && home.id !== replaced?.id && home.id !== verified
  return {
    ends: replaced === undefined || replaced.id === verified ? [] : [replaced.id],
    home: Option.some(keepsHome ? home.id : verified)
  }
}
