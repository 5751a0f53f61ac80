import { SessionRpcs } from "@vigie/domain/accounts/SessionRpcs"
import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { SESSION_LIFETIME } from "@vigie/domain/accounts/AuthPolicy"
import { Duration, Effect, Redacted } from "effect"
import { ResponseCookies } from "../http/ResponseCookies.js"
import { sessionCookieName } from "./SessionCookie.js"


export const layer = (publicUrl: URL) =>
  SessionRpcs.toLayer(Effect.gen(function*() {
    const sessions = yield* Sessions
    const cookies = yield* ResponseCookies
    const name = sessionCookieName(publicUrl)
    return {
      LogIn: (payload, { headers }) =>
        Effect.gen(function*() {
          const result = yield* sessions.logIn(payload)
          yield* cookies.set(headers, {
            name,
            value: Redacted.value(result.token),
            maxAge: Math.floor(Duration.toSeconds(SESSION_LIFETIME))
          })
          return result.me
        }),
      LogOut: (_, { headers }) =>
        Effect.gen(function*() {
          yield* sessions.logOut(yield* CurrentActor)
          yield* cookies.set(headers, { name, value: "", maxAge: 0 })
        }),
      WhoAmI: () => Effect.flatMap(CurrentActor, sessions.whoAmI)
    }
  }))
