import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { Membership, MembershipId, MembershipStatus } from "../membership/Membership.js"
import { MembershipNotFound } from "../membership/MembershipErrors.js"
import { PendingMember } from "../membership/PendingMember.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { MembershipNotPending } from "./ActivationErrors.js"
import { PostalUnavailable } from "./PostalMailer.js"
import {
  CodeAlreadyUsed,
  CodeExpired,
  CodeLocked,
  NoPendingCode,
  TooManyCodeRequests,
  WrongCode
} from "../channels/CodeErrors.js"
import { LetterSent } from "./ActivationCode.js"

export { LetterSent }

/**
 * What the one who vouched is told: the membership and its new status. Never the member's account
 * id: a référent is a member, and members never receive another account's id.
 */
export class Vouched extends Schema.Class<Vouched>("Vouched")({
  membershipId: MembershipId,
  communityId: CommunityId,
  status: MembershipStatus,
  verifiedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc)
}) {}

/** The answer to whoever vouched for `membership`. */
export const vouchedOf = (membership: Membership): Vouched =>
  new Vouched({
    membershipId: membership.id,
    communityId: membership.communityId,
    status: membership.status,
    verifiedAt: membership.verifiedAt
  })

/** Ask for an activation letter to be posted to the home address of one of my pending memberships. */
export const RequestActivationLetter = Rpc.make("RequestActivationLetter", {
  payload: Schema.Struct({ membershipId: MembershipId }),
  success: LetterSent,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    MembershipNotFound,
    MembershipNotPending,
    TooManyCodeRequests,
    PostalUnavailable,
    InvalidRequest
  )
})

/** Enter the code of the letter; the membership becomes verified. Case, spaces and dashes are ignored. */
export const ConfirmActivationCode = Rpc.make("ConfirmActivationCode", {
  payload: Schema.Struct({ membershipId: MembershipId, code: Schema.String.pipe(Schema.maxLength(40)) }),
  success: Membership,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    MembershipNotFound,
    MembershipNotPending,
    NoPendingCode,
    WrongCode,
    CodeLocked,
    CodeExpired,
    CodeAlreadyUsed,
    InvalidRequest
  )
})

/** The memberships of a community waiting for verification: for its référents and the mairie. */
export const ListPendingMembers = Rpc.make("ListPendingMembers", {
  payload: Schema.Struct({ communityId: CommunityId }),
  success: Schema.Array(PendingMember),
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, CommunityNotFound, InvalidRequest)
})

/**
 * A référent of the community, or a mairie agent of its commune, vouches for a pending member
 * instead of a letter. Recorded with who vouched.
 */
export const VouchForMember = Rpc.make("VouchForMember", {
  payload: Schema.Struct({ membershipId: MembershipId }),
  success: Vouched,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    Forbidden,
    MembershipNotFound,
    MembershipNotPending,
    InvalidRequest
  )
})

/** Proving one's home address: letter, code, or vouch. */
export class ActivationRpcs extends RpcGroup.make(
  RequestActivationLetter,
  ConfirmActivationCode,
  ListPendingMembers,
  VouchForMember
).middleware(Authentication) {}
