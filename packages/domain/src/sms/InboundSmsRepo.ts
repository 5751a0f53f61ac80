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

/** A message to record in the inbox: as received (cleaned), and its sender's key (the number in E.164 when it is one). */
export interface InboxEntry {
  readonly sms: InboundSms
  readonly sender: string
}

/** A message a worker claimed: its handling belongs to this claim (this attempt) until the lease ends. */
export interface InboxClaim {
  readonly sms: InboundSms
  readonly attempts: number
}

/**
 * Inbound SMS and their replies (one table, one row per Plivo MessageUUID). The webhook `record`s a
 * message once (every retry of Plivo gets `false`); workers `claimInbox` recorded messages under a
 * lease (a sender's oldest unhandled one only, see InboxPolicy) and settle each: outcome and reply
 * are written with the message marked handled, in the transaction of whatever else it did (alert,
 * suppression), and only while the claim is still the worker's. A reply is stored `pending`, then
 * claimed under a lease, sent, and marked: a process that dies between commit and send leaves it
 * pending or leased, and the next sweep takes it back. Replies to a number suppressed meanwhile are
 * cancelled, except the STOP confirmation itself.
 */
export class InboundSmsRepo extends Context.Tag("@vigie/domain/InboundSmsRepo")<
  InboundSmsRepo,
  {
    /**
     * Records a message in the inbox, pending, unless its MessageUUID is already there; whether it
     * was new. An adapter may record several messages waiting at once in one statement, each as if
     * alone (one that the table refuses cannot fail the others).
     */
    readonly record: (entry: InboxEntry, now: DateTime.Utc) => Effect.Effect<boolean>
    /**
     * Claims due messages, at most `limit`, each the oldest unhandled message of its sender and held
     * by no live lease (pending and due, or handling with an expired lease): handling, attempts + 1,
     * leased until `now + lease`.
     */
    readonly claimInbox: (options: {
      readonly now: DateTime.Utc
      readonly lease: Duration.Duration
      readonly limit: number
    }) => Effect.Effect<ReadonlyArray<InboxClaim>>
    /** The facts about a number, read without claiming anything. */
    readonly senderFacts: (phone: PhoneE164) => Effect.Effect<SenderFacts>
    /**
     * Inside a transaction: locks the claimed message until the commit and reads the facts about the
     * sender's number in the same statement; none when the claim is no longer this one (its lease
     * ended and another worker took it back).
     */
    readonly lockClaim: (claim: InboxClaim, phone: PhoneE164) => Effect.Effect<Option.Option<SenderFacts>>
    /**
     * Records the outcome and the reply, and marks the message handled, when the claim is still this
     * one (none otherwise, nothing written). With a throttle, the reply is recorded only when no
     * reply of its kind went to its number within the window, decided atomically (concurrent
     * messages cannot both get one). Returns whether a reply was recorded. Joins the caller's
     * transaction.
     */
    readonly settle: (
      claim: InboxClaim,
      settlement: Settlement,
      throttle?: ReplyThrottle
    ) => Effect.Effect<Option.Option<boolean>>
    /**
     * `settle` for outcomes that write nothing else, outside any transaction: an adapter may settle
     * several waiting messages in one statement, each as if alone.
     */
    readonly settleQueued: (
      claim: InboxClaim,
      settlement: Settlement,
      throttle?: ReplyThrottle
    ) => Effect.Effect<Option.Option<boolean>>
    /**
     * A failed handling of this claim: pending again, due at `retryAt`, or dead when none; the reason
     * is kept. Nothing when the claim is no longer this one.
     */
    readonly markInboxFailed: (
      claim: InboxClaim,
      error: string,
      retryAt: Option.Option<DateTime.Utc>
    ) => Effect.Effect<void>
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
