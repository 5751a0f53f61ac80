import { Context, Effect, Layer } from "effect"
import type { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { type GazetteChoices, GazettePreferences } from "./GazettePreferences.js"
import { GazettePreferencesRepo } from "./GazettePreferencesRepo.js"

/** Each account reads and changes only its own Gazette notification choices. */
export class GazetteSubscriptions extends Context.Tag("@vigie/domain/GazetteSubscriptions")<
  GazetteSubscriptions,
  {
    readonly get: (actor: Actor) => Effect.Effect<GazettePreferences, Unauthenticated | AccountSuspended>
    readonly update: (
      actor: Actor,
      choice: { readonly choices: GazetteChoices; readonly mairieSms: boolean }
    ) => Effect.Effect<GazettePreferences, Unauthenticated | AccountSuspended>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazettePreferencesRepo
  return GazetteSubscriptions.of({
    get: (actor) =>
      Effect.flatMap(requireAccount(actor), (account) => repo.get(account.id)).pipe(
        Effect.withSpan("GazetteSubscriptions.get")
      ),
    update: (actor, choice) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const preferences = new GazettePreferences({
          accountId: account.id,
          choices: choice.choices,
          mairieSms: choice.mairieSms
        })
        yield* repo.put(preferences)
        return preferences
      }).pipe(Effect.withSpan("GazetteSubscriptions.update"))
  })
})

export const layer = Layer.effect(GazetteSubscriptions, make)
