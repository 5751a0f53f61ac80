import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Activation } from "@vigie/domain/verification/Activation"
import { ActivationRpcs, vouchedOf } from "@vigie/domain/verification/ActivationRpcs"
import { Effect } from "effect"

export const layer = ActivationRpcs.toLayer(Effect.gen(function*() {
  const activation = yield* Activation
  return {
    RequestActivationLetter: ({ membershipId }) =>
      Effect.flatMap(CurrentActor, (actor) => activation.requestLetter(actor, membershipId)),
    ConfirmActivationCode: ({ code, membershipId }) =>
      Effect.flatMap(CurrentActor, (actor) => activation.confirmCode(actor, membershipId, code)),
    ListPendingMembers: ({ communityId }) =>
      Effect.flatMap(CurrentActor, (actor) => activation.listPending(actor, communityId)),
    VouchForMember: ({ membershipId }) =>
      Effect.flatMap(CurrentActor, (actor) => Effect.map(activation.vouch(actor, membershipId), vouchedOf))
  }
}))
