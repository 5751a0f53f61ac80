import * as Cookies from "@effect/platform/Cookies"
import { Authentication } from "@vigie/domain/accounts/Authentication"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { Effect, Layer } from "effect"
import { sessionCookieName } from "./SessionCookie.js"

/** Reads the session cookie of each call and provides the CurrentActor (Anonymous without a live session). */
export const layer = (publicUrl: URL) =>
  Layer.effect(
    Authentication,
    Effect.gen(function*() {
      const sessions = yield* Sessions
      const name = sessionCookieName(publicUrl)
      return Authentication.of(({ headers }) => {
        const token = Cookies.parseHeader(headers["cookie"] ?? "")[name]
        return token === undefined ? Effect.succeed(anonymous) : sessions.authenticate(token)
      })
    })
  )
