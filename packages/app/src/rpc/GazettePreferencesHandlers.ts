import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { GazettePreferencesRpcs } from "@vigie/domain/gazette/GazettePreferencesRpcs"
import { GazetteSubscriptions } from "@vigie/domain/gazette/GazetteSubscriptions"
import { Effect } from "effect"

export const layer = GazettePreferencesRpcs.toLayer(Effect.gen(function*() {
  const subscriptions = yield* GazetteSubscriptions
  return {
    GetGazettePreferences: () => Effect.flatMap(CurrentActor, subscriptions.get),
    UpdateGazettePreferences: (choice) => Effect.flatMap(CurrentActor, (actor) => subscriptions.update(actor, choice))
  }
}))
