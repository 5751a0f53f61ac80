import { Schema } from "effect"

/** Plivo's id of an inbound message: the key that makes its handling happen once, whatever the retries. */
export const MessageUuid = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  Schema.brand("MessageUuid"),
  Schema.annotations({ identifier: "MessageUuid" })
)
export type MessageUuid = typeof MessageUuid.Type

/** The longest inbound text kept (Plivo joins multipart messages up to about 1,600 characters). */
export const INBOUND_TEXT_LIMIT = 4000

/** An SMS as Plivo's inbound webhook gives it, signature already checked. */
export class InboundSms extends Schema.Class<InboundSms>("InboundSms")({
  messageUuid: MessageUuid,
  /** As received (Plivo: international digits without "+"). */
  from: Schema.String.pipe(Schema.maxLength(64)),
  to: Schema.String.pipe(Schema.maxLength(64)),
  text: Schema.String,
  type: Schema.String.pipe(Schema.maxLength(16))
}) {}

/**
 * What became of an inbound SMS: an alert (published or held), refused by the rate rule, a keyword
 * handled, or ignored with the reason (unknown / unverified / suppressed number, inactive account).
 */
export const InboundOutcome = Schema.Literal(
  "alert_published",
  "alert_held",
  "rate_limited",
  "refused",
  "stopped",
  "already_stopped",
  "started",
  "help",
  "empty",
  "unknown_sender",
  "unverified_member",
  "suppressed_sender",
  "inactive_account",
  "invalid_sender",
  "veille"
)
export type InboundOutcome = typeof InboundOutcome.Type

/** Which reply: the kinds limited per number and per day are `join`, and `help`/`started` to non-members. */
export const ReplyKind = Schema.Literal(
  "alert_published",
  "alert_held",
  "rate_limited",
  "stopped",
  "started",
  "help",
  "join",
  "pending",
  "veille"
)
export type ReplyKind = typeof ReplyKind.Type

/**
 * pending (committed with the inbound message) → sending (leased by one sender) → sent, or failed
 * (refused by the provider, or retries exhausted), or cancelled (the number sent STOP meanwhile).
 */
export const ReplyStatus = Schema.Literal("pending", "sending", "sent", "failed", "cancelled")
export type ReplyStatus = typeof ReplyStatus.Type

/**
 * Where an inbound message stands in the inbox: pending (recorded by the webhook, or waiting for a
 * retry) → handling (leased by one worker) → handled (outcome and reply committed), or dead (its
 * handling failed on every attempt; the reason is kept).
 */
export const InboxStatus = Schema.Literal("pending", "handling", "handled", "dead")
export type InboxStatus = typeof InboxStatus.Type
