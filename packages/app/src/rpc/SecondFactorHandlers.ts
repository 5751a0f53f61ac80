import { SESSION_LIFETIME } from "@vigie/domain/accounts/AuthPolicy"
import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { SecondFactor } from "@vigie/domain/accounts/SecondFactor"
import { SecondFactorRpcs } from "@vigie/domain/accounts/SecondFactorRpcs"
import { StaffInvitations } from "@vigie/domain/accounts/StaffInvitations"
import type { LoginResult } from "@vigie/domain/accounts/Sessions"
import type * as Headers from "@effect/platform/Headers"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Duration, Effect, Redacted } from "effect"
import { ResponseCookies } from "../http/ResponseCookies.js"
import { sessionCookieName } from "./SessionCookie.js"

export const layer = SecondFactorRpcs.toLayer(Effect.gen(function*() {
  const secondFactor = yield* SecondFactor
  const invitations = yield* StaffInvitations
  const cookies = yield* ResponseCookies
  const name = sessionCookieName(yield* PublicUrl)
  const signedIn = (headers: Headers.Headers) => (result: LoginResult) =>
    cookies.set(headers, {
      name,
      value: Redacted.value(result.token),
      maxAge: Math.floor(Duration.toSeconds(SESSION_LIFETIME))
    }).pipe(Effect.as(result.me))
  return {
    GetSecondFactorStatus: () => Effect.flatMap(CurrentActor, secondFactor.status),
    BeginTotpEnrolment: () => Effect.flatMap(CurrentActor, secondFactor.beginEnrolment),
    ConfirmTotpEnrolment: ({ code }) =>
      Effect.flatMap(CurrentActor, (actor) => secondFactor.confirmEnrolment(actor, code)),
    CompleteSignIn: (payload, { headers }) => Effect.flatMap(secondFactor.completeSignIn(payload), signedIn(headers)),
    AcceptStaffInvitation: (payload, { headers }) => Effect.flatMap(invitations.accept(payload), signedIn(headers))
  }
}))
