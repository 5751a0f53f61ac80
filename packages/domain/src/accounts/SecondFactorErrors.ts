import { Schema } from "effect"

/**
 * The password was right, and this staff account signs in with a second factor: send a TOTP code or
 * a recovery code with `challenge` (valid 5 minutes, once) to CompleteSignIn. No session yet.
 */
export class SecondFactorRequired extends Schema.TaggedError<SecondFactorRequired>()("SecondFactorRequired", {
  challenge: Schema.String
}) {}

/** A staff account must enrol its second factor (TOTP) before it may do anything else. */
export class SecondFactorEnrolmentRequired extends Schema.TaggedError<SecondFactorEnrolmentRequired>()(
  "SecondFactorEnrolmentRequired",
  {}
) {}

/** The TOTP code or recovery code is wrong, already used, or too old. */
export class WrongSecondFactorCode extends Schema.TaggedError<WrongSecondFactorCode>()("WrongSecondFactorCode", {
  triesLeft: Schema.NonNegativeInt
}) {}

/** Too many wrong codes in a row: the second factor is locked for `retryAfterSeconds`. */
export class SecondFactorLocked extends Schema.TaggedError<SecondFactorLocked>()("SecondFactorLocked", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}

/** The second-step token is unknown, already used or expired: sign in again with the password. */
export class SignInChallengeExpired
  extends Schema.TaggedError<SignInChallengeExpired>()("SignInChallengeExpired", {})
{}

/** The account has already enrolled its second factor. */
export class AlreadyEnrolled extends Schema.TaggedError<AlreadyEnrolled>()("AlreadyEnrolled", {}) {}

/** No enrolment was started (or it was confirmed already): start again. */
export class NoEnrolmentInProgress extends Schema.TaggedError<NoEnrolmentInProgress>()("NoEnrolmentInProgress", {}) {}

/** The invitation link is unknown or was already used. */
export class InvitationNotFound extends Schema.TaggedError<InvitationNotFound>()("InvitationNotFound", {}) {}

/** The invitation link is past its 7 days: ask for a new one. */
export class InvitationExpired extends Schema.TaggedError<InvitationExpired>()("InvitationExpired", {}) {}
