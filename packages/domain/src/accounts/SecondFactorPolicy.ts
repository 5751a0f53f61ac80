import { DateTime, Duration } from "effect"
import type { StaffRole } from "./Account.js"

/**
 * Staff sign-in (mairie agents, municipal police, moderators, admins): after the password, a TOTP
 * code or a recovery code. Every rule below is a pure function; the use cases apply them under a lock.
 */
export const requiresSecondFactor = (roles: ReadonlyArray<StaffRole>): boolean => roles.length > 0

/**
 * What a staff account that has not enrolled yet may call: who am I, log out, and the enrolment
 * itself. Everything else is refused with SecondFactorEnrolmentRequired.
 */
export const RPCS_BEFORE_ENROLMENT: ReadonlySet<string> = new Set([
  "WhoAmI",
  "LogOut",
  "GetSecondFactorStatus",
  "BeginTotpEnrolment",
  "ConfirmTotpEnrolment"
])

export const mayCallBeforeEnrolment = (rpcTag: string): boolean => RPCS_BEFORE_ENROLMENT.has(rpcTag)

/** The second step must follow the password within 5 minutes; its token serves once. */
export const SIGN_IN_CHALLENGE_LIFETIME = Duration.minutes(5)
/** A staff invitation link is valid 7 days and serves once. */
export const STAFF_INVITATION_LIFETIME = Duration.days(7)

/** Wrong codes in a row (TOTP or recovery) after which the second factor is locked ... */
export const MAX_SECOND_FACTOR_FAILURES = 5
/** ... for this long after the last of them. */
export const SECOND_FACTOR_LOCK = Duration.minutes(15)

/** Seconds until a code may be tried again, 0 when it may be tried now. */
export const secondFactorRetryAfter = (
  failures: number,
  lastFailureAt: DateTime.Utc | undefined,
  now: DateTime.Utc
): number => {
  if (failures < MAX_SECOND_FACTOR_FAILURES || lastFailureAt === undefined) return 0
  const wait = DateTime.toEpochMillis(lastFailureAt) + Duration.toMillis(SECOND_FACTOR_LOCK) -
    DateTime.toEpochMillis(now)
  return wait > 0 ? Math.ceil(wait / 1000) : 0
}

/** A TOTP code is accepted only for a 30-second step later than the last one used: no replay. */
export const isFreshStep = (step: number, lastUsedStep: number): boolean => step > lastUsedStep

/** How many recovery codes an enrolment gives, each usable once. */
export const RECOVERY_CODE_COUNT = 10
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
/** Characters per recovery code: 10 Crockford base32 characters, 50 bits. */
export const RECOVERY_CODE_LENGTH = 10
/** Random bytes needed per recovery code. */
export const RECOVERY_CODE_BYTES = 7

/** A recovery code as shown once to its owner: "7K3M-9QX2-TA". Pure: the same bytes give the same code. */
export const recoveryCodeFromBytes = (bytes: Uint8Array): string => {
  let bits = 0n
  for (let i = 0; i < RECOVERY_CODE_BYTES; i++) bits = (bits << 8n) | BigInt(bytes[i] ?? 0)
  let code = ""
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) {
    code = CROCKFORD[Number(bits & 31n)] + code
    bits >>= 5n
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`
}

/**
 * Reads a typed recovery code: case, spaces and hyphens ignored, I and L read as 1, O as 0.
 * Undefined when it cannot be one.
 */
export const normalizeRecoveryCode = (typed: string): string | undefined => {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0")
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(cleaned) ? cleaned : undefined
}

/** Six digits (spaces ignored) is a TOTP code; anything else is tried as a recovery code. */
export const totpCodeOf = (typed: string): string | undefined => {
  const digits = typed.replace(/\s/g, "")
  return /^\d{6}$/.test(digits) ? digits : undefined
}
