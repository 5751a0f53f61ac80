import * as AccountSettings from "@vigie/domain/accounts/AccountSettings"
import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { LifecycleRpcs } from "@vigie/domain/accounts/LifecycleRpcs"
import * as PasswordChoice from "@vigie/domain/accounts/PasswordChoice"
import * as PasswordResets from "@vigie/domain/accounts/PasswordResets"
import { Effect, Layer } from "effect"
import { CLIENT_IP_HEADER, UNKNOWN_ADDRESS } from "../http/ClientAddress.js"

/** The lifecycle use cases; their links start with PublicUrl. */
export const services = Layer.mergeAll(PasswordResets.layer, AccountSettings.layer).pipe(
  Layer.provide(PasswordChoice.layer)
)

const handlers = LifecycleRpcs.toLayer(Effect.gen(function*() {
  const resets = yield* PasswordResets.PasswordResets
  const settings = yield* AccountSettings.AccountSettings
  return {
    RequestPasswordReset: ({ email }) => resets.requestByEmail(email),
    // The caller's address as the RPC gate put it, for the per-address budget of verification SMS.
    RequestPasswordResetCode: ({ phone }, { headers }) =>
      resets.requestBySms(phone, headers[CLIENT_IP_HEADER] ?? UNKNOWN_ADDRESS),
    CompletePasswordReset: ({ password, token }) => resets.completeWithLink(token, password),
    CompletePasswordResetByCode: ({ code, password, phone }) => resets.completeWithCode(phone, code, password),
    ChangePassword: ({ currentPassword, newPassword }) =>
      Effect.flatMap(CurrentActor, (actor) => settings.changePassword(actor, currentPassword, newPassword)),
    RequestEmailChange: ({ newEmail, password }) =>
      Effect.flatMap(CurrentActor, (actor) => settings.requestEmailChange(actor, newEmail, password)),
    ConfirmEmailChange: ({ token }) => settings.confirmEmailChange(token)
  }
}))

/** Forgotten password, change of password and of e-mail address. */
export const layer = handlers.pipe(Layer.provide(services))
