import { DEFAULT_VERIFICATION_SMS_LIMITS, type VerificationSmsLimits } from "@vigie/domain/channels/VerificationSms"
import { Config, ConfigError, Either } from "effect"

const atLeast = (name: string, min: number, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `must be a whole number of at least ${min}`, validation: (n) => n >= min }),
    Config.withDefault(fallback)
  )

/** "GB, be" → ["GB", "BE"]; Left with the first entry that is not a two-letter ISO 3166 code. */
export const parseCountries = (text: string): Either.Either<ReadonlyArray<string>, string> => {
  const codes: Array<string> = []
  for (const raw of text.split(",")) {
    const code = raw.trim().toUpperCase()
    if (code === "") continue
    if (!/^[A-Z]{2}$/.test(code)) return Either.left(raw.trim())
    codes.push(code)
  }
  return Either.right(codes)
}

/**
 * Where verification SMS may go and their daily budgets, from the environment: SMS_ALLOWED_COUNTRIES
 * (ISO codes added to the French mobiles, metropolitan and overseas; empty by default),
 * SMS_DAILY_PER_ACCOUNT (5), SMS_DAILY_PER_ADDRESS (10, per client address) and SMS_DAILY_PLATFORM
 * (1,000 for the whole platform), each per 24 hours.
 */
export const config: Config.Config<VerificationSmsLimits> = Config.all({
  countries: Config.string("SMS_ALLOWED_COUNTRIES").pipe(
    Config.withDefault(""),
    Config.mapOrFail((text) =>
      Either.mapLeft(
        parseCountries(text),
        (entry) =>
          ConfigError.InvalidData(
            ["SMS_ALLOWED_COUNTRIES"],
            `"${entry}" is not a two-letter country code (ISO 3166, e.g. BE, CH)`
          )
      )
    )
  ),
  perAccount: atLeast("SMS_DAILY_PER_ACCOUNT", 1, DEFAULT_VERIFICATION_SMS_LIMITS.perAccountPerDay),
  perAddress: atLeast("SMS_DAILY_PER_ADDRESS", 1, DEFAULT_VERIFICATION_SMS_LIMITS.perAddressPerDay),
  platform: atLeast("SMS_DAILY_PLATFORM", 1, DEFAULT_VERIFICATION_SMS_LIMITS.platformPerDay)
}).pipe(Config.map(({ countries, perAccount, perAddress, platform }): VerificationSmsLimits => ({
  extraCountries: countries,
  perAccountPerDay: perAccount,
  perAddressPerDay: perAddress,
  platformPerDay: platform
})))
