import { hash, verify, type Algorithm, type Options } from "@node-rs/argon2"
import { PasswordHasher } from "@vigie/domain/accounts/PasswordHasher"
import { Effect, Layer, Redacted } from "effect"

/** Argon2id with the parameters of DESIGN.md (OWASP's first choice): 19 MiB, 2 passes, 1 lane. */
export const argon2Options: Options = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, not importable under isolatedModules)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32
}

export const make = PasswordHasher.of({
  hash: (password) =>
    Effect.promise(() => hash(Redacted.value(password), argon2Options)).pipe(
      Effect.withSpan("Argon2PasswordHasher.hash")
    ),
  verify: (stored, password) =>
    Effect.promise(() => verify(stored, Redacted.value(password)).catch(() => false)).pipe(
      Effect.withSpan("Argon2PasswordHasher.verify")
    )
})

export const layer = Layer.succeed(PasswordHasher, make)
