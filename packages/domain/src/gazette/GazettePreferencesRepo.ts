import { Context } from "effect"
import type { Effect } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { GazettePreferences } from "./GazettePreferences.js"

/** The members' Gazette notification choices (the defaults for those who never chose). */
export class GazettePreferencesRepo extends Context.Tag("@vigie/domain/GazettePreferencesRepo")<
  GazettePreferencesRepo,
  {
    readonly get: (accountId: AccountId) => Effect.Effect<GazettePreferences>
    readonly put: (preferences: GazettePreferences) => Effect.Effect<void>
  }
>() {}
