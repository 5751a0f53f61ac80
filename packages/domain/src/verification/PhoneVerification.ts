import { Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { PhoneE164 } from "../shared/Text.js"

export const PhoneVerificationId = Schema.UUID.pipe(Schema.brand("PhoneVerificationId"))
export type PhoneVerificationId = typeof PhoneVerificationId.Type

/** A six-digit code sent by SMS. */
export const PhoneCode = Schema.String.pipe(
  Schema.pattern(/^[0-9]{6}$/),
  Schema.brand("PhoneCode"),
  Schema.annotations({ identifier: "PhoneCode" })
)
export type PhoneCode = typeof PhoneCode.Type

export const PhoneVerificationStatus = Schema.Literal("pending", "used", "locked", "superseded")

/** One SMS code for one account and phone. The code is kept only as a keyed hash. */
export class PhoneVerification extends Schema.Class<PhoneVerification>("PhoneVerification")({
  id: PhoneVerificationId,
  accountId: AccountId,
  phone: PhoneE164,
  status: PhoneVerificationStatus,
  attempts: Schema.NonNegativeInt,
  createdAt: Schema.DateTimeUtc,
  expiresAt: Schema.DateTimeUtc
}) {}

/** A code is on its way by SMS to `phone` (normalised), usable until `expiresAt`. */
export class PhoneCodeSent extends Schema.Class<PhoneCodeSent>("PhoneCodeSent")({
  phone: PhoneE164,
  expiresAt: Schema.DateTimeUtc
}) {}
