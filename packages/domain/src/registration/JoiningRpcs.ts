import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { HomeAddress, Membership, MembershipId } from "../membership/Membership.js"
import {
  AlreadyMember,
  InvalidMembershipTransition,
  MembershipBanned,
  MembershipNotFound,
  MoveNotAllowed,
  TooManyCommunities
} from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"

const joinErrors = [
  Unauthenticated,
  AccountSuspended,
  CommunityNotFound,
  AddressOutsideCommune,
  AlreadyMember,
  MembershipBanned,
  TooManyCommunities,
  InvalidRequest
] as const

/** Ask to join another quartier at an address of its commune: pending until verified (letter or vouching). */
export const JoinCommunity = Rpc.make("JoinCommunity", {
  payload: Schema.Struct({ communityId: CommunityId, address: HomeAddress }),
  success: Membership,
  error: Schema.Union(...joinErrors)
})

/** Leave one of my quartiers (pending or verified); my home moves to another of them if it was this one. */
export const LeaveCommunity = Rpc.make("LeaveCommunity", {
  payload: Schema.Struct({ membershipId: MembershipId }),
  success: Membership,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    MembershipNotFound,
    InvalidMembershipTransition,
    InvalidRequest
  )
})

/**
 * I move home: the new address's quartier, pending its own verification; my current home ends only
 * once the new address is verified, never before.
 */
export const MoveHome = Rpc.make("MoveHome", {
  payload: Schema.Struct({ communityId: CommunityId, address: HomeAddress }),
  success: Membership,
  error: Schema.Union(...joinErrors, MoveNotAllowed)
})

/** A member's quartiers over time. */
export class JoiningRpcs extends RpcGroup.make(JoinCommunity, LeaveCommunity, MoveHome).middleware(Authentication) {}
