import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Preferences } from "@vigie/domain/delivery/Preferences"
import { PreferencesRpcs } from "@vigie/domain/delivery/PreferencesRpcs"
import { Effect } from "effect"

export const layer = PreferencesRpcs.toLayer(Effect.gen(function*() {
  const preferences = yield* Preferences
  return {
    GetPreferences: () => Effect.flatMap(CurrentActor, preferences.get),
    UpdatePreferences: (choice) => Effect.flatMap(CurrentActor, (actor) => preferences.update(actor, choice))
  }
}))
