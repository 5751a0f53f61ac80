import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import * as ServerConfig from "../src/ServerConfig.js"

// Development: production would also ask for PUBLIC_URL and VIGIE_SECRET_KEY, which these tests are not about.
const startup = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(
    ServerConfig.startup,
    ConfigProvider.fromMap(new Map(Object.entries({ VIGIE_ENV: "development", ...env })))
  )))

describe("verification SMS settings read at start", () => {
  it("defaults to French mobiles only, 5 per account, 10 per address and 1,000 for the platform a day", () => {
    const result = startup({})
    expect(Either.isRight(result) && result.right.verificationSms).toStrictEqual({
      extraCountries: [],
      perAccountPerDay: 5,
      perAddressPerDay: 10,
      platformPerDay: 1000
    })
  })

  it("reads SMS_ALLOWED_COUNTRIES and the daily budgets", () => {
    const result = startup({ SMS_ALLOWED_COUNTRIES: "be, ch", SMS_DAILY_PER_ACCOUNT: "3", SMS_DAILY_PER_ADDRESS: "6",
      SMS_DAILY_PLATFORM: "50" })
    expect(Either.isRight(result) && result.right.verificationSms).toStrictEqual({
      extraCountries: ["BE", "CH"],
      perAccountPerDay: 3,
      perAddressPerDay: 6,
      platformPerDay: 50
    })
  })

  it("says which variable is wrong, with the others", () => {
    const result = startup({ SMS_ALLOWED_COUNTRIES: "BE, Belgique", SMS_DAILY_PLATFORM: "0", PORT: "abc" })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.lines.some((l) => l.startsWith("SMS_ALLOWED_COUNTRIES:") && l.includes("Belgique"))).toBe(true)
      expect(result.left.lines.some((l) => l.startsWith("SMS_DAILY_PLATFORM:"))).toBe(true)
      expect(result.left.lines.some((l) => l.startsWith("PORT:"))).toBe(true)
    }
  })
})
