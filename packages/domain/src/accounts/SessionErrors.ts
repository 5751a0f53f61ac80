import { Schema } from "effect"

/**
 * The e-mail and password do not match an account. Said the same way whether the e-mail is known or
 * not, so the answer reveals nobody's membership.
 */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {}

/** Too many failed logins for this address: try again in `retryAfterSeconds` (the delay grows). */
export class LoginThrottled extends Schema.TaggedError<LoginThrottled>()("LoginThrottled", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}

/** The password is too weak under the CNIL 2022 rule: 12 characters or more, or about 80 bits. */
export class WeakPassword extends Schema.TaggedError<WeakPassword>()("WeakPassword", {
  minLength: Schema.NonNegativeInt,
  estimatedBits: Schema.NonNegativeInt
}) {}
