import { Context, Effect, Layer } from "effect"
import type { Option } from "effect"
import type { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { type ChannelPreference, NotificationPreferences, type QuietHours } from "./NotificationPreferences.js"
import { PreferencesRepo } from "./PreferencesRepo.js"

/** Each account reads and changes only its own notification preferences. */
export class Preferences extends Context.Tag("@vigie/domain/Preferences")<
  Preferences,
  {
    readonly get: (actor: Actor) => Effect.Effect<NotificationPreferences, Unauthenticated | AccountSuspended>
    readonly update: (
      actor: Actor,
      choice: {
        readonly sms: ChannelPreference
        readonly email: ChannelPreference
        readonly quietHours: Option.Option<QuietHours>
        /** "Appel vocal pour les alertes urgentes"; absent: kept as it was. */
        readonly voiceUrgent?: boolean | undefined
      }
    ) => Effect.Effect<NotificationPreferences, Unauthenticated | AccountSuspended>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* PreferencesRepo
  return Preferences.of({
    get: (actor) => Effect.flatMap(requireAccount(actor), (account) => repo.get(account.id)),
    update: (actor, choice) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const voiceUrgent = choice.voiceUrgent ?? (yield* repo.get(account.id)).voiceUrgent
        const preferences = new NotificationPreferences({
          accountId: account.id,
          sms: choice.sms,
          email: choice.email,
          quietHours: choice.quietHours,
          voiceUrgent
        })
        yield* repo.put(preferences)
        return preferences
      })
  })
})

export const layer = Layer.effect(Preferences, make)
