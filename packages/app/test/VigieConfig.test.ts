import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { ConfigProvider, Effect, Either } from "effect"
import * as ServerConfig from "../src/ServerConfig.js"
import * as VigieConfig from "../src/VigieConfig.js"

const read = <A>(config: Effect.Effect<A, ServerConfig.InvalidConfiguration>, env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env))))))

/** What `serve` and `worker` would send through, or the variables they refuse, for one environment. */
const choices = (env: Record<string, string>) => {
  const outcome = (result: Either.Either<ServerConfig.WorkerStartup, ServerConfig.InvalidConfiguration>) =>
    Either.match(result, {
      onLeft: (error) => ({ refused: error.lines.map((line) => line.split(":")[0]) }),
      onRight: (startup) => ({ ...VigieConfig.providerNames(startup), publicUrl: startup.server.publicUrl.origin })
    })
  return { serve: outcome(read(ServerConfig.startup, env)), worker: outcome(read(ServerConfig.workerStartup, env)) }
}

const production = {
  VIGIE_ENV: "production",
  PUBLIC_URL: "https://vigie.example",
  VIGIE_SECRET_KEY: "ab".repeat(32),
  DATABASE_URL: "postgres://vigie@db:5432/vigie"
}
const plivoKeys = { PLIVO_AUTH_ID: "MAXXXX", PLIVO_AUTH_TOKEN: "secret", PLIVO_NUMBER: "+33757000000" }
const sesKeys = { AWS_REGION: "eu-west-3", EMAIL_FROM: "Vigie <alertes@vigie.example>" }
const plivo = { SMS_PROVIDER: "plivo", ...plivoKeys }
const ses = { EMAIL_PROVIDER: "ses", ...sesKeys }

describe("serve and worker choose their providers by one rule", () => {
  const environments: ReadonlyArray<readonly [string, Record<string, string>, unknown]> = [
    ["development: the outboxes", { VIGIE_ENV: "development" }, {
      sms: "outbox",
      email: "outbox",
      publicUrl: "http://localhost:3000"
    }],
    ["production, providers chosen", { ...production, ...plivo, ...ses }, {
      sms: "plivo",
      email: "ses",
      publicUrl: "https://vigie.example"
    }],
    // Keys alone choose nothing: the worker used to send through Plivo and SES here while serve used the outboxes.
    ["production, keys set but no provider named", { ...production, ...plivoKeys, ...sesKeys }, {
      sms: "outbox",
      email: "outbox",
      publicUrl: "https://vigie.example"
    }],
    ["production, Plivo named without its keys", { ...production, SMS_PROVIDER: "plivo" }, {
      refused: ["PLIVO_AUTH_ID", "PLIVO_AUTH_TOKEN", "PLIVO_NUMBER"]
    }],
    // The worker used to send real SMS from a development machine that had Plivo's keys.
    ["development with Plivo and SES named", { VIGIE_ENV: "development", ...plivo, ...ses }, {
      refused: ["SMS_PROVIDER", "EMAIL_PROVIDER"]
    }],
    // The worker used to put http://localhost:3000 in the links of production SMS.
    ["production without PUBLIC_URL", { VIGIE_ENV: "production", VIGIE_SECRET_KEY: production.VIGIE_SECRET_KEY }, {
      refused: ["PUBLIC_URL"]
    }]
  ]

  for (const [name, env, expected] of environments) {
    it(name, () => {
      const { serve, worker } = choices(env)
      expect(worker).toStrictEqual(expected)
      expect(serve).toStrictEqual(expected)
    })
  }
})

describe("the blob store of a configuration", () => {
  it.scoped("is a folder blobs/ under VIGIE_DATA_DIR by default", () =>
    Effect.gen(function*() {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-config-blobs-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const startup = Either.getOrThrow(read(ServerConfig.startup, { ...production, VIGIE_DATA_DIR: dataDir }))
      const store = yield* Effect.provide(BlobStore, VigieConfig.blobStore(startup))
      yield* store.put("photo/chat", new Uint8Array([1, 2, 3]), "image/jpeg")
      const files = yield* Effect.promise(() => readdir(join(dataDir, "blobs"), { recursive: true }))
      expect(files.some((f) => f.endsWith("photo%2Fchat"))).toBe(true)
    }))
})
