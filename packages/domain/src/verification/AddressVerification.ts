import { Schema } from "effect"
import { MembershipId } from "../membership/Membership.js"
import { AccountId } from "../accounts/Account.js"

export const AddressVerificationId = Schema.UUID.pipe(Schema.brand("AddressVerificationId"))
export type AddressVerificationId = typeof AddressVerificationId.Type

/** How an address was proven: a code posted to it, or a référent or mairie agent who vouched. */
export const VerificationMethod = Schema.Literal("letter", "referent_vouch", "mairie_vouch")
export type VerificationMethod = typeof VerificationMethod.Type

/** pending: letter sent, code usable; used: accepted once; locked: too many wrong tries; superseded: a newer letter replaced it. */
export const AddressVerificationStatus = Schema.Literal("pending", "used", "locked", "superseded")
export type AddressVerificationStatus = typeof AddressVerificationStatus.Type

/** One activation letter (or vouch) for one membership. The code is kept only as a keyed hash. */
export class AddressVerification extends Schema.Class<AddressVerification>("AddressVerification")({
  id: AddressVerificationId,
  membershipId: MembershipId,
  method: VerificationMethod,
  status: AddressVerificationStatus,
  attempts: Schema.NonNegativeInt,
  createdAt: Schema.DateTimeUtc,
  expiresAt: Schema.DateTimeUtc,
  vouchedBy: Schema.OptionFromNullOr(AccountId)
}) {}
