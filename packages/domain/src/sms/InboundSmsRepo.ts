import { Context } from "effect"
import type { DateTime, Duration, Effect, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import type { Membership } from "../membership/Membership.js"
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

/** A throttled reply: recorded only when none of its kind went to its number within `window` before `now`. */
export interface ReplyThrottle {
  readonly now: DateTime.Utc
  readonly window: Duration.Duration
}

/** What the gateway needs to know about the number that sent a message, read when the message is claimed. */
export interface SenderFacts {
  /** The number sent STOP (or is suppressed otherwise). */
  readonly suppressed: boolean
  /** The account holding this number, whatever its status and verification. */
  readonly account: Option.Option<Account>
  /** That account's memberships, home first then oldest. */
  readonly memberships: ReadonlyArray<Membership>
}

/** A reply the provider accepted. */
export interface SentReply {
  readonly messageUuid: MessageUuid
  readonly providerId: string
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
    /** The facts about a number, read without claiming anything. */
    readonly senderFacts: (phone: PhoneE164) => Effect.Effect<SenderFacts>
    /**
     * Claims and settles a message in one statement (an adapter may record several messages waiting
     * at once in one statement, each as if alone), for outcomes that write nothing else: none when
     * the message was already claimed (nothing written then), otherwise whether the reply was recorded
     * (a throttled one only when allowed, as in `settle`).
     */
    readonly record: (
      sms: InboundSms,
      now: DateTime.Utc,
      settlement: Settlement,
      throttle?: ReplyThrottle
    ) => Effect.Effect<Option.Option<boolean>>
    /**
     * `claim`, and in the same statement the facts about the sender's number (none when it is not a
     * phone number): none when the message was already claimed.
     */
    readonly claimFrom: (
      sms: InboundSms,
      now: DateTime.Utc,
      phone: Option.Option<PhoneE164>
    ) => Effect.Effect<Option.Option<SenderFacts>>
    /**
     * Records the outcome and the reply. With a throttle, the reply is recorded only when no reply of
     * its kind went to its number within the window, decided atomically (concurrent messages cannot
     * both get one). Returns whether a reply was recorded.
     */
    readonly settle: (messageUuid: MessageUuid, settlement: Settlement, throttle?: ReplyThrottle) => Effect.Effect<boolean>
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
    /** Marks replies sent, in one statement. */
    readonly markRepliesSent: (sent: ReadonlyArray<SentReply>, now: DateTime.Utc) => Effect.Effect<void>
    /** Records a failed attempt: retried at `retryAt`, or failed for good when none. */
    readonly markReplyFailed: (
      messageUuid: MessageUuid,
      error: string,
      now: DateTime.Utc,
      retryAt: Option.Option<DateTime.Utc>
    ) => Effect.Effect<void>
  }
>() {}
