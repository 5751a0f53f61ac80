import { Config, Context, Duration, Layer } from "effect"

/**
 * The figures a town alert's preview is computed with. From the environment: `SMS_PRICE_EUR`
 * (price of one billed SMS part, default 0.045), `SMS_RATE_PER_SECOND` (the provider's rate, the
 * delivery workers' setting, default 5: Plivo's), `TOWN_SMS_MONTHLY_BUDGET` (billed parts per
 * commune and month when the commune has no budget of its own, default 10000). The SMS link of the
 * preview (its length is part of the SMS) starts with PublicUrl.
 */
export class MairieSettings extends Context.Tag("@vigie/domain/MairieSettings")<
  MairieSettings,
  {
    readonly smsPriceEur: number
    readonly smsRatePerSecond: number
    readonly defaultMonthlySmsSegments: number
    readonly previewTtl: Duration.Duration
  }
>() {}

export const defaults = {
  smsPriceEur: 0.045,
  smsRatePerSecond: 5,
  defaultMonthlySmsSegments: 10_000,
  previewTtl: Duration.minutes(30)
} as const

export const config: Config.Config<MairieSettings["Type"]> = Config.all({
  smsPriceEur: Config.number("SMS_PRICE_EUR").pipe(
    Config.validate({ message: "must be a price in euros, 0 or more", validation: (n) => n >= 0 }),
    Config.withDefault(defaults.smsPriceEur)
  ),
  smsRatePerSecond: Config.number("SMS_RATE_PER_SECOND").pipe(
    Config.validate({ message: "must be a rate above 0", validation: (n) => n > 0 }),
    Config.withDefault(defaults.smsRatePerSecond)
  ),
  defaultMonthlySmsSegments: Config.integer("TOWN_SMS_MONTHLY_BUDGET").pipe(
    Config.validate({ message: "must be a number of SMS parts, 0 or more", validation: (n) => n >= 0 }),
    Config.withDefault(defaults.defaultMonthlySmsSegments)
  )
}).pipe(Config.map((values) => ({ ...values, previewTtl: defaults.previewTtl })))

/** From the environment, as above. */
export const layer = Layer.effect(MairieSettings, config)

/** Fixed values, for tests and tools. */
export const layerWith = (values: Partial<MairieSettings["Type"]> = {}) =>
  Layer.succeed(MairieSettings, { ...defaults, ...values })
