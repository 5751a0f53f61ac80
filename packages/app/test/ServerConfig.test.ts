import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option } from "effect"
import * as ServerConfig from "../src/ServerConfig.js"

const startup = (env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(Effect.withConfigProvider(ServerConfig.startup, ConfigProvider.fromMap(new Map(Object.entries(env)))))
  )

const production = {
  VIGIE_ENV: "production",
  PUBLIC_URL: "https://vigie.example",
  VIGIE_SECRET_KEY: "ab".repeat(32),
  DATABASE_URL: "postgres://vigie@db:5432/vigie"
}

/** The problems of a production setting changed by `env`. */
const linesOf = (env: Record<string, string>): ReadonlyArray<string> => {
  const result = startup({ ...production, ...env })
  return Either.isLeft(result) ? result.left.lines : []
}

const plivo = { SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "MAXXXX", PLIVO_AUTH_TOKEN: "secret",
  PLIVO_NUMBER: "+33757000000" }
const ses = { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "Vigie <alertes@vigie.example>" }

describe("configuration read at start", () => {
  it("runs production when VIGIE_ENV is unset: PUBLIC_URL and VIGIE_SECRET_KEY are then required", () => {
    const result = startup({})
    expect(Either.isLeft(result) && result.left.lines.map((l) => l.split(":")[0])).toStrictEqual(["PUBLIC_URL",
      "VIGIE_SECRET_KEY"])
    const { VIGIE_ENV: _, ...unset } = production
    const started = startup(unset)
    expect(Either.isRight(started) && started.right.server.env).toBe("production")
  })

  it("starts in development with VIGIE_ENV=development and nothing else (port 3000, embedded database, outboxes)", () => {
    const result = startup({ VIGIE_ENV: "development" })
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right.server.env).toBe("development")
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
    ["PLIVO_API_URL", { SMS_PROVIDER: "plivo", PLIVO_AUTH_ID: "id", PLIVO_AUTH_TOKEN: "t", PLIVO_NUMBER: "+33600000000",
      PLIVO_API_URL: "ftp://x" }],
    ["EMAIL_PROVIDER", { EMAIL_PROVIDER: "carrier-pigeon" }],
    ["AWS_REGION", { EMAIL_PROVIDER: "ses", EMAIL_FROM: "alertes@vigie.example" }],
    ["EMAIL_FROM", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3" }],
    ["EMAIL_FROM", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "nobody" }],
    ["SES_ENDPOINT", { EMAIL_PROVIDER: "ses", AWS_REGION: "eu-west-3", EMAIL_FROM: "alertes@vigie.example",
      SES_ENDPOINT: "localhost" }],
    ["VIGIE_ENV", { VIGIE_ENV: "prod" }],
    ["BLOB_STORE", { BLOB_STORE: "ftp" }],
    ["S3_BUCKET", { BLOB_STORE: "s3" }],
    ["S3_BUCKET", { BLOB_STORE: "s3", S3_BUCKET: "Mes Photos" }],
    ["S3_ENDPOINT", { BLOB_STORE: "s3", S3_BUCKET: "vigie-photos", S3_ENDPOINT: "not a url" }],
    ["S3_FORCE_PATH_STYLE", { BLOB_STORE: "s3", S3_BUCKET: "vigie-photos", S3_FORCE_PATH_STYLE: "maybe" }],
    ["S3_SECRET_ACCESS_KEY", { BLOB_STORE: "s3", S3_BUCKET: "vigie-photos", S3_ACCESS_KEY_ID: "AKIA" }],
    ["S3_ACCESS_KEY_ID", { BLOB_STORE: "s3", S3_BUCKET: "vigie-photos", S3_SECRET_ACCESS_KEY: "secret" }]
  ])("names %s when it is missing or malformed: %j", (name, env) => {
    const lines = linesOf(env)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${name}: .+`))
  })

  it.each([
    ["PUBLIC_URL", { PUBLIC_URL: "https://vigie.example" }],
    ["SMS_PROVIDER", plivo],
    ["EMAIL_PROVIDER", ses]
  ])("refuses development on a real site or with a real provider: %s", (name, env) => {
    const result = startup({ VIGIE_ENV: "development", ...env })
    const lines = Either.isLeft(result) ? result.left.lines : []
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${name}: .*VIGIE_ENV=production`))
  })

  it("names every reason development is refused at once", () => {
    const result = startup({ VIGIE_ENV: "development", PUBLIC_URL: "https://vigie.example", ...plivo, ...ses })
    expect(Either.isLeft(result) && result.left.lines.map((l) => l.split(":")[0])).toStrictEqual(["PUBLIC_URL",
      "SMS_PROVIDER", "EMAIL_PROVIDER"])
  })

  it("keeps photos on the filesystem by default, and in the S3 bucket with BLOB_STORE=s3 (the secret redacted)", () => {
    const fs = startup(production)
    expect(Either.isRight(fs) && [fs.right.server.blobStore, Option.isNone(fs.right.s3)]).toStrictEqual(["fs", true])
    // S3_* without BLOB_STORE=s3 are not read.
    expect(linesOf({ S3_BUCKET: "Not A Bucket" })).toStrictEqual([])
    const s3 = startup({ ...production, BLOB_STORE: "s3", S3_BUCKET: "vigie-photos", S3_REGION: "fr-par",
      S3_ENDPOINT: "https://s3.fr-par.scw.cloud", S3_FORCE_PATH_STYLE: "true", S3_ACCESS_KEY_ID: "SCW1",
      S3_SECRET_ACCESS_KEY: "hunter2" })
    expect(Either.isRight(s3)).toBe(true)
    if (Either.isRight(s3)) {
      const options = Option.getOrThrow(s3.right.s3)
      expect([options.bucket, options.region, options.endpoint, options.forcePathStyle]).toStrictEqual(["vigie-photos",
        "fr-par", "https://s3.fr-par.scw.cloud/", true])
      expect(JSON.stringify(options)).not.toContain("hunter2")
    }
  })

  it("refuses an empty PLIVO_AUTH_TOKEN, with Plivo or without", () => {
    expect(linesOf({ ...plivo, PLIVO_AUTH_TOKEN: "" })).toStrictEqual([
      "PLIVO_AUTH_TOKEN: is empty: set Plivo's auth token, or leave the variable unset"
    ])
    expect(linesOf({ PLIVO_AUTH_TOKEN: "  " })).toStrictEqual([
      "PLIVO_AUTH_TOKEN: is empty: set Plivo's auth token, or leave the variable unset"
    ])
  })

  it("reads TRUSTED_PROXIES; a bad entry stops the start and is named", () => {
    const result = startup({ ...production, TRUSTED_PROXIES: "10.0.0.0/8, fd00::1" })
    expect(Either.isRight(result) && result.right.server.trustedProxies.list.check("10.1.2.3", "ipv4")).toBe(true)
    expect(linesOf({ TRUSTED_PROXIES: "10.0.0.1, proxy.internal" })).toStrictEqual([
      "TRUSTED_PROXIES: \"proxy.internal\" is neither an IP address nor a CIDR range (e.g. 10.0.0.0/8, fd00::/8)"
    ])
    expect(linesOf({ TRUSTED_PROXIES: "10.0.0.0/40" })[0]).toMatch(/^TRUSTED_PROXIES: /)
  })

  it.each([
    ["EDGE_AUTH_PER_ADDRESS", { EDGE_AUTH_PER_ADDRESS: "0" }],
    ["EDGE_AUTH_PLATFORM", { EDGE_AUTH_PLATFORM: "many" }],
    ["EDGE_AUTH_WINDOW", { EDGE_AUTH_WINDOW: "soon" }],
    ["EDGE_WEBHOOK_PER_ADDRESS", { EDGE_WEBHOOK_PER_ADDRESS: "-1" }],
    ["EDGE_DEV_WINDOW", { EDGE_DEV_WINDOW: "10 millis" }]
  ])("names %s when an edge limit is malformed: %j", (name, env) => {
    const lines = linesOf(env)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${name}: .+`))
  })

  it("has edge limits by default, and reads them", () => {
    const result = startup({ ...production, EDGE_AUTH_PER_ADDRESS: "5", EDGE_AUTH_WINDOW: "1 hour" })
    expect(Either.isRight(result) && result.right.edge.auth.perAddress).toBe(5)
    expect(Either.isRight(result) && result.right.edge.auth.platform).toBe(5000)
    expect(Either.isRight(result) && result.right.edge.webhooks.perAddress).toBe(6000)
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
    expect(lines.map((l) => l.split(":")[0])).toStrictEqual(["PORT", "DATABASE_URL", "PLIVO_AUTH_TOKEN", "PLIVO_NUMBER",
      "AWS_REGION"])
    expect(lines.join("\n")).not.toContain("hunter2")
  })

  it("names OpenStreetMap's tiles in production and none in development; TILE_URL changes or turns them off", () => {
    const tiles = (env: Record<string, string>) => {
      const result = startup(env)
      return Either.isRight(result) ? result.right.server.tileUrl : "refused"
    }
    expect(tiles(production)).toStrictEqual(Option.some(ServerConfig.OSM_TILE_URL))
    expect(tiles({ VIGIE_ENV: "development" })).toStrictEqual(Option.none())
    expect(tiles({ ...production, TILE_URL: "none" })).toStrictEqual(Option.none())
    expect(tiles({ VIGIE_ENV: "development", TILE_URL: "https://{s}.tiles.example/{z}/{x}/{y}@2x.png" }))
      .toStrictEqual(Option.some("https://{s}.tiles.example/{z}/{x}/{y}@2x.png"))
    expect(linesOf({ TILE_URL: "https://tiles.example/map.png" })).toStrictEqual([
      "TILE_URL: must be an http(s):// tile address with {z}, {x} and {y} (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png), or none"
    ])
  })

  it("accepts a complete production setting with Plivo and SES", () => {
    const result = startup({ ...production, ...plivo, ...ses })
    expect(Either.isRight(result)).toBe(true)
  })
})
