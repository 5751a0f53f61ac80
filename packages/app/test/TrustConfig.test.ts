import { describe, expect, it } from "@effect/vitest"
import { Trust } from "@vigie/domain/trust/Trust"
import { DEFAULT_TRUST } from "@vigie/domain/trust/TrustPolicy"
import { ConfigProvider, Duration, Effect, Either } from "effect"
import * as TrustConfig from "../src/TrustConfig.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** What the use cases read as Trust once the layer built from `env` is provided. */
const trustUnder = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Trust.pipe(Effect.provide(TrustConfig.layer), withEnv(env))))

describe("trust settings read at start", () => {
  it("are the policy's defaults when nothing is set", () => {
    expect(trustUnder({})).toStrictEqual(Either.right(DEFAULT_TRUST))
  })

  it("take every variable into the settings the use cases read", () => {
    const result = trustUnder({
      TRUST_HELD_FIRST_ALERTS: "0",
      TRUST_MEMBER_BURST: "5",
      TRUST_COMMUNITY_BURST: "40",
      TRUST_BURST_WINDOW: "2 hours"
    })
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right.heldFirstAlerts).toBe(0)
      expect(result.right.memberBurst.limit).toBe(5)
      expect(result.right.communityBurst.limit).toBe(40)
      expect(Duration.toMinutes(result.right.memberBurst.window)).toBe(120)
      expect(Duration.toMinutes(result.right.communityBurst.window)).toBe(120)
    }
  })

  it("refuses a burst limit under 1, a negative count and a window that is not a duration", () => {
    for (
      const env of [{ TRUST_MEMBER_BURST: "0" }, { TRUST_HELD_FIRST_ALERTS: "-1" }, { TRUST_BURST_WINDOW: "soon" }]
    ) {
      expect(Either.isLeft(trustUnder(env))).toBe(true)
    }
  })
})
