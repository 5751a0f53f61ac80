import { DateTime, Effect, Encoding, Redacted } from "effect"
import { Secrets } from "../shared/Secrets.js"
import type { AccountId } from "./Account.js"
import { SESSION_LIFETIME } from "./AuthPolicy.js"
import type { Session } from "./Session.js"
import { SessionRepo } from "./SessionRepo.js"
import { SESSION_TOKEN_BYTES } from "./Sessions.js"

/** Opens a session for an account that has just proved who it is: a new random token, stored hashed. */
export const openSession = (
  accountId: AccountId,
  at: DateTime.Utc
): Effect.Effect<
  { readonly token: Redacted.Redacted<string>; readonly session: Session },
  never,
  SessionRepo | Secrets
> =>
  Effect.gen(function*() {
    const secrets = yield* Secrets
    const sessions = yield* SessionRepo
    const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(SESSION_TOKEN_BYTES))
    const session = yield* sessions.insert({
      accountId,
      tokenHash: yield* secrets.keyedHash("session_token", token),
      createdAt: at,
      expiresAt: DateTime.addDuration(at, SESSION_LIFETIME)
    })
    return { token: Redacted.make(token), session }
  })
