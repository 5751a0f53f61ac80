import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { AlertReactionRpcs } from "@vigie/domain/alerts/AlertReactionRpcs"
import { AlertReactions } from "@vigie/domain/alerts/AlertReactions"
import { Effect } from "effect"

export const layer = AlertReactionRpcs.toLayer(Effect.gen(function*() {
  const reactions = yield* AlertReactions
  return {
    MarkAlert: ({ alertId, kind }) => Effect.flatMap(CurrentActor, (actor) => reactions.mark(actor, alertId, kind)),
    UnmarkAlert: ({ alertId, kind }) => Effect.flatMap(CurrentActor, (actor) => reactions.unmark(actor, alertId, kind)),
    GetAlertReactions: ({ alertId }) => Effect.flatMap(CurrentActor, (actor) => reactions.get(actor, alertId)),
    CountAlertReactions: ({ alertIds }) => Effect.flatMap(CurrentActor, (actor) => reactions.counts(actor, alertIds))
  }
}))
