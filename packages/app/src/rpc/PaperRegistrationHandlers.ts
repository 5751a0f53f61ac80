import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { SESSION_LIFETIME } from "@vigie/domain/accounts/AuthPolicy"
import { PaperRegistrationRpcs } from "@vigie/domain/registration/PaperRegistrationRpcs"
import { PaperRegistrations } from "@vigie/domain/registration/PaperRegistrations"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Duration, Effect, Redacted } from "effect"
import { CLIENT_IP_HEADER, UNKNOWN_ADDRESS } from "../http/ClientAddress.js"
import { ResponseCookies } from "../http/ResponseCookies.js"
import { sessionCookieName } from "./SessionCookie.js"

export const layer = PaperRegistrationRpcs.toLayer(Effect.gen(function*() {
  const paper = yield* PaperRegistrations
  const cookies = yield* ResponseCookies
  const name = sessionCookieName(yield* PublicUrl)
  return {
    RegisterPaperNeighbour: (payload) => Effect.flatMap(CurrentActor, (actor) => paper.register(actor, payload)),
    // The caller's address as the RPC gate put it (never what the client sent), for the per-address budget.
    RequestAccountClaim: ({ by, phone }, { headers }) =>
      paper.requestClaim(phone, headers[CLIENT_IP_HEADER] ?? UNKNOWN_ADDRESS, by ?? "sms"),
    // Claimed: signed in with the session the claim opened.
    ClaimAccount: (payload, { headers }) =>
      Effect.gen(function*() {
        const result = yield* paper.claim(payload)
        yield* cookies.set(headers, {
          name,
          value: Redacted.value(result.token),
          maxAge: Math.floor(Duration.toSeconds(SESSION_LIFETIME))
        })
        return result.me
      })
  }
}))
