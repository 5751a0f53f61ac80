import { describe, expect, it } from "@effect/vitest"
import { defaultRetentionPeriods } from "@vigie/domain/accounts/Retention"
import { ConfigProvider, Duration, Effect, Either } from "effect"
import * as RetentionConfig from "../src/RetentionConfig.js"
import * as ServerConfig from "../src/ServerConfig.js"

const load = (env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(
      Effect.withConfigProvider(RetentionConfig.config, ConfigProvider.fromMap(new Map(Object.entries(env))))
    )
  )

describe("retention periods read at start", () => {
  it("are the periods the 'Vos données' page states when nothing is set", () => {
    const result = load({})
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      const p = result.right.periods
      expect(Duration.toDays(Duration.decode(p.deliveryDestinations))).toBe(90)
      expect(Duration.toDays(Duration.decode(p.inboundSms))).toBe(90)
      expect(Duration.toDays(Duration.decode(p.letters))).toBe(60)
      expect([p.inactivityWarningMonths, p.inactivityErasureMonths]).toStrictEqual([23, 24])
      expect(Duration.toDays(Duration.decode(p.every))).toBe(
        Duration.toDays(Duration.decode(defaultRetentionPeriods.every))
      )
      expect(Duration.toHours(Duration.decode(result.right.check))).toBe(1)
    }
  })

  it("takes each variable", () => {
    const result = load({
      RETENTION_DELIVERY_DESTINATIONS: "30 days",
      RETENTION_LETTERS: "45 days",
      INACTIVE_ACCOUNT_WARNING_MONTHS: "11",
      INACTIVE_ACCOUNT_ERASURE_MONTHS: "12",
      RETENTION_CHECK: "10 minutes"
    })
    expect(Either.isRight(result) && Duration.toDays(Duration.decode(result.right.periods.deliveryDestinations))).toBe(
      30
    )
    expect(Either.isRight(result) && Duration.toDays(Duration.decode(result.right.periods.letters))).toBe(45)
    expect(Either.isRight(result) && result.right.periods.inactivityErasureMonths).toBe(12)
    expect(Either.isRight(result) && Duration.toMinutes(Duration.decode(result.right.check))).toBe(10)
  })

  it("refuses an erasure that does not come after the warning, and malformed periods, naming the variable", () => {
    const backwards = load({ INACTIVE_ACCOUNT_WARNING_MONTHS: "24", INACTIVE_ACCOUNT_ERASURE_MONTHS: "23" })
    expect(Either.isLeft(backwards) && ServerConfig.describeConfigError(backwards.left).join("\n")).toMatch(
      /INACTIVE_ACCOUNT_ERASURE_MONTHS/
    )
    const malformed = load({ RETENTION_LETTERS: "soon" })
    expect(Either.isLeft(malformed) && ServerConfig.describeConfigError(malformed.left).join("\n")).toMatch(
      /RETENTION_LETTERS/
    )
  })
})
