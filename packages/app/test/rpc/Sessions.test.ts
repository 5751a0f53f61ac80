import { SqlClient } from "@effect/sql"
import { describe, expect, it, layer } from "@effect/vitest"
import { pglite } from "@vigie/adapters/test/support/TestDatabase"
import { isAcceptablePassword, loginDelay } from "@vigie/domain/accounts/AuthPolicy"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import type { Email } from "@vigie/domain/shared/Text"
import { ConfigProvider, Duration, Effect, Redacted } from "effect"
import * as ServerConfig from "../../src/ServerConfig.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld, PASSWORD } from "../support/World.js"

describe("password rule and login delay", () => {
  it("accepts 12 characters or 80 bits, refuses short or repetitive passwords", () => {
    expect(isAcceptablePassword("correct horse battery staple")).toBe(true)
    expect(isAcceptablePassword("Tr0ub4dor&3!")).toBe(true)
    expect(isAcceptablePassword("azerty")).toBe(false)
    expect(isAcceptablePassword("aaaaaaaaaaaaaaaa")).toBe(false)
    expect(isAcceptablePassword("x".repeat(257))).toBe(false)
  })

  it("waits nothing for the first failures, then longer after each one, up to 15 minutes", () => {
    const delays = Array.from({ length: 30 }, (_, n) => Duration.toMillis(loginDelay(n)))
    expect(delays.slice(0, 3)).toStrictEqual([0, 0, 0])
    for (let n = 3; n < 29; n++) expect(delays[n + 1]!).toBeGreaterThanOrEqual(delays[n]!)
    expect(delays[4]!).toBeGreaterThan(delays[3]!)
    expect(delays[29]).toBe(15 * 60 * 1000)
  })
})

layer(platform(pglite), { excludeTestServices: true, timeout: Duration.seconds(60) })("Sessions on SQL", (it) => {
  it.effect("slows down guessing: after three failures even the right password waits", () =>
    Effect.gen(function*() {
      const world = yield* makeWorld("throttle")
      const sessions = yield* Sessions
      const email = world.emails.memberB
      for (let i = 0; i < 3; i++) {
        const error = yield* Effect.flip(sessions.logIn({ email, password: Redacted.make("wrong guess") }))
        expect(error._tag).toBe("InvalidCredentials")
      }
      const throttled = yield* Effect.flip(sessions.logIn({ email, password: Redacted.make(PASSWORD) }))
      expect(throttled).toMatchObject({ _tag: "LoginThrottled" })
      expect((throttled as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0)
    }))

  it.effect("answers an unknown e-mail exactly like a wrong password, and throttles it the same way", () =>
    Effect.gen(function*() {
      const sessions = yield* Sessions
      const email = "personne.inconnue@example.org" as Email
      for (let i = 0; i < 3; i++) {
        const error = yield* Effect.flip(sessions.logIn({ email, password: Redacted.make("wrong guess") }))
        expect(error._tag).toBe("InvalidCredentials")
      }
      expect((yield* Effect.flip(sessions.logIn({ email, password: Redacted.make("x") })))._tag).toBe("LoginThrottled")
    }))

  it.effect("a session token is stored only as its keyed hash", () =>
    Effect.gen(function*() {
      const world = yield* makeWorld("hash")
      const sql = yield* SqlClient.SqlClient
      const token = world.tokens.memberA!
      const rows = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions
        WHERE encode(token_hash, 'escape') LIKE ${"%" + token + "%"} OR encode(token_hash, 'base64') = ${token}`
      expect(rows[0]?.n).toBe(0)
      const actor = yield* (yield* Sessions).authenticate(token)
      expect(actor._tag).toBe("Authenticated")
    }))
})

describe("server configuration", () => {
  const load = (env: Record<string, string>) =>
    Effect.runSync(
      Effect.either(
        Effect.withConfigProvider(ServerConfig.config, ConfigProvider.fromMap(new Map(Object.entries(env))))
      )
    )

  it("has defaults for development", () => {
    const result = load({ VIGIE_ENV: "development" })
    expect(result._tag).toBe("Right")
    if (result._tag === "Right") {
      expect(result.right.port).toBe(3000)
      expect(result.right.publicUrl.origin).toBe("http://localhost:3000")
      expect(result.right.smsProvider).toBe("outbox")
    }
  })

  it("says, one line per variable, what is missing or malformed", () => {
    const result = load({ PORT: "http", VIGIE_ENV: "production", SMS_PROVIDER: "pigeon" })
    expect(result._tag).toBe("Left")
    if (result._tag === "Left") {
      const lines = ServerConfig.describeConfigError(result.left)
      expect(lines.some((l) => l.startsWith("PORT:"))).toBe(true)
      expect(lines.some((l) => l.startsWith("SMS_PROVIDER:"))).toBe(true)
    }
    const missing = load({ VIGIE_ENV: "production" })
    expect(missing._tag === "Left" && ServerConfig.describeConfigError(missing.left)).toStrictEqual([
      "PUBLIC_URL: is required in production (the site's https:// address)"
    ])
  })
})
