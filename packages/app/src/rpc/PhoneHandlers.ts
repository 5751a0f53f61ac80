import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { PhoneRpcs } from "@vigie/domain/verification/PhoneRpcs"
import { PhoneVerifications } from "@vigie/domain/verification/PhoneVerifications"
import { Effect } from "effect"

export const layer = PhoneRpcs.toLayer(Effect.gen(function*() {
  const phones = yield* PhoneVerifications
  return {
    RequestPhoneCode: ({ phone }) => Effect.flatMap(CurrentActor, (actor) => phones.requestCode(actor, phone)),
    ConfirmPhoneCode: ({ code }) => Effect.flatMap(CurrentActor, (actor) => phones.confirmCode(actor, code))
  }
}))
