import { Context, Either } from "effect"
import { AddressNotVerifiedYet, SmsBudgetReached } from "./PhoneErrors.js"

/**
 * French numbering areas whose mobiles may receive Vigie's SMS by default: metropolitan France and
 * the overseas departments and collectivities (ISO 3166 codes as libphonenumber reports them).
 */
export const FRENCH_SMS_COUNTRIES: ReadonlyArray<string> = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF",
  "PF", "NC"]

/** An account with no verified address may ask for this many phone codes in all. */
export const PHONE_CODES_BEFORE_ADDRESS = 2

/** Where verification SMS may go, and how many may leave per 24 hours. */
export interface VerificationSmsLimits {
  /** Countries added to the French ones (SMS_ALLOWED_COUNTRIES). */
  readonly extraCountries: ReadonlyArray<string>
  readonly perAccountPerDay: number
  readonly perAddressPerDay: number
  readonly platformPerDay: number
}

/** 5 per account, 10 per client address and 1,000 for the whole platform, per 24 hours. */
export const DEFAULT_VERIFICATION_SMS_LIMITS: VerificationSmsLimits = {
  extraCountries: [],
  perAccountPerDay: 5,
  perAddressPerDay: 10,
  platformPerDay: 1000
}

/**
 * The limits on verification SMS in force: the defaults unless a layer provides others (a deployment
 * sets them from the environment at start: SMS_ALLOWED_COUNTRIES, SMS_DAILY_*).
 */
export class VerificationSmsSettings
  extends Context.Reference<VerificationSmsSettings>()("@vigie/domain/VerificationSmsSettings", {
    defaultValue: (): VerificationSmsLimits => DEFAULT_VERIFICATION_SMS_LIMITS
  })
{}

/** Whether a number of `country` may receive a verification SMS. */
export const smsCountryAllowed = (country: string | undefined, limits: VerificationSmsLimits): boolean =>
  country !== undefined && (FRENCH_SMS_COUNTRIES.includes(country) || limits.extraCountries.includes(country))

/** The verification SMS already sent: today per account, per address, platform-wide; phone codes ever. */
export interface VerificationSmsCounts {
  readonly account: number
  readonly address: number
  readonly platform: number
  readonly accountPhoneCodes: number
}

/**
 * Whether one more verification SMS may leave: an account without a verified address has had at
 * most PHONE_CODES_BEFORE_ADDRESS codes, and no daily budget is spent (account, address, platform).
 */
export const judgeVerificationSms = (
  counts: VerificationSmsCounts,
  limits: VerificationSmsLimits,
  addressVerified: boolean
): Either.Either<void, SmsBudgetReached | AddressNotVerifiedYet> => {
  if (!addressVerified && counts.accountPhoneCodes >= PHONE_CODES_BEFORE_ADDRESS) {
    return Either.left(new AddressNotVerifiedYet({ maxCodes: PHONE_CODES_BEFORE_ADDRESS }))
  }
  if (counts.platform >= limits.platformPerDay) {
    return Either.left(new SmsBudgetReached({ budget: "platform", limit: limits.platformPerDay }))
  }
  if (counts.address >= limits.perAddressPerDay) {
    return Either.left(new SmsBudgetReached({ budget: "address", limit: limits.perAddressPerDay }))
  }
  if (counts.account >= limits.perAccountPerDay) {
    return Either.left(new SmsBudgetReached({ budget: "account", limit: limits.perAccountPerDay }))
  }
  return Either.void
}
