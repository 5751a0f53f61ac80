import { Context, DateTime, Effect, Encoding, Layer, Option } from "effect"
import { Secrets } from "../shared/Secrets.js"
import type { Account } from "./Account.js"
import { requiresSecondFactor, SIGN_IN_CHALLENGE_LIFETIME } from "./SecondFactorPolicy.js"
import { SecondFactorRepo } from "./SecondFactorRepo.js"

/** Bytes of randomness in a second-step token (256 bits). */
export const CHALLENGE_TOKEN_BYTES = 32

/**
 * The step between the password and the second factor. After a right password, `issue` gives a
 * short-lived, single-use token when the account is staff with an enrolled second factor (and
 * none otherwise: a member, or a staff account yet to enrol, gets a session at once).
 */
export class SignInChallenges extends Context.Tag("@vigie/domain/SignInChallenges")<
  SignInChallenges,
  { readonly issue: (account: Account) => Effect.Effect<Option.Option<string>> }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* SecondFactorRepo
  const secrets = yield* Secrets
  return SignInChallenges.of({
    issue: (account) =>
      Effect.gen(function*() {
        if (!requiresSecondFactor(account.staffRoles) || !(yield* repo.isEnrolled(account.id))) return Option.none()
        const at = yield* DateTime.now
        const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(CHALLENGE_TOKEN_BYTES))
        yield* repo.insertChallenge({
          tokenHash: yield* secrets.keyedHash("sign_in_challenge", token),
          accountId: account.id,
          expiresAt: DateTime.addDuration(at, SIGN_IN_CHALLENGE_LIFETIME)
        })
        return Option.some(token)
      }).pipe(Effect.withSpan("SignInChallenges.issue"))
  })
})

export const layer = Layer.effect(SignInChallenges, make)
