import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { MessageId, MessageSubject } from "./Delivery.js"
import type { Audience, Priority } from "./FanOut.js"
import type { DeliveryChannel } from "./NotificationPreferences.js"

/** Deliveries per channel. */
export interface ChannelCounts {
  readonly sms: number
  readonly email: number
}

/**
 * What `count` foresees for a message: its deliveries per channel, and the voice calls `fanOut` would
 * place with the voice channel (urgent messages only, to those who chose it: 0 otherwise).
 */
export interface AudienceCounts extends ChannelCounts {
  readonly voice: number
}

/** What a planning wrote: the message and how many deliveries per channel. */
export interface PlannedMessage extends ChannelCounts {
  readonly messageId: MessageId
}

/** A message to an audience, as fan-out plans it: who wrote it (never a recipient), for whom, how urgent. */
export interface AudienceMessage {
  readonly authorId: AccountId
  readonly audience: Audience
  readonly priority: Priority
}

/**
 * The delivery table as the contexts that send messages see it: the transactional outbox. Each
 * method plans a message's deliveries set-based, in as few statements as the work allows, inside the
 * caller's transaction (a use case calls it in the same `Transactor.transaction` as the write the
 * message comes from, and wakes the workers once it committed). Which message to send, and when, is
 * the caller's decision; the outbox only knows subjects (`MessageSubject`) and audiences.
 */
export class Outbox extends Context.Tag("@vigie/domain/Outbox")<
  Outbox,
  {
    /**
     * The message of `subject` (written once, found afterwards) and its deliveries to `message`'s
     * audience by exactly the rules of the pure `recipients` (FanOut.ts), on `channels` (every one when
     * absent). Idempotent: deliveries that exist are kept, only the missing ones are added.
     */
    readonly fanOut: (
      subject: MessageSubject,
      message: AudienceMessage,
      now: DateTime.Utc,
      channels?: ReadonlyArray<DeliveryChannel>
    ) => Effect.Effect<PlannedMessage>
    /**
     * How many deliveries per channel `fanOut` would plan now for such a message (voice calls
     * included, by the same rules), writing nothing (a preview).
     */
    readonly count: (message: AudienceMessage, now: DateTime.Utc) => Effect.Effect<AudienceCounts>
    /**
     * A message of `subject` to the recipients of the earlier message of `from`, in one statement:
     * same accounts, channels and destinations as `from`'s deliveries that did not end failed or dead,
     * minus the accounts of `excluded` and SMS to numbers suppressed since (STOP); a delivery still
     * waiting for quiet hours keeps its time, so the new message never overtakes the first. Written
     * only when someone is to receive it and no such message exists: none otherwise.
     */
    readonly copyRecipients: (
      from: MessageSubject,
      subject: MessageSubject,
      excluded: ReadonlyArray<AccountId>,
      now: DateTime.Utc
    ) => Effect.Effect<Option.Option<PlannedMessage>>
    /**
     * The message of `subject` to the accounts of `recipients` (active ones, once each), on the
     * channels their preferences allow for `priority`, with the addresses fan-out would use. For
     * messages whose recipients the sender chose (référents of a bulletin).
     */
    readonly direct: (
      subject: MessageSubject,
      recipients: ReadonlyArray<AccountId>,
      priority: Priority,
      now: DateTime.Utc
    ) => Effect.Effect<PlannedMessage>
  }
>() {}
