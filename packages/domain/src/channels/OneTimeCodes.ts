import { DateTime, Duration, Either } from "effect"
import { CodeAlreadyUsed, CodeExpired, CodeLocked, TooManyCodeRequests, WrongCode } from "./CodeErrors.js"

/** The rules of one kind of one-time code. */
export interface CodeRules {
  readonly validity: Duration.Duration
  readonly maxAttempts: number
  /** At most `maxSends` codes per `sendWindow` for the same membership or phone. */
  readonly maxSends: number
  readonly sendWindow: Duration.Duration
  /** The least time between two codes for the same target. */
  readonly minInterval: Duration.Duration
}

/** Activation letters: valid 30 days, 5 wrong tries then locked, at most 3 letters per 30 days. */
export const activationLetterRules: CodeRules = {
  validity: Duration.days(30),
  maxAttempts: 5,
  maxSends: 3,
  sendWindow: Duration.days(30),
  minInterval: Duration.zero
}

/** SMS codes: 6 digits, valid 10 minutes, 5 tries, at most 5 per day and one a minute. */
export const phoneCodeRules: CodeRules = {
  validity: Duration.minutes(10),
  maxAttempts: 5,
  maxSends: 5,
  sendWindow: Duration.days(1),
  minInterval: Duration.minutes(1)
}

export const codeExpiry = (rules: CodeRules, createdAt: DateTime.Utc): DateTime.Utc =>
  DateTime.addDuration(createdAt, rules.validity)

/**
 * Whether one more code may be sent now, given when the earlier ones were sent. Refusals say when
 * the next one becomes possible.
 */
export const mayIssueCode = (
  rules: CodeRules,
  previousSends: ReadonlyArray<DateTime.Utc>,
  now: DateTime.Utc
): Either.Either<void, TooManyCodeRequests> => {
  const windowStart = DateTime.subtractDuration(now, rules.sendWindow)
  const inWindow = previousSends
    .filter((at) => DateTime.greaterThan(at, windowStart) && !DateTime.greaterThan(at, now))
    .sort((a, b) => DateTime.toEpochMillis(a) - DateTime.toEpochMillis(b))
  const waitUntil = (at: DateTime.Utc) =>
    Math.max(1, Math.ceil((DateTime.toEpochMillis(at) - DateTime.toEpochMillis(now)) / 1000))
  // The next code waits both for the oldest counted send to leave the window and for the interval after the latest.
  const waits: Array<number> = []
  if (inWindow.length >= rules.maxSends) {
    waits.push(
      DateTime.toEpochMillis(inWindow[inWindow.length - rules.maxSends]!) + Duration.toMillis(rules.sendWindow)
    )
  }
  const latest = inWindow[inWindow.length - 1]
  if (latest !== undefined) waits.push(DateTime.toEpochMillis(latest) + Duration.toMillis(rules.minInterval))
  const next = Math.max(...waits)
  if (waits.length > 0 && next > DateTime.toEpochMillis(now)) {
    return Either.left(new TooManyCodeRequests({ retryAfterSeconds: waitUntil(DateTime.unsafeMake(next)) }))
  }
  return Either.void
}

/** What the stored code looks like when somebody tries one. */
export interface StoredCode {
  readonly status: "pending" | "used" | "locked" | "superseded"
  readonly attempts: number
  readonly expiresAt: DateTime.Utc
}

/** The outcome of one try, and what to store: the new attempt count and status. */
export type CodeAttempt =
  | { readonly _tag: "Accepted"; readonly attempts: number; readonly status: "used" }
  | {
    readonly _tag: "Rejected"
    readonly attempts: number
    readonly status: StoredCode["status"]
    readonly error: WrongCode | CodeLocked | CodeExpired | CodeAlreadyUsed
  }

/**
 * Judges one try of a code. `matches` is the constant-time comparison of the keyed hashes, done by
 * the caller. A used or replaced code is refused even when it matches (no replay); an expired one
 * too; the fifth wrong try locks it, and a locked code refuses even the right one.
 */
export const judgeCodeAttempt = (
  rules: CodeRules,
  stored: StoredCode,
  matches: boolean,
  now: DateTime.Utc
): CodeAttempt => {
  const reject = (
    error: WrongCode | CodeLocked | CodeExpired | CodeAlreadyUsed,
    attempts = stored.attempts,
    status = stored.status
  ): CodeAttempt => ({ _tag: "Rejected", attempts, status, error })
  if (stored.status === "used" || stored.status === "superseded") return reject(new CodeAlreadyUsed())
  if (stored.status === "locked" || stored.attempts >= rules.maxAttempts) return reject(new CodeLocked())
  if (!DateTime.lessThan(now, stored.expiresAt)) return reject(new CodeExpired())
  if (matches) return { _tag: "Accepted", attempts: stored.attempts + 1, status: "used" }
  const attempts = stored.attempts + 1
  const remaining = rules.maxAttempts - attempts
  return remaining <= 0
    ? reject(new CodeLocked(), attempts, "locked")
    : reject(new WrongCode({ remainingAttempts: remaining }), attempts, "pending")
}

/** A six-digit SMS code from a random 32-bit integer (from a CSPRNG in the adapter). */
export const phoneCodeFromRandom = (random: number): string => String((random >>> 0) % 1_000_000).padStart(6, "0")
