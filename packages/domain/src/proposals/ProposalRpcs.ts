import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommonPassword } from "../accounts/PasswordErrors.js"
import { WeakPassword } from "../accounts/SessionErrors.js"
import { PasswordInput } from "../accounts/SessionRpcs.js"
import { InvalidPhoneNumber, PhoneCountryNotAllowed } from "../channels/PhoneErrors.js"
import { PhoneInput } from "../channels/PhoneNumbers.js"
import { InseeCode } from "../communities/Commune.js"
import { Community } from "../communities/Community.js"
import {
  CommunityNameTaken,
  InvalidPerimeter,
  PerimeterOverlap,
  UnknownCommune
} from "../communities/CommunityErrors.js"
import { Polygon } from "../communities/GeoJson.js"
import { QuartierName } from "../mairie/Quartier.js"
import { HomeAddress } from "../membership/Membership.js"
import { TooManyCommunities } from "../membership/MembershipErrors.js"
import { AddressOutsideCommune } from "../registration/RegistrationErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { Email, PersonName } from "../shared/Text.js"
import {
  MyProposal,
  ProposalAlreadyDecided,
  ProposalForDecision,
  ProposalId,
  ProposalNotFound,
  ProposalReason,
  RefusalReason,
  RequesterUnavailable,
  TooManyPendingProposals
} from "./CommunityProposal.js"

/**
 * Quartier proposals (issue 14, item 3). Any signed-in account proposes (a visitor signs up with the
 * proposal: RegisterWithProposal); the mairie agents of a Mairie Vigilante decide its commune's
 * proposals, the platform admins decide every commune's; only the requester lists and withdraws theirs.
 */

export {
  MyProposal,
  ProposalAlreadyDecided,
  ProposalForDecision,
  ProposalId,
  ProposalNotFound,
  ProposalReason,
  RefusalReason,
  RequesterUnavailable,
  TooManyPendingProposals
} from "./CommunityProposal.js"

const signedIn = [Unauthenticated, AccountSuspended, InvalidRequest] as const
const access = [...signedIn, Forbidden] as const

/** What is proposed: the commune, the suggested name, why, the drawn perimeter and the requester's home. */
const proposal = {
  insee: InseeCode,
  name: QuartierName,
  reason: ProposalReason,
  perimeter: Polygon,
  address: HomeAddress
}

const proposalProblems = [UnknownCommune, AddressOutsideCommune, InvalidPerimeter, PerimeterOverlap] as const

/**
 * Proposes a quartier where the caller lives (at most 3 pending at once; refused to a member of as
 * many quartiers as one may be, TooManyCommunities).
 */
export const ProposeCommunity = Rpc.make("ProposeCommunity", {
  payload: Schema.Struct(proposal),
  success: MyProposal,
  error: Schema.Union(...signedIn, ...proposalProblems, TooManyPendingProposals, TooManyCommunities)
})

/**
 * Signs up with a quartier proposal instead of a quartier to join (none is open at the address):
 * Register's checks, the account and the proposal written together. Answers alike whether the
 * e-mail is known or not (nothing written then; its owner is told by e-mail).
 */
export const RegisterWithProposal = Rpc.make("RegisterWithProposal", {
  payload: Schema.Struct({
    firstName: PersonName,
    lastName: PersonName,
    email: Email,
    phone: Schema.optionalWith(PhoneInput, { as: "Option", nullable: true }),
    password: PasswordInput,
    ...proposal
  }),
  error: Schema.Union(
    WeakPassword,
    CommonPassword,
    InvalidPhoneNumber,
    PhoneCountryNotAllowed,
    InvalidRequest,
    ...proposalProblems
  )
})

/** The caller's proposals, newest first. */
export const ListMyProposals = Rpc.make("ListMyProposals", {
  payload: Schema.Struct({}),
  success: Schema.Array(MyProposal),
  error: Schema.Union(...signedIn)
})

/** The requester withdraws their pending proposal. */
export const WithdrawProposal = Rpc.make("WithdrawProposal", {
  payload: Schema.Struct({ proposalId: ProposalId }),
  success: Schema.Void,
  error: Schema.Union(...signedIn, ProposalNotFound, ProposalAlreadyDecided)
})

/**
 * The proposals to decide: of one commune (its mairie agents when it is a Mairie Vigilante, and the
 * admins), or without `insee` those of every commune that is not one (admins only).
 */
export const ListProposals = Rpc.make("ListProposals", {
  payload: Schema.Struct({ insee: Schema.optional(InseeCode) }),
  success: Schema.Array(ProposalForDecision),
  error: Schema.Union(...access, UnknownCommune)
})

/**
 * Accepts a pending proposal, optionally with another name or perimeter: the quartier opens as with
 * CreateCommunity and the requester becomes its référent (membership pending the verification of
 * their address), together; the requester is told by e-mail.
 */
export const AcceptProposal = Rpc.make("AcceptProposal", {
  payload: Schema.Struct({
    proposalId: ProposalId,
    name: Schema.optional(QuartierName),
    perimeter: Schema.optional(Polygon)
  }),
  success: Community,
  error: Schema.Union(
    ...access,
    ProposalNotFound,
    ProposalAlreadyDecided,
    InvalidPerimeter,
    PerimeterOverlap,
    CommunityNameTaken,
    RequesterUnavailable
  )
})

/** Refuses a pending proposal with a reason, told to the requester by e-mail. */
export const RefuseProposal = Rpc.make("RefuseProposal", {
  payload: Schema.Struct({ proposalId: ProposalId, reason: RefusalReason }),
  success: Schema.Void,
  error: Schema.Union(...access, ProposalNotFound, ProposalAlreadyDecided)
})

/** Quartier proposals by residents and their decision. */
export class ProposalRpcs extends RpcGroup.make(
  ProposeCommunity,
  RegisterWithProposal,
  ListMyProposals,
  WithdrawProposal,
  ListProposals,
  AcceptProposal,
  RefuseProposal
).middleware(Authentication) {}
