import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Blocking } from "@vigie/domain/directory/Blocking"
import { Directory } from "@vigie/domain/directory/Directory"
import { DirectoryRpcs } from "@vigie/domain/directory/DirectoryRpcs"
import { Effect } from "effect"

export const layer = DirectoryRpcs.toLayer(Effect.gen(function*() {
  const directory = yield* Directory
  const blocking = yield* Blocking
  return {
    GetMyProfile: () => Effect.flatMap(CurrentActor, (actor) => directory.myProfile(actor)),
    SaveMyProfile: (draft) => Effect.flatMap(CurrentActor, (actor) => directory.saveProfile(actor, draft)),
    GetMemberProfile: ({ accountId }) => Effect.flatMap(CurrentActor, (actor) => directory.profile(actor, accountId)),
    ListAnnuaire: ({ communityId, query }) =>
      Effect.flatMap(CurrentActor, (actor) => directory.annuaire(actor, communityId, query ?? "")),
    BlockMember: ({ accountId }) => Effect.flatMap(CurrentActor, (actor) => blocking.block(actor, accountId)),
    UnblockMember: ({ accountId }) => Effect.flatMap(CurrentActor, (actor) => blocking.unblock(actor, accountId)),
    ListMyBlocks: () => Effect.flatMap(CurrentActor, (actor) => blocking.list(actor))
  }
}))
