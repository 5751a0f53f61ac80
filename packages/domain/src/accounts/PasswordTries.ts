import { DateTime, Effect, Encoding, Option } from "effect"
import type { Redacted } from "effect"
import { Secrets } from "../shared/Secrets.js"
import { Transactor } from "../shared/Transactor.js"
import type { Account } from "./Account.js"
import { AccountRepo } from "./AccountRepo.js"
import { loginRetryAfter } from "./AuthPolicy.js"
import { LoginAttemptRepo } from "./LoginAttemptRepo.js"
import { PasswordHasher } from "./PasswordHasher.js"
import { LoginThrottled } from "./SessionErrors.js"

/** The counter of an account's failures: the keyed hash of its e-mail, as a log-in counts them. */
export const loginKeyOf = (account: Account) =>
  Effect.flatMap(
    Secrets,
    (secrets) => secrets.keyedHash("login_key", Option.getOrElse(account.email, () => `account:${account.id}`))
  )

/**
 * The one rule for every try of a password (log-in, change of password or e-mail, erasure): under
 * the failure counter's lock, refused while its growing delay runs, else counted as a failure at
 * once; Argon2 then runs outside any transaction, and a right password clears the count. Concurrent
 * tries are thus counted one after the other, whichever call makes them.
 */
export const make = Effect.gen(function*() {
  const tx = yield* Transactor
  const attempts = yield* LoginAttemptRepo
  const accounts = yield* AccountRepo
  const hasher = yield* PasswordHasher
  const secrets = yield* Secrets

  const now = DateTime.now

  /** Reserves one try on the counter `key`: LoginThrottled while its delay runs. */
  const reserveTry = (key: Uint8Array): Effect.Effect<void, LoginThrottled> =>
    tx.transaction(Effect.gen(function*() {
      yield* tx.lock("login_failures", Encoding.encodeHex(key))
      const at = yield* now
      const failures = yield* attempts.failures(key)
      const wait = loginRetryAfter(failures.count, failures.lastAt, at)
      if (wait > 0) return yield* new LoginThrottled({ retryAfterSeconds: wait })
      yield* attempts.recordFailure(key, at)
    }))

  /**
   * Whether `password` is the account's, the try counted on its login key first (LoginThrottled
   * while the delay runs). A right password clears the count; a wrong one stays counted.
   */
  const checkAccountPassword = (
    account: Account,
    password: Redacted.Redacted<string>
  ): Effect.Effect<boolean, LoginThrottled> =>
    Effect.gen(function*() {
      const key = yield* Effect.provideService(loginKeyOf(account), Secrets, secrets)
      yield* reserveTry(key)
      const stored = yield* accounts.passwordHash(account.id)
      const matches = Option.isSome(stored) && (yield* hasher.verify(stored.value, password))
      if (matches) yield* attempts.clear(key)
      return matches
    })

  return { reserveTry, checkAccountPassword }
})
