import { Context } from "effect"
import type { DateTime, Duration, Effect, Option } from "effect"
import type { AlertId } from "../alerts/Alert.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { InboundOutcome, InboundSms, MessageUuid, ReplyKind } from "./InboundSms.js"

/** The reply decided for an inbound message, stored with it before anything is sent. */
export interface PlannedReply {
  readonly kind: ReplyKind
  readonly to: PhoneE164
  readonly text: string
}

/** How an inbound message was settled. */
export interface Settlement {
  readonly outcome: InboundOutcome
  readonly alertId: Option.Option<AlertId>
  readonly reply: Option.Option<PlannedReply>
}

/** A reply claimed for sending. */
export interface ClaimedReply {
  readonly messageUuid: MessageUuid
  readonly to: PhoneE164
  readonly text: string
  readonly attempts: number
}

/**
 * Inbound SMS and their replies (one table, one row per Plivo MessageUUID). `claim` inserts the
 * message once: the caller that gets `true` handles it, every retry of Plivo gets `false`. A reply is
 * stored `pending` in the same transaction as the outcome, then claimed under a lease, sent, and
 * marked: a process that dies between commit and send leaves it pending or leased, and the next
 * sweep takes it back. Replies to a number suppressed meanwhile are cancelled, except the STOP
 * confirmation itself.
 */
export class InboundSmsRepo extends Context.Tag("@vigie/domain/InboundSmsRepo")<
  InboundSmsRepo,
  {
    readonly claim: (sms: InboundSms, now: DateTime.Utc) => Effect.Effect<boolean>
    readonly settle: (messageUuid: MessageUuid, settlement: Settlement) => Effect.Effect<void>
    /**
     * Whether a throttled reply of this kind may go to this number now: true at most once per
     * `window` per (number, kind), decided atomically (concurrent messages cannot both get true).
     */
    readonly allowReply: (phone: PhoneE164, kind: ReplyKind, now: DateTime.Utc, window: Duration.Duration) => Effect.Effect<boolean>
    /** How many distinct people an alert's deliveries go to, whatever the channels. */
    readonly neighboursAlerted: (alertId: AlertId) => Effect.Effect<number>
    /**
     * Leases due replies (pending and due, or sending with an expired lease), at most `limit`, or only
     * the one of `messageUuid` when given. Replies whose number is now suppressed are cancelled instead.
     */
    readonly claimReplies: (options: {
      readonly now: DateTime.Utc
      readonly lease: Duration.Duration
      readonly limit: number
      readonly messageUuid?: MessageUuid
    }) => Effect.Effect<ReadonlyArray<ClaimedReply>>
    readonly markReplySent: (messageUuid: MessageUuid, providerId: string, now: DateTime.Utc) => Effect.Effect<void>
    /** Records a failed attempt: retried at `retryAt`, or failed for good when none. */
    readonly markReplyFailed: (
      messageUuid: MessageUuid,
      error: string,
      now: DateTime.Utc,
      retryAt: Option.Option<DateTime.Utc>
    ) => Effect.Effect<void>
  }
>() {}
