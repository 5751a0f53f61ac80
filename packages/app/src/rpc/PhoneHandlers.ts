import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { PhoneRpcs } from "@vigie/domain/verification/PhoneRpcs"
import { PhoneVerifications } from "@vigie/domain/verification/PhoneVerifications"
import { Effect } from "effect"
import { CLIENT_IP_HEADER, UNKNOWN_ADDRESS } from "../http/ClientAddress.js"

export const layer = PhoneRpcs.toLayer(Effect.gen(function*() {
  const phones = yield* PhoneVerifications
  return {
    // The caller's address as the RPC gate put it (never what the client sent), for the per-address budget.
    RequestPhoneCode: ({ phone }, { headers }) =>
      Effect.flatMap(
        CurrentActor,
        (actor) => phones.requestCode(actor, phone, headers[CLIENT_IP_HEADER] ?? UNKNOWN_ADDRESS)
      ),
    ConfirmPhoneCode: ({ code }) => Effect.flatMap(CurrentActor, (actor) => phones.confirmCode(actor, code))
  }
}))
