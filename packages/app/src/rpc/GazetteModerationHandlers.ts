import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { GazetteModeration } from "@vigie/domain/gazette/GazetteModeration"
import { GazetteModerationRpcs } from "@vigie/domain/gazette/GazetteModerationRpcs"
import { Effect, Option } from "effect"

export const layer = GazetteModerationRpcs.toLayer(Effect.gen(function*() {
  const moderation = yield* GazetteModeration
  return {
    FlagGazettePost: ({ commentId, postId, reason, text }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.flag(actor, { target: { postId, commentId }, reason, text })),
    ListGazetteModerationQueue: ({ cursor, limit }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.queue(actor, { cursor: Option.fromNullable(cursor), limit })),
    ApproveGazettePost: ({ commentId, note, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.approve(actor, { postId, commentId }, note)),
    HideGazettePost: ({ commentId, details, postId, reason }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.hide(actor, { postId, commentId }, reason, details)),
    RestoreGazettePost: ({ commentId, note, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.restore(actor, { postId, commentId }, note)),
    AppealGazetteHiding: ({ commentId, postId, text }) =>
      Effect.flatMap(CurrentActor, (actor) => moderation.appeal(actor, { postId, commentId }, text)),
    DecideGazetteAppeal: (decision) => Effect.flatMap(CurrentActor, (actor) => moderation.decideAppeal(actor, decision))
  }
}))
