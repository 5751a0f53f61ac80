import { Context, Effect, Layer, Redacted } from "effect"
import { estimatePasswordBits, isAcceptablePassword, PASSWORD_MIN_LENGTH } from "./AuthPolicy.js"
import { PasswordHasher } from "./PasswordHasher.js"
import { WeakPassword } from "./SessionErrors.js"

/**
 * The one place where a new password is accepted and hashed, for a reset and for a change: the
 * password rules of AuthPolicy, then Argon2. Any further check on new passwords goes here.
 */
export class PasswordChoice extends Context.Tag("@vigie/domain/PasswordChoice")<
  PasswordChoice,
  { readonly accept: (password: Redacted.Redacted<string>) => Effect.Effect<string, WeakPassword> }
>() {}

export const make = Effect.map(PasswordHasher, (hasher) =>
  PasswordChoice.of({
    accept: (password) => {
      const value = Redacted.value(password)
      return isAcceptablePassword(value)
        ? hasher.hash(password)
        : Effect.fail(new WeakPassword({ minLength: PASSWORD_MIN_LENGTH, estimatedBits: estimatePasswordBits(value) }))
    }
  }))

export const layer = Layer.effect(PasswordChoice, make)
