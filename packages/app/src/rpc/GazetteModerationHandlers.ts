import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { GazetteModeration } from "@vigie/domain/gazette/GazetteModeration"
import { GazetteModerationRpcs } from "@vigie/domain/gazette/GazetteModerationRpcs"
import { Effect, Option } from "effect"

export const layer = GazetteModerationRpcs.toLayer(Effect.gen(function*() {
  const moderation = yield* GazetteModeration
  return {
    FlagGazettePost: ({ postId, reason, text }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.flag(actor, { postId, reason, text })),
    ListGazetteModerationQueue: ({ cursor, limit }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.queue(actor, { cursor: Option.fromNullable(cursor), limit })),
    ApproveGazettePost: ({ note, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.approve(actor, postId, note)),
    HideGazettePost: ({ details, postId, reason }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.hide(actor, postId, reason, details)),
    RestoreGazettePost: ({ note, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.restore(actor, postId, note)),
    AppealGazetteHiding: ({ postId, text }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.appeal(actor, postId, text)),
    DecideGazetteAppeal: (decision) => Effect.flatMap(CurrentActor, (actor) => moderation.decideAppeal(actor, decision))
  }
}))
