import * as Cookies from "@effect/platform/Cookies"
import { Authentication } from "@vigie/domain/accounts/Authentication"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { SecondFactor } from "@vigie/domain/accounts/SecondFactor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Effect, Layer } from "effect"
import { sessionCookieName } from "./SessionCookie.js"

/**
 * Reads the session cookie of each call and provides the CurrentActor (Anonymous without a live
 * session); a staff account without its second factor may call only the enrolment RPCs.
 */
export const layer = Layer.effect(
  Authentication,
  Effect.gen(function*() {
    const sessions = yield* Sessions
    const secondFactor = yield* SecondFactor
    const name = sessionCookieName(yield* PublicUrl)
    return Authentication.of(({ headers, rpc }) => {
      const token = Cookies.parseHeader(headers["cookie"] ?? "")[name]
      const actor = token === undefined ? Effect.succeed(anonymous) : sessions.authenticate(token)
      return Effect.tap(actor, (a) => secondFactor.requireEnrolment(a, rpc._tag))
    })
  })
)
