import { Schema } from "effect"

/** The link is unknown: mistyped, cut by the mail client, or never issued. */
export class LinkNotFound extends Schema.TaggedError<LinkNotFound>()("LinkNotFound", {}) {}

/** The link is past its validity (1 hour for a new password, 24 hours for a new e-mail address). */
export class LinkExpired extends Schema.TaggedError<LinkExpired>()("LinkExpired", {}) {}

/** The link was already used, or replaced by a newer one. */
export class LinkAlreadyUsed extends Schema.TaggedError<LinkAlreadyUsed>()("LinkAlreadyUsed", {}) {}

/**
 * The SMS code does not match a pending code of this number. Said the same way whether the number
 * belongs to an account or not, and without a count of the tries left, so it reveals nobody.
 */
export class WrongResetCode extends Schema.TaggedError<WrongResetCode>()("WrongResetCode", {}) {}

/** The SMS code is right but no longer valid: expired, already used, replaced or locked after too many tries. */
export class ResetCodeExpired extends Schema.TaggedError<ResetCodeExpired>()("ResetCodeExpired", {}) {}

/** The current password typed to confirm a change is wrong (counted like a failed log-in). */
export class WrongPassword extends Schema.TaggedError<WrongPassword>()("WrongPassword", {}) {}

/** The new e-mail address is the one the account already has. */
export class EmailUnchanged extends Schema.TaggedError<EmailUnchanged>()("EmailUnchanged", {}) {}

/** Too many e-mail changes asked recently; `retryAfterSeconds` says when the next one may be. */
export class TooManyEmailChanges extends Schema.TaggedError<TooManyEmailChanges>()("TooManyEmailChanges", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}
