import { Context, Effect, Layer } from "effect"
import type { Redacted } from "effect"
import { CommonPasswords } from "./CommonPasswords.js"
import { checkNewPassword } from "./NewPassword.js"
import type { CommonPassword } from "./PasswordErrors.js"
import { PasswordHasher } from "./PasswordHasher.js"
import type { WeakPassword } from "./SessionErrors.js"

/**
 * The one place where a new password is accepted and hashed, for a reset and for a change: the
 * rules of checkNewPassword (CNIL length or entropy, then the list of common passwords), then Argon2.
 */
export class PasswordChoice extends Context.Tag("@vigie/domain/PasswordChoice")<
  PasswordChoice,
  {
    readonly accept: (password: Redacted.Redacted<string>) => Effect.Effect<string, WeakPassword | CommonPassword>
  }
>() {}

export const make = Effect.gen(function*() {
  const hasher = yield* PasswordHasher
  const common = yield* CommonPasswords
  return PasswordChoice.of({
    accept: (password) =>
      checkNewPassword(password).pipe(
        Effect.provideService(CommonPasswords, common),
        Effect.zipRight(hasher.hash(password))
      )
  })
})

export const layer = Layer.effect(PasswordChoice, make)
