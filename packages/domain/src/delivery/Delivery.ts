import { Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { DeliveryChannel } from "./NotificationPreferences.js"

export const MessageId = Schema.UUID.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

/**
 * A delivery's id: a database sequence number, as a decimal string (PostgreSQL bigint). Sequential ids
 * keep the primary-key index append-only, which matters when one town alert writes 500,000 rows.
 */
export const DeliveryId = Schema.String.pipe(
  Schema.pattern(/^[1-9][0-9]{0,18}$/),
  Schema.brand("DeliveryId"),
  Schema.annotations({ identifier: "DeliveryId" })
)
export type DeliveryId = typeof DeliveryId.Type

/**
 * What a message is about, named by the context that sends it: `kind` is that context's word for the
 * message ("alert", "followup", "closing", "bulletin", "notice" ...) and `id` the subject's id there
 * (an alert, a bulletin, a moderation decision). The engine plans, claims and sends without reading
 * either; the texts come from the renderer registered for the kind (SubjectTexts).
 */
export const MessageSubject = Schema.Struct({ kind: Schema.NonEmptyString, id: Schema.String })
export type MessageSubject = typeof MessageSubject.Type

/**
 * pending → sending (leased by a worker) → sent (provider accepted) → delivered (receipt), or
 * failed (the provider reported it undeliverable) or dead (retries exhausted), or cancelled (its
 * recipient erased their account before it went out), or withheld (its alert was hidden by
 * moderation before it went out; a restore makes it pending again). Never dropped.
 */
export const DeliveryStatus = Schema.Literal(
  "pending",
  "sending",
  "sent",
  "delivered",
  "failed",
  "dead",
  "cancelled",
  "withheld"
)
export type DeliveryStatus = typeof DeliveryStatus.Type

/** One message to one person on one channel. Unique on (message, account, channel). */
export class Delivery extends Schema.Class<Delivery>("Delivery")({
  id: DeliveryId,
  messageId: MessageId,
  /** What the message is about. */
  subject: MessageSubject,
  accountId: AccountId,
  channel: DeliveryChannel,
  destination: Schema.String,
  status: DeliveryStatus,
  attempts: Schema.NonNegativeInt,
  nextAttemptAt: Schema.DateTimeUtc,
  leaseExpiresAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  providerId: Schema.OptionFromNullOr(Schema.String),
  lastError: Schema.OptionFromNullOr(Schema.String),
  createdAt: Schema.DateTimeUtc
}) {}

/** Statuses after which a delivery never moves again by a worker. */
export const isTerminal = (status: DeliveryStatus): boolean =>
  status === "delivered" || status === "failed" || status === "dead" || status === "cancelled"
