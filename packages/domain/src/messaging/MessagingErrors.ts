import { Schema } from "effect"
import { ConversationId, MessageId, MessageReportId } from "./Conversation.js"

/** No such conversation, or one the actor is not (or no longer) a member of: the same answer. */
export class ConversationNotFound extends Schema.TaggedError<ConversationNotFound>()("ConversationNotFound", {
  conversationId: ConversationId
}) {}

/** No such message in a conversation the actor belongs to. */
export class MessageNotFound extends Schema.TaggedError<MessageNotFound>()("MessageNotFound", {
  messageId: MessageId
}) {}

/**
 * Someone named cannot be written to: not a verified member sharing a quartier with the writer, an
 * erased or suspended account, the writer themself, an author who cannot be written to (the mairie),
 * or a block between the two. One answer for all, so that nobody learns they are blocked.
 */
export class RecipientUnavailable extends Schema.TaggedError<RecipientUnavailable>()("RecipientUnavailable", {}) {}

/** A message's text, once trimmed, is empty (and no photo) or longer than `maxLength` characters. */
export class InvalidMessage extends Schema.TaggedError<InvalidMessage>()("InvalidMessage", {
  reason: Schema.Literal("empty", "too_long", "too_many_photos"),
  maxLength: Schema.Int
}) {}

/** A conversation holds at most `max` people, its starter included; or names nobody. */
export class InvalidParticipants extends Schema.TaggedError<InvalidParticipants>()("InvalidParticipants", {
  reason: Schema.Literal("none", "too_many"),
  max: Schema.Int
}) {}

/**
 * Too many: new conversations a day for a member of less than 7 days (`what` "conversations"), or
 * messages in a short time (`what` "messages"). Again after `retryAfterSeconds`.
 */
export class MessagingRateLimited extends Schema.TaggedError<MessagingRateLimited>()("MessagingRateLimited", {
  what: Schema.Literal("conversations", "messages", "reports"),
  retryAfterSeconds: Schema.NonNegativeInt
}) {}

/** No such open report. */
export class MessageReportNotFound extends Schema.TaggedError<MessageReportNotFound>()("MessageReportNotFound", {
  reportId: MessageReportId
}) {}
