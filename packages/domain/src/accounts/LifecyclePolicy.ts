import { DateTime, Duration, Either } from "effect"
import type { CodeRules } from "../channels/OneTimeCodes.js"
import { LinkAlreadyUsed, LinkExpired, ResetCodeExpired, WrongResetCode } from "./LifecycleErrors.js"

/** Bytes of randomness in a link token (256 bits), written in base64url (43 characters). */
export const LINK_TOKEN_BYTES = 32

/** A password-reset link is valid 1 hour; an SMS reset code 15 minutes, 5 tries. */
export const RESET_LINK_VALIDITY = Duration.hours(1)
export const RESET_CODE_VALIDITY = Duration.minutes(15)
export const RESET_CODE_MAX_ATTEMPTS = 5

/**
 * Password-reset requests per account, by e-mail and SMS together: at most 5 a day and one a
 * minute. Requests beyond are answered the same way but send nothing (an error would tell that the
 * account exists).
 */
export interface RequestQuota {
  readonly max: number
  readonly window: Duration.Duration
  readonly minInterval: Duration.Duration
}
export const resetRequestQuota: RequestQuota = { max: 5, window: Duration.days(1), minInterval: Duration.minutes(1) }

/** An e-mail change link is valid 24 hours; at most 5 asked a day, one a minute. */
export const emailChangeRules: CodeRules = {
  validity: Duration.hours(24),
  maxAttempts: 1,
  maxSends: 5,
  sendWindow: Duration.days(1),
  minInterval: Duration.minutes(1)
}

export type LinkStatus = "pending" | "used" | "superseded"

/** Whether a stored link may be used now: a used or replaced link never, an expired one neither. */
export const judgeLink = (
  stored: { readonly status: LinkStatus; readonly expiresAt: DateTime.Utc },
  now: DateTime.Utc
): Either.Either<void, LinkAlreadyUsed | LinkExpired> =>
  stored.status !== "pending"
    ? Either.left(new LinkAlreadyUsed())
    : DateTime.lessThan(now, stored.expiresAt)
    ? Either.void
    : Either.left(new LinkExpired())

export type ResetCodeStatus = "pending" | "used" | "superseded" | "locked"

/** The outcome of one try of an SMS reset code, and what to store. */
export type ResetCodeAttempt =
  | { readonly _tag: "Accepted" }
  | {
    readonly _tag: "Rejected"
    readonly attempts: number
    readonly status: ResetCodeStatus
    readonly error: WrongResetCode | ResetCodeExpired
  }

/**
 * Judges one try of an SMS reset code. A wrong code is "wrong" whatever the state of the stored one
 * (so a stranger learns nothing), and counts only against a live code, which the fifth wrong try
 * locks. The right code of a code that is no longer live says so.
 */
export const judgeResetCode = (
  stored: { readonly status: ResetCodeStatus; readonly attempts: number; readonly expiresAt: DateTime.Utc },
  matches: boolean,
  now: DateTime.Utc
): ResetCodeAttempt => {
  const live = stored.status === "pending" && stored.attempts < RESET_CODE_MAX_ATTEMPTS &&
    DateTime.lessThan(now, stored.expiresAt)
  if (live && matches) return { _tag: "Accepted" }
  if (!live) {
    return {
      _tag: "Rejected",
      attempts: stored.attempts,
      status: stored.status,
      error: matches ? new ResetCodeExpired() : new WrongResetCode()
    }
  }
  const attempts = stored.attempts + 1
  return {
    _tag: "Rejected",
    attempts,
    status: attempts >= RESET_CODE_MAX_ATTEMPTS ? "locked" : "pending",
    error: new WrongResetCode()
  }
}

/** "c***e@example.org": enough for the owner to recognise an address, not to read it. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf("@")
  if (at <= 0) return "***"
  const local = email.slice(0, at)
  const shown = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`
  return `${shown}${email.slice(at)}`
}

/** "•• •• •• •• 34": the last two digits of a phone number, enough for its owner to recognise it. */
export const maskPhone = (phone: string): string => {
  const digits = phone.replace(/[^0-9]/g, "")
  return digits.length < 2 ? "••" : `•• •• •• •• ${digits.slice(-2)}`
}
