import { Schema } from "effect"
import { UploadId } from "../media/Upload.js"
import { AccountId } from "../shared/Ids.js"

/** One conversation: one-to-one or a group (issue 16, item 3). */
export const ConversationId = Schema.UUID.pipe(Schema.brand("ConversationId"))
export type ConversationId = typeof ConversationId.Type

/** One message of a conversation: its position, growing with time across the whole platform. */
export const MessageId = Schema.Int.pipe(Schema.positive(), Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

/** A report of a message to the moderators. */
export const MessageReportId = Schema.UUID.pipe(Schema.brand("MessageReportId"))
export type MessageReportId = typeof MessageReportId.Type

/** One-to-one (at most one per pair of members, reused) or a group of up to 50 people. */
export const ConversationKind = Schema.Literal("direct", "group")
export type ConversationKind = typeof ConversationKind.Type

/** Where a conversation was started from: a member (the annuaire), an alert or a Gazette post. */
export const ConversationOrigin = Schema.Literal("member", "alert", "gazette")
export type ConversationOrigin = typeof ConversationOrigin.Type

/** Whom a new conversation is with: members by id (the annuaire), or the author of an alert or a post. */
export const Recipients = Schema.Union(
  Schema.TaggedStruct("Members", { accountIds: Schema.Array(AccountId).pipe(Schema.maxItems(100)) }),
  Schema.TaggedStruct("AlertAuthor", { alertId: Schema.UUID }),
  Schema.TaggedStruct("PostAuthor", { postId: Schema.UUID })
)
export type Recipients = typeof Recipients.Type

/**
 * One message as a member of its conversation receives it: the author's display name ("Chloé M.",
 * "Ancien membre" once erased), whether it is the reader's own, never an account id. `body` is null
 * once removed (its author's account erased: "Message supprimé"). `linksClickable` is false for a
 * member of less than 7 days (their links are shown as plain text).
 */
export class MessageView extends Schema.Class<MessageView>("MessageView")({
  id: MessageId,
  authorName: Schema.String,
  mine: Schema.Boolean,
  body: Schema.NullOr(Schema.String),
  photos: Schema.Array(UploadId),
  linksClickable: Schema.Boolean,
  sentAt: Schema.DateTimeUtc
}) {}

/**
 * Another member of a conversation: their name, how far they have read (their read mark) and, in a
 * one-to-one conversation only, their account (what « Bloquer » names: the one who already writes to
 * the reader; null in groups) and whether the reader blocked them (false in groups).
 */
export class ParticipantView extends Schema.Class<ParticipantView>("ParticipantView")({
  accountId: Schema.NullOr(AccountId),
  name: Schema.String,
  lastReadId: Schema.Int,
  blockedByMe: Schema.Boolean
}) {}

/**
 * A conversation as one of its members sees it: the others (names and read marks), a page of
 * messages oldest first (the latest 50, or those before a cursor), and the cursor to older ones.
 */
export class ConversationView extends Schema.Class<ConversationView>("ConversationView")({
  id: ConversationId,
  kind: ConversationKind,
  others: Schema.Array(ParticipantView),
  messages: Schema.Array(MessageView),
  olderBefore: Schema.NullOr(MessageId),
  unread: Schema.NonNegativeInt
}) {}

/** A line of a member's list of conversations: with whom, when it last moved, how many unread. */
export class ConversationSummary extends Schema.Class<ConversationSummary>("ConversationSummary")({
  id: ConversationId,
  kind: ConversationKind,
  names: Schema.Array(Schema.String),
  lastMessageAt: Schema.DateTimeUtc,
  unread: Schema.NonNegativeInt
}) {}

/** A page of a member's conversations, latest activity first, and the cursor to the next page. */
export class ConversationPage extends Schema.Class<ConversationPage>("ConversationPage")({
  conversations: Schema.Array(ConversationSummary),
  nextBefore: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/** The messages of others a member has not read yet, over all their conversations. */
export class UnreadCount extends Schema.Class<UnreadCount>("UnreadCount")({
  messages: Schema.NonNegativeInt,
  conversations: Schema.NonNegativeInt
}) {}

/** Who a new conversation would be with, as the starter may see them (display names only). */
export class ConversationPreview extends Schema.Class<ConversationPreview>("ConversationPreview")({
  names: Schema.Array(Schema.String),
  existing: Schema.NullOr(ConversationId)
}) {}

/** A message sent: its conversation (new or reused) and the message as its author sees it. */
export class SentMessage extends Schema.Class<SentMessage>("SentMessage")({
  conversationId: ConversationId,
  message: MessageView
}) {}

/** The member's choice about e-mails for messages left unread 15 minutes. */
export class MessagingPreferences extends Schema.Class<MessagingPreferences>("MessagingPreferences")({
  emailWhenUnread: Schema.Boolean
}) {}
