import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import {
  AccountSuspended,
  EmailAlreadyUsed,
  Forbidden,
  PhoneAlreadyUsed,
  Unauthenticated
} from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { Me } from "../accounts/Me.js"
import { CommonPassword } from "../accounts/PasswordErrors.js"
import { WeakPassword } from "../accounts/SessionErrors.js"
import { PasswordInput } from "../accounts/SessionRpcs.js"
import { CodeAlreadyUsed, CodeExpired, CodeLocked, NoPendingCode, WrongCode } from "../channels/CodeErrors.js"
import { InvalidPhoneNumber, PhoneCountryNotAllowed } from "../channels/PhoneErrors.js"
import { PhoneInput } from "../channels/PhoneNumbers.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { HomeAddress } from "../membership/Membership.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { Email, PersonName } from "../shared/Text.js"
import { AccountClaimRequested, ClaimChannel, PaperNeighbourRegistered } from "./PaperRegistration.js"
import { PaperConsentMissing } from "./PaperRegistrationErrors.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"

/**
 * A référent of the quartier, or a mairie agent of its commune, registers a neighbour without internet
 * from a signed paper form: the membership is verified at once (the registration vouches for the
 * address), the consent box must be ticked, and alerts reach the neighbour by SMS when the phone is a
 * mobile; urgent alerts reach them by voice call, a landline included, when `voiceUrgent` is ticked.
 */
export const RegisterPaperNeighbour = Rpc.make("RegisterPaperNeighbour", {
  payload: Schema.Struct({
    communityId: CommunityId,
    firstName: PersonName,
    lastName: PersonName,
    address: HomeAddress,
    phone: PhoneInput,
    consent: Schema.Boolean,
    /** « Appel vocal pour les alertes urgentes » (absent: not chosen). */
    voiceUrgent: Schema.optional(Schema.Boolean)
  }),
  success: PaperNeighbourRegistered,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    Forbidden,
    CommunityNotFound,
    PaperConsentMissing,
    AddressOutsideCommune,
    InvalidPhoneNumber,
    PhoneCountryNotAllowed,
    PhoneAlreadyUsed,
    InvalidRequest
  )
})

/**
 * "J'ai été inscrit(e) sur papier": a code by SMS to the registered mobile (`by` absent or "sms"), or
 * by letter to the registered home address (`by: "letter"`, for a landline or on request). The same
 * answer whatever the number, so that nobody learns who was registered.
 */
export const RequestAccountClaim = Rpc.make("RequestAccountClaim", {
  payload: Schema.Struct({ phone: PhoneInput, by: Schema.optional(ClaimChannel) }),
  success: AccountClaimRequested,
  error: Schema.Union(InvalidPhoneNumber, InvalidRequest)
})

/** The code (from the SMS or the letter), then the e-mail and password the neighbour chooses: the account is theirs, signed in. */
export const ClaimAccount = Rpc.make("ClaimAccount", {
  payload: Schema.Struct({
    phone: PhoneInput,
    code: Schema.String.pipe(Schema.maxLength(20)),
    email: Email,
    password: PasswordInput
  }),
  success: Me,
  error: Schema.Union(
    WeakPassword,
    CommonPassword,
    InvalidPhoneNumber,
    NoPendingCode,
    WrongCode,
    CodeLocked,
    CodeExpired,
    CodeAlreadyUsed,
    EmailAlreadyUsed,
    InvalidRequest
  )
})

/** Neighbours without internet: registered on paper, and later claiming their web account. */
export class PaperRegistrationRpcs
  extends RpcGroup.make(RegisterPaperNeighbour, RequestAccountClaim, ClaimAccount).middleware(Authentication)
{}
