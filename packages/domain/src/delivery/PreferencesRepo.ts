import { Context } from "effect"
import type { Effect } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { NotificationPreferences } from "./NotificationPreferences.js"
import type { SmsSuppression, SuppressionReason } from "./SmsSuppression.js"

/** Notification preferences and SMS suppressions: what fan-out honours. */
export class PreferencesRepo extends Context.Tag("@vigie/domain/PreferencesRepo")<
  PreferencesRepo,
  {
    /** The member's choices, or the defaults when they never chose. */
    readonly get: (accountId: AccountId) => Effect.Effect<NotificationPreferences>
    readonly put: (preferences: NotificationPreferences) => Effect.Effect<void>
    readonly suppress: (phone: PhoneE164, reason: SuppressionReason) => Effect.Effect<void>
    readonly unsuppress: (phone: PhoneE164) => Effect.Effect<void>
    readonly suppressions: (phones: ReadonlyArray<PhoneE164>) => Effect.Effect<ReadonlyArray<SmsSuppression>>
  }
>() {}
