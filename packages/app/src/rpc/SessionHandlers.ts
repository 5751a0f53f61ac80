import { SessionRpcs } from "@vigie/domain/accounts/SessionRpcs"
import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { SESSION_LIFETIME } from "@vigie/domain/accounts/AuthPolicy"
import * as Cookies from "@effect/platform/Cookies"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Duration, Effect, Option, Redacted } from "effect"
import { ResponseCookies } from "../http/ResponseCookies.js"
import { DEVICE_COOKIE_SECONDS, deviceCookieName, sessionCookieName } from "./SessionCookie.js"

export const layer = SessionRpcs.toLayer(Effect.gen(function*() {
  const sessions = yield* Sessions
  const cookies = yield* ResponseCookies
  const publicUrl = yield* PublicUrl
  const name = sessionCookieName(publicUrl)
  const deviceName = deviceCookieName(publicUrl)
  return {
    LogIn: (payload, { headers }) =>
      Effect.gen(function*() {
        // The device cookie of a browser that logged in before: its owner is never locked out by others' failures.
        const device = Cookies.parseHeader(headers["cookie"] ?? "")[deviceName]
        const result = yield* sessions.logIn({ ...payload, device })
        yield* cookies.set(headers, {
          name,
          value: Redacted.value(result.token),
          maxAge: Math.floor(Duration.toSeconds(SESSION_LIFETIME))
        })
        if (Option.isSome(result.device)) {
          yield* cookies.set(headers, { name: deviceName, value: Redacted.value(result.device.value),
            maxAge: DEVICE_COOKIE_SECONDS })
        }
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
