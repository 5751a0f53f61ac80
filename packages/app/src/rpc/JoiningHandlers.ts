import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Joining } from "@vigie/domain/registration/Joining"
import { JoiningRpcs } from "@vigie/domain/registration/JoiningRpcs"
import { Effect } from "effect"

export const layer = JoiningRpcs.toLayer(Effect.gen(function*() {
  const joining = yield* Joining
  return {
    JoinCommunity: ({ address, communityId }) =>
      Effect.flatMap(CurrentActor, (actor) => joining.join(actor, communityId, address)),
    LeaveCommunity: ({ membershipId }) => Effect.flatMap(CurrentActor, (actor) => joining.leave(actor, membershipId)),
    MoveHome: ({ address, communityId }) =>
      Effect.flatMap(CurrentActor, (actor) => joining.move(actor, communityId, address))
  }
}))
