import { Schema } from "effect"

/** The code does not match. `remainingAttempts` tells how many tries are left before the lock. */
export class WrongCode extends Schema.TaggedError<WrongCode>()("WrongCode", {
  remainingAttempts: Schema.NonNegativeInt
}) {}

/** Too many wrong tries: this code is locked; a new one must be asked for. */
export class CodeLocked extends Schema.TaggedError<CodeLocked>()("CodeLocked", {}) {}

/** The code is past its validity (30 days for a letter, 10 minutes for an SMS code). */
export class CodeExpired extends Schema.TaggedError<CodeExpired>()("CodeExpired", {}) {}

/** The code was already used, or replaced by a newer one. */
export class CodeAlreadyUsed extends Schema.TaggedError<CodeAlreadyUsed>()("CodeAlreadyUsed", {}) {}

/** There is no code waiting for this membership or phone. */
export class NoPendingCode extends Schema.TaggedError<NoPendingCode>()("NoPendingCode", {}) {}

/** Too many codes sent recently; `retryAfterSeconds` says when the next one may be asked for. */
export class TooManyCodeRequests extends Schema.TaggedError<TooManyCodeRequests>()("TooManyCodeRequests", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}
