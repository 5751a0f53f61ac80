import { Context, Option, Schema } from "effect"
import type { DateTime, Effect } from "effect"
import { AccountId } from "../accounts/Account.js"
import { DeliveryId, MessageId, MessageSubject } from "./Delivery.js"
import { DeliveryChannel } from "./NotificationPreferences.js"

/**
 * A delivery a worker has claimed: leased to it until the lease expires, `attempts` already counting
 * this attempt. `(id, attempts)` is the claim: outcomes are recorded only while it still holds, so a
 * worker whose lease expired cannot overwrite what the next one did. It names its message's subject
 * and carries no fact of it: the texts are loaded and rendered by the subject kind's SubjectTexts.
 */
export class ClaimedDelivery extends Schema.Class<ClaimedDelivery>("ClaimedDelivery")({
  id: DeliveryId,
  attempts: Schema.Int,
  messageId: MessageId,
  subject: MessageSubject,
  accountId: AccountId,
  channel: DeliveryChannel,
  destination: Schema.String,
  /** The text stored with the message when it was written (a moderation notice), if any. */
  body: Schema.optionalWith(Schema.Option(Schema.String), { default: () => Option.none() })
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
      channel: DeliveryChannel,
      limit: number,
      now: DateTime.Utc,
      leaseUntil: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<ClaimedDelivery>>
    /**
     * Extends the lease of the claims still `sending` under this claim until `leaseUntil`; returns the
     * ids it extended. A row already recorded, or taken back by another worker after its lease ended,
     * is left alone and missing from the result: the caller no longer holds it.
     */
    readonly renew: (
      claims: ReadonlyArray<Claim>,
      leaseUntil: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<DeliveryId>>
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
