import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option } from "effect"
import * as ServerConfig from "../src/ServerConfig.js"

const startup = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(ServerConfig.startup, ConfigProvider.fromMap(new Map(Object.entries(env))))))

const linesOf = (env: Record<string, string>): ReadonlyArray<string> => {
  const result = startup(env)
  return Either.isLeft(result) ? result.left.lines : []
}

const production = {
  VIGIE_ENV: "production",
  PUBLIC_URL: "https://vigie.example",
  VIGIE_SECRET_KEY: "ab".repeat(32),
  DATABASE_URL: "postgres://vigie@db:5432/vigie"
}

describe("configuration read at start", () => {
  it("starts with no variable at all (development defaults: port 3000, embedded database, outboxes)", () => {
    const result = startup({})
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right.server.port).toBe(3000)
      expect(result.right.database).toStrictEqual({ dataDir: ".data/pglite" })
      expect(Option.isNone(result.right.plivo) && Option.isNone(result.right.ses)).toBe(true)
    }
  })

  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://x" }],
    ["VIGIE_DATA_DIR", { VIGIE_DATA_DIR: "" }],
    ["PUBLIC_URL", { PUBLIC_URL: "not a url" }],
    ["PUBLIC_URL", { ...production, PUBLIC_URL: "http://vigie.example" }],
    ["SMS_PROVIDER", { SMS_PROVIDER: "pigeon" }],
    ["PLIVO_AUTH_ID", { SMS_PROVIDER: "plivo", PLIVO_AUTH_TOKEN: "t", PLIVO_NUMBER: "+33600000000" }],
    ["PLIVO_AUTH_TOKEN", { SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "id", PLIVO_NUMBER: "+33600000000" }],
    ["PLIVO_NUMBER", { SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "id", PLIVO_AUTH_TOKEN: "t" }],
    ["PLIVO_API_URL", { SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "id", PLIVO_AUTH_TOKEN: "t", PLIVO_NUMBER: "+33600000000", PLIVO_API_URL: "ftp://x" }],
    ["EMAIL_PROVIDER", { EMAIL_PROVIDER: "carrier-pigeon" }],
    ["AWS_REGION", { EMAIL_PROVIDER: "ses", EMAIL_FROM: "alertes@vigie.example" }],
    ["EMAIL_FROM", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3" }],
    ["EMAIL_FROM", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "nobody" }],
    ["SES_ENDPOINT", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "alertes@vigie.example", SES_ENDPOINT: "localhost" }],
    ["VIGIE_ENV", { VIGIE_ENV: "prod" }]
  ])("names %s when it is missing or malformed: %j", (name, env) => {
    const lines = linesOf(env)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${name}: .+`))
  })

  it("reports every problem at once, one line per variable, without printing secrets", () => {
    const lines = linesOf({
      PORT: "http",
      DATABASE_URL: "mysql://root:hunter2@x",
      SMS_PROVIDER: "plivo",
      PLIVO_AUTH_ID: "MAXXXX",
      EMAIL_PROVIDER: "ses",
      EMAIL_FROM: "alertes@vigie.example"
    })
    expect(lines.map((l) => l.split(":")[0])).toStrictEqual(["PORT", "DATABASE_URL", "PLIVO_AUTH_TOKEN", "PLIVO_NUMBER", "AWS_REGION"])
    expect(lines.join("\n")).not.toContain("hunter2")
  })

  it("accepts a complete production setting with Plivo and SES", () => {
    const result = startup({
      ...production,
      SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "MAXXXX", PLIVO_AUTH_TOKEN: "secret", PLIVO_NUMBER: "+33757000000",
      EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "Vigie <alertes@vigie.example>"
    })
    expect(Either.isRight(result)).toBe(true)
  })
})
