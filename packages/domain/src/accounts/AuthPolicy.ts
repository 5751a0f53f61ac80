import { DateTime, Duration } from "effect"

/** CNIL 2022 (délibération 2022-100), password-only authentication: at least 12 characters ... */
export const PASSWORD_MIN_LENGTH = 12
/** ... or, for shorter passwords, an estimated entropy of at least 80 bits. */
export const PASSWORD_MIN_BITS = 80
/** Longer passwords are refused: Argon2 would accept them, but nobody types 256 characters. */
export const PASSWORD_MAX_LENGTH = 256

const pools: ReadonlyArray<readonly [RegExp, number]> = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/[^a-zA-Z0-9]/, 33]
]

/**
 * A simple entropy estimate: length × log2(size of the character classes used), as the ANSSI and
 * CNIL tables count it. Repeated characters are counted once beyond the first two, so
 * "aaaaaaaaaaaa" is not strong.
 */
export const estimatePasswordBits = (password: string): number => {
  const chars = Array.from(password)
  const pool = pools.reduce((size, [pattern, n]) => (pattern.test(password) ? size + n : size), 0)
  if (pool === 0) return 0
  const distinct = new Set(chars).size
  const effectiveLength = Math.min(chars.length, distinct + 2)
  return Math.floor(effectiveLength * Math.log2(pool))
}

/** Whether a password meets the rule: 12 characters or more (with some variety), or 80 bits. */
export const isAcceptablePassword = (password: string): boolean => {
  const length = Array.from(password).length
  if (length > PASSWORD_MAX_LENGTH) return false
  const distinct = new Set(Array.from(password)).size
  return (length >= PASSWORD_MIN_LENGTH && distinct >= 4) || estimatePasswordBits(password) >= PASSWORD_MIN_BITS
}

/** Failures allowed before any delay. */
export const FREE_LOGIN_FAILURES = 3
/** The longest wait between two tries. */
export const MAX_LOGIN_DELAY = Duration.minutes(15)

/**
 * How long to wait after `failures` failed logins: nothing for the first three, then 2, 4, 8 ...
 * seconds, up to 15 minutes (the CNIL's "temporisation" that grows with each failure).
 */
export const loginDelay = (failures: number): Duration.Duration => {
  if (failures < FREE_LOGIN_FAILURES) return Duration.zero
  const seconds = 2 ** Math.min(failures - FREE_LOGIN_FAILURES + 1, 20)
  return Duration.min(Duration.seconds(seconds), MAX_LOGIN_DELAY)
}

/** Seconds until the next try is allowed, or 0 when it is allowed now. */
export const loginRetryAfter = (failures: number, lastAt: DateTime.Utc | undefined, now: DateTime.Utc): number => {
  if (lastAt === undefined) return 0
  const until = DateTime.toEpochMillis(lastAt) + Duration.toMillis(loginDelay(failures))
  const wait = until - DateTime.toEpochMillis(now)
  return wait > 0 ? Math.ceil(wait / 1000) : 0
}

/** A session lasts at most 30 days ... */
export const SESSION_LIFETIME = Duration.days(30)
/** ... and ends after 7 days without use. */
export const SESSION_IDLE_TIMEOUT = Duration.days(7)

/** Whether a session is still usable at `now`. */
export const isSessionLive = (
  session: { readonly expiresAt: DateTime.Utc; readonly lastSeenAt: DateTime.Utc },
  now: DateTime.Utc
): boolean =>
  DateTime.lessThan(now, session.expiresAt) &&
  DateTime.lessThan(now, DateTime.addDuration(session.lastSeenAt, SESSION_IDLE_TIMEOUT))
