import { Schema } from "effect"

/** What was typed is not a French (or international) number that can receive an SMS. */
export class InvalidPhoneNumber extends Schema.TaggedError<InvalidPhoneNumber>()("InvalidPhoneNumber", {}) {}

/** The SMS could not be sent right now; ask again later. */
export class SmsNotSent extends Schema.TaggedError<SmsNotSent>()("SmsNotSent", {}) {}
