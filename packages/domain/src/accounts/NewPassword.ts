import { Effect, Redacted } from "effect"
import { estimatePasswordBits, isAcceptablePassword, PASSWORD_MIN_LENGTH } from "./AuthPolicy.js"
import { CommonPasswords } from "./CommonPasswords.js"
import { CommonPassword } from "./PasswordErrors.js"
import { WeakPassword } from "./SessionErrors.js"

/**
 * The one check of every password a person chooses (registration, staff invitation, reset, change):
 * the CNIL 2022 length-or-entropy rule, then the list of common passwords. Nothing is hashed or
 * written before it passes.
 */
export const checkNewPassword = (
  password: Redacted.Redacted<string>
): Effect.Effect<void, WeakPassword | CommonPassword, CommonPasswords> =>
  Effect.gen(function*() {
    const value = Redacted.value(password)
    if (!isAcceptablePassword(value)) {
      return yield* new WeakPassword({ minLength: PASSWORD_MIN_LENGTH, estimatedBits: estimatePasswordBits(value) })
    }
    const common = yield* CommonPasswords
    if (yield* common.isCommon(value)) return yield* new CommonPassword()
  })
