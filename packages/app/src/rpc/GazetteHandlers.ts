import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Gazette } from "@vigie/domain/gazette/Gazette"
import { GazetteRpcs } from "@vigie/domain/gazette/GazetteRpcs"
import { Effect, Option } from "effect"

export const layer = GazetteRpcs.toLayer(Effect.gen(function*() {
  const gazette = yield* Gazette
  return {
    ListGazette: ({ communityId, cursor, kinds, limit, query, state }) =>
      Effect.flatMap(CurrentActor, (actor) =>
        gazette.list(actor, {
          communityId,
          kinds,
          state,
          limit,
          query: Option.fromNullable(query),
          cursor: Option.fromNullable(cursor)
        })),
    GetGazettePost: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => gazette.get(actor, postId)),
    PublishGazettePost: (draft) => Effect.flatMap(CurrentActor, (actor) => gazette.publish(actor, draft)),
    CloseGazettePost: ({ outcome, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => gazette.close(actor, postId, outcome)),
    RenewGazettePost: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => gazette.renew(actor, postId)),
    WithdrawGazettePost: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => gazette.withdraw(actor, postId)),
    PublishMairieCommunication: ({ pinnedUntil, ...draft }) =>
      Effect.flatMap(
        CurrentActor,
        (actor) => gazette.publishCommunication(actor, { ...draft, pinnedUntil: Option.fromNullable(pinnedUntil) })
      )
  }
}))
