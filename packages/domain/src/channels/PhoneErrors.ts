import { Schema } from "effect"

/** What was typed is not a French (or international) number that can receive an SMS. */
export class InvalidPhoneNumber extends Schema.TaggedError<InvalidPhoneNumber>()("InvalidPhoneNumber", {}) {}

/** The SMS could not be sent right now; ask again later. */
export class SmsNotSent extends Schema.TaggedError<SmsNotSent>()("SmsNotSent", {}) {}

/**
 * Vigie sends SMS only to French mobiles, metropolitan or overseas (and to the countries the
 * deployment adds in SMS_ALLOWED_COUNTRIES): `country` is the number's (ISO 3166 code, or "").
 */
export class PhoneCountryNotAllowed extends Schema.TaggedError<PhoneCountryNotAllowed>()("PhoneCountryNotAllowed", {
  country: Schema.String
}) {}

/**
 * A daily budget of verification SMS is spent: the account's, the client address's or the whole
 * platform's (`limit` per 24 hours). Nothing was sent.
 */
export class SmsBudgetReached extends Schema.TaggedError<SmsBudgetReached>()("SmsBudgetReached", {
  budget: Schema.Literal("account", "address", "platform"),
  limit: Schema.NonNegativeInt
}) {}

/** An account with no verified address yet may ask for `maxCodes` phone codes in all; this one did. */
export class AddressNotVerifiedYet extends Schema.TaggedError<AddressNotVerifiedYet>()("AddressNotVerifiedYet", {
  maxCodes: Schema.NonNegativeInt
}) {}
