import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { CommonPassword } from "../accounts/PasswordErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { WeakPassword } from "../accounts/SessionErrors.js"
import { PasswordInput } from "../accounts/SessionRpcs.js"
import { HomeAddress } from "../membership/Membership.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { Email, PersonName } from "../shared/Text.js"
import { InvalidPhoneNumber, PhoneCountryNotAllowed } from "../channels/PhoneErrors.js"
import { PhoneInput } from "../channels/PhoneNumbers.js"
import { Commune, InseeCode, Postcode } from "../communities/Commune.js"
import { Community, CommunityId } from "../communities/Community.js"
import { CommunityNotFound, UnknownCommune, UnknownPostcode } from "../communities/CommunityErrors.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"

/** The communes a postcode serves (several communes often share one). */
export const FindCommunes = Rpc.make("FindCommunes", {
  payload: Schema.Struct({ postcode: Postcode }),
  success: Schema.Array(Commune),
  error: Schema.Union(UnknownPostcode, InvalidRequest)
})

/** The active communities of a commune, with their perimeters, to choose one's quartier. */
export const ListCommunities = Rpc.make("ListCommunities", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: Schema.Array(Community),
  error: Schema.Union(UnknownCommune, InvalidRequest)
})

/**
 * Register under one's real identity and ask to join a community. Answers the same way whether the
 * e-mail is already registered or not (the owner of a known address is told by e-mail instead);
 * then the person logs in and asks for the activation letter.
 */
export const Register = Rpc.make("Register", {
  payload: Schema.Struct({
    firstName: PersonName,
    lastName: PersonName,
    email: Email,
    phone: Schema.optionalWith(PhoneInput, { as: "Option", nullable: true }),
    password: PasswordInput,
    communityId: CommunityId,
    address: HomeAddress
  }),
  error: Schema.Union(
    WeakPassword,
    CommonPassword,
    CommunityNotFound,
    AddressOutsideCommune,
    InvalidPhoneNumber,
    InvalidRequest,
    PhoneCountryNotAllowed
  )
})

/** Registration: postcode → communes → communities, and joining one. Open to anonymous callers. */
export class RegistrationRpcs
  extends RpcGroup.make(FindCommunes, ListCommunities, Register).middleware(Authentication)
{}
