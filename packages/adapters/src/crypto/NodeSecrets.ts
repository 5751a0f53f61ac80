import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { Secrets } from "@vigie/domain/shared/Secrets"
import type { KeyedHashPurpose } from "@vigie/domain/shared/Secrets"
import { Config, ConfigError, Effect, Either, Layer, Option, Redacted } from "effect"

/** The smallest secret key accepted: 32 bytes, written as 64 hex digits or 43+ base64 characters. */
export const MIN_KEY_BYTES = 32

/**
 * Secrets on node:crypto: CSPRNG bytes, and HMAC-SHA256 under a key derived per purpose from the
 * server's secret key (so a code hash can never be replayed as a session hash).
 */
export const make = (key: Redacted.Redacted<Uint8Array>) => {
  const derived = new Map<KeyedHashPurpose, Buffer>()
  const keyFor = (purpose: KeyedHashPurpose) => {
    let k = derived.get(purpose)
    if (k === undefined) {
      k = createHmac("sha256", Redacted.value(key)).update(`vigie/${purpose}`).digest()
      derived.set(purpose, k)
    }
    return k
  }
  return Secrets.of({
    randomBytes: (length) => Effect.sync(() => new Uint8Array(randomBytes(length))),
    keyedHash: (purpose, input) =>
      Effect.sync(() => new Uint8Array(createHmac("sha256", keyFor(purpose)).update(input, "utf8").digest())),
    equal: (a, b) => a.length === b.length && timingSafeEqual(a, b)
  })
}

export const layerWith = (key: Redacted.Redacted<Uint8Array>): Layer.Layer<Secrets> => Layer.succeed(Secrets, make(key))

const decodeKey = (text: string): Uint8Array | undefined => {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]+$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64")
  return bytes.length >= MIN_KEY_BYTES ? new Uint8Array(bytes) : undefined
}

/** Where the secret key comes from: the environment, or a file kept under the data directory. */
export type KeySource =
  | { readonly _tag: "Given"; readonly key: Redacted.Redacted<Uint8Array> }
  | { readonly _tag: "LocalFile"; readonly file: string }

/**
 * `VIGIE_SECRET_KEY` (at least 32 bytes, hex or base64) when set. Otherwise, outside production, a
 * key generated once and kept in `<VIGIE_DATA_DIR>/secret.key`, so sessions and codes survive a
 * restart; in production the variable is required.
 */
export const config: Config.Config<KeySource> = Config.all({
  key: Config.option(Config.redacted("VIGIE_SECRET_KEY")),
  env: Config.literal("development", "production")("VIGIE_ENV").pipe(Config.withDefault("production" as const)),
  dataDir: Config.string("VIGIE_DATA_DIR").pipe(Config.withDefault(".data"))
}).pipe(
  Config.mapOrFail(({ dataDir, env, key }): Either.Either<KeySource, ConfigError.ConfigError> =>
    Option.match(key, {
      onSome: (k) => {
        const bytes = decodeKey(Redacted.value(k))
        return bytes === undefined
          ? Either.left(
            ConfigInvalid(
              "VIGIE_SECRET_KEY",
              `must be at least ${MIN_KEY_BYTES} random bytes, hex or base64 (openssl rand -hex 32)`
            )
          )
          : Either.right({ _tag: "Given", key: Redacted.make(bytes) })
      },
      onNone: () =>
        env === "production"
          ? Either.left(ConfigMissing("VIGIE_SECRET_KEY", "is required in production (openssl rand -hex 32)"))
          : Either.right({ _tag: "LocalFile", file: `${dataDir}/secret.key` })
    })
  )
)

const ConfigInvalid = (name: string, message: string) => ConfigError.InvalidData([name], message)
const ConfigMissing = (name: string, message: string) => ConfigError.MissingData([name], message)

const localKey = (file: string): Uint8Array => {
  try {
    const existing = decodeKey(readFileSync(file, "utf8"))
    if (existing !== undefined) return existing
  } catch {
    // No key yet: make one below.
  }
  const fresh = randomBytes(MIN_KEY_BYTES)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, fresh.toString("hex") + "\n", { mode: 0o600 })
  return new Uint8Array(fresh)
}

/** The secrets of a key source already read (the app reads its whole configuration once, at start). */
export const layerFrom = (source: KeySource): Layer.Layer<Secrets> =>
  Layer.effect(
    Secrets,
    source._tag === "Given"
      ? Effect.succeed(make(source.key))
      : Effect.sync(() => make(Redacted.make(localKey(source.file))))
  )

export const layer: Layer.Layer<Secrets, ConfigError.ConfigError> = Layer.unwrapEffect(Effect.map(config, layerFrom))
