import { Context, Option, Schema } from "effect"
import type { DateTime, Effect } from "effect"
import { AccountId } from "../accounts/Account.js"
import { AlertCategory, AlertId, AlertOrigin, AlertStatus, Urgency } from "../alerts/Alert.js"
import { InseeCode } from "../communities/Commune.js"
import { BulletinId } from "../mairie/ReferentBulletin.js"
import { AuthorityOrigin } from "../mairie/TownAlert.js"
import { DeliveryId, MessageId, MessageKind } from "./Delivery.js"
import { Channel } from "./NotificationPreferences.js"

/** What the texts of a message are made from: its alert, as it stands when the delivery is claimed. */
export class AlertForDelivery extends Schema.Class<AlertForDelivery>("AlertForDelivery")({
  category: AlertCategory,
  urgency: Urgency,
  origin: AlertOrigin,
  text: Schema.String,
  place: Schema.Option(Schema.String),
  status: AlertStatus,
  insee: InseeCode,
  /** The community of a community alert; none for a town alert. */
  communityName: Schema.Option(Schema.String)
}) {}

/** What the texts of a bulletin message are made from: who sends it, for which commune, and what. */
export class BulletinForDelivery extends Schema.Class<BulletinForDelivery>("BulletinForDelivery")({
  bulletinId: BulletinId,
  origin: AuthorityOrigin,
  insee: InseeCode,
  text: Schema.String
}) {}

/**
 * A delivery a worker has claimed: leased to it until the lease expires, `attempts` already counting
 * this attempt. `(id, attempts)` is the claim: outcomes are recorded only while it still holds, so a
 * worker whose lease expired cannot overwrite what the next one did. A message is about an alert
 * (`alertId` and `alert`, every kind but "bulletin") or about a bulletin (`bulletin`), never both.
 */
export class ClaimedDelivery extends Schema.Class<ClaimedDelivery>("ClaimedDelivery")({
  id: DeliveryId,
  attempts: Schema.Int,
  messageId: MessageId,
  kind: MessageKind,
  alertId: Schema.Option(AlertId),
  accountId: AccountId,
  channel: Channel,
  destination: Schema.String,
  alert: Schema.Option(AlertForDelivery),
  bulletin: Schema.Option(BulletinForDelivery),
  /** The text of a moderation notice (kind "notice"), rendered when the decision was taken. */
  notice: Schema.optionalWith(Schema.Option(Schema.String), { default: () => Option.none() })
}) {}

/** A claim, as the outcome methods take it. */
export interface Claim {
  readonly id: DeliveryId
  readonly attempts: number
}

/**
 * The delivery table seen by the workers. Every method is one set-based statement, whatever the
 * number of rows. Outcome methods touch only rows still `sending` under the given claim, and return
 * how many they changed.
 */
export class DeliveryRepo extends Context.Tag("@vigie/domain/DeliveryRepo")<
  DeliveryRepo,
  {
    /**
     * Leases up to `limit` due deliveries of `channel` until `leaseUntil`, skipping rows other workers
     * hold: pending ones whose `next_attempt_at` has come, and sending ones whose lease expired. They
     * become `sending` with one more attempt. Oldest due first.
     */
    readonly claim: (
      channel: Channel,
      limit: number,
      now: DateTime.Utc,
      leaseUntil: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<ClaimedDelivery>>
    /** The provider accepted them: `sent`, with its message id each. */
    readonly markSent: (
      sent: ReadonlyArray<Claim & { readonly providerId: string }>,
      now: DateTime.Utc
    ) => Effect.Effect<number>
    /** A transient failure: back to `pending`, due again at `at`, the error kept. */
    readonly markRetry: (
      retry: ReadonlyArray<Claim & { readonly at: DateTime.Utc; readonly error: string }>,
      now: DateTime.Utc
    ) => Effect.Effect<number>
    /** Refused for good by the provider: `failed`, the reason kept. */
    readonly markFailed: (
      failed: ReadonlyArray<Claim & { readonly error: string }>,
      now: DateTime.Utc
    ) => Effect.Effect<number>
    /** Out of attempts: `dead`, the reason kept. */
    readonly markDead: (
      dead: ReadonlyArray<Claim & { readonly error: string }>,
      now: DateTime.Utc
    ) => Effect.Effect<number>
  }
>() {}
