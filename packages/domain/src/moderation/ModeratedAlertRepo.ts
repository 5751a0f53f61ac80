import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId, AccountStatus } from "../accounts/Account.js"
import type { Alert, AlertId, AlertStatus } from "../alerts/Alert.js"
import type { AlertHoldReason } from "../trust/TrustPolicy.js"
import type { HideReason } from "./HideReason.js"
import type { AlertPlaceRef, HiddenInfo, PersonRef } from "./ModeratedAlert.js"

/** An alert with its moderation columns, as the repository stores them. */
export interface AlertModerationRecord {
  readonly alert: Alert
  readonly place: AlertPlaceRef
  readonly author: PersonRef
  readonly holdReasons: ReadonlyArray<AlertHoldReason>
  readonly firstPublishedAt: Option.Option<DateTime.Utc>
  readonly reviewedAt: Option.Option<DateTime.Utc>
  readonly reviewedBy: Option.Option<PersonRef>
  readonly hidden: Option.Option<HiddenInfo>
  /** The status a restore returns to (set while hidden). */
  readonly hiddenFrom: Option.Option<AlertStatus>
  readonly openFlags: number
}

/** An account's record, before its age is computed against the clock. */
export interface AuthorRecord {
  readonly author: PersonRef
  readonly accountStatus: AccountStatus
  readonly accountCreatedAt: DateTime.Utc
  readonly alertsPosted: number
  readonly alertsHeld: number
  readonly alertsHidden: number
  readonly warnings: number
  readonly suspensions: number
}

/** The hiding to record on an alert. */
export interface Hiding {
  readonly reason: HideReason
  readonly details: Option.Option<string>
  readonly by: AccountId
  readonly role: "moderator" | "referent"
  readonly from: AlertStatus
  readonly pending: boolean
}

/**
 * Persistence of the alerts' moderation state (reviewed, hidden, by whom and why) and of the facts
 * moderators read about alerts and their authors. Writes are meant to run inside the use case's
 * transaction, next to the AlertRepo move and the audit row they go with.
 */
export class ModeratedAlertRepo extends Context.Tag("@vigie/domain/ModeratedAlertRepo")<
  ModeratedAlertRepo,
  {
    /** The moderation records of these alerts (missing ids are left out). */
    readonly alerts: (ids: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<AlertModerationRecord>>
    readonly authors: (ids: ReadonlyArray<AccountId>) => Effect.Effect<ReadonlyArray<AuthorRecord>>
    /** Marks the alert reviewed unless it already is; false when it was. */
    readonly markReviewed: (alertId: AlertId, by: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly setHidden: (alertId: AlertId, hiding: Hiding, at: DateTime.Utc) => Effect.Effect<void>
    /** A référent's pending hiding confirmed by a moderator; false when it was not pending. */
    readonly confirmHidden: (alertId: AlertId) => Effect.Effect<boolean>
    readonly clearHidden: (alertId: AlertId) => Effect.Effect<void>
  }
>() {}
