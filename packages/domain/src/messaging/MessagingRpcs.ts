import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { AlertNotFound } from "../alerts/AlertErrors.js"
import { UploadUnavailable } from "../media/MediaErrors.js"
import { UploadId } from "../media/Upload.js"
import { HideReason } from "../moderation/HideReason.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import {
  ConversationId,
  ConversationPage,
  ConversationPreview,
  ConversationView,
  MessageId,
  MessageReportId,
  MessagingPreferences,
  Recipients,
  SentMessage,
  UnreadCount
} from "./Conversation.js"
import { MessageReportSummary, ReportedContext, ReportNote } from "./MessageReport.js"
import {
  ConversationNotFound,
  InvalidMessage,
  InvalidParticipants,
  MessageNotFound,
  MessageReportNotFound,
  MessagingRateLimited,
  RecipientUnavailable
} from "./MessagingErrors.js"

const acting = [Unauthenticated, AccountSuspended, InvalidRequest] as const
/** A message's text as sent: trimmed and checked by the policy (at most 4,000 characters once trimmed). */
const Text = Schema.String.pipe(Schema.maxLength(20_000))
const Photos = Schema.Array(UploadId).pipe(Schema.maxItems(10))
const recipientErrors = [Forbidden, RecipientUnavailable, InvalidParticipants, AlertNotFound] as const

/**
 * Who a new conversation would be with, by display name, and the one-to-one that already exists with
 * them: from members (the annuaire's link), or the author of an alert or a Gazette post the actor may
 * read, whose id never reaches the client. The actor must be a verified member; every recipient a
 * verified member sharing a quartier with them, not blocked either way (RecipientUnavailable for all
 * refusals alike).
 */
export const PreviewConversation = Rpc.make("PreviewConversation", {
  payload: Schema.Struct({ to: Recipients }),
  success: ConversationPreview,
  error: Schema.Union(...acting, ...recipientErrors)
})

/**
 * Write to members, or to an author: a one-to-one conversation that exists is reused; otherwise a new
 * one (a group beyond one recipient, at most 50 people). A member of less than 7 days starts at most 5
 * conversations a day. Photos are uploads of the actor (UploadFile), not yet used.
 */
export const StartConversation = Rpc.make("StartConversation", {
  payload: Schema.Struct({ to: Recipients, text: Text, photos: Schema.optionalWith(Photos, { default: () => [] }) }),
  success: SentMessage,
  error: Schema.Union(...acting, ...recipientErrors, InvalidMessage, MessagingRateLimited, UploadUnavailable)
})

/** Write in a conversation I belong to; refused alike when a block stands between me and another member. */
export const SendMessage = Rpc.make("SendMessage", {
  payload: Schema.Struct({
    conversationId: ConversationId,
    text: Text,
    photos: Schema.optionalWith(Photos, { default: () => [] })
  }),
  success: SentMessage,
  error: Schema.Union(
    ...acting,
    ConversationNotFound,
    RecipientUnavailable,
    InvalidMessage,
    MessagingRateLimited,
    UploadUnavailable
  )
})

/** My conversations, latest activity first, 30 a page (`before`: the previous page's cursor). */
export const ListConversations = Rpc.make("ListConversations", {
  payload: Schema.Struct({ before: Schema.optional(Schema.DateTimeUtc) }),
  success: ConversationPage,
  error: Schema.Union(...acting)
})

/** A conversation I belong to: its latest 50 messages, or the 50 before `before`, and the others' read marks. */
export const GetConversation = Rpc.make("GetConversation", {
  payload: Schema.Struct({ conversationId: ConversationId, before: Schema.optional(MessageId) }),
  success: ConversationView,
  error: Schema.Union(...acting, ConversationNotFound)
})

/** I have read up to `upTo`: my read mark moves (never back). Answers my unread count. */
export const MarkConversationRead = Rpc.make("MarkConversationRead", {
  payload: Schema.Struct({ conversationId: ConversationId, upTo: MessageId }),
  success: UnreadCount,
  error: Schema.Union(...acting, ConversationNotFound)
})

/** The messages of others I have not read, over all my conversations (the navigation's badge). */
export const CountUnreadMessages = Rpc.make("CountUnreadMessages", {
  payload: Schema.Struct({}),
  success: UnreadCount,
  error: Schema.Union(...acting)
})

/** Leave a conversation: it leaves my list and I receive nothing more of it. */
export const LeaveConversation = Rpc.make("LeaveConversation", {
  payload: Schema.Struct({ conversationId: ConversationId }),
  success: Schema.Void,
  error: Schema.Union(...acting, ConversationNotFound)
})

/**
 * Report a message of another member of my conversation to the moderators, who will read it with the
 * ten around it, and nothing else (again: nothing changes).
 */
export const ReportMessage = Rpc.make("ReportMessage", {
  payload: Schema.Struct({ messageId: MessageId, reason: HideReason, note: ReportNote }),
  success: Schema.Void,
  error: Schema.Union(...acting, MessageNotFound, MessagingRateLimited)
})

/** Moderators: the open reports of messages, oldest first, without their content. */
export const ListMessageReports = Rpc.make("ListMessageReports", {
  payload: Schema.Struct({}),
  success: Schema.Array(MessageReportSummary),
  error: Schema.Union(...acting, Forbidden)
})

/** Moderators: read a reported message and the ten around it; the reading is written to the audit log. */
export const ReadMessageReport = Rpc.make("ReadMessageReport", {
  payload: Schema.Struct({ reportId: MessageReportId }),
  success: ReportedContext,
  error: Schema.Union(...acting, Forbidden, MessageReportNotFound)
})

/** Moderators: close a report (after acting on the account through the usual sanctions, or not). */
export const CloseMessageReport = Rpc.make("CloseMessageReport", {
  payload: Schema.Struct({ reportId: MessageReportId, note: ReportNote }),
  success: Schema.Void,
  error: Schema.Union(...acting, Forbidden, MessageReportNotFound)
})

/** Whether I receive an e-mail when a message waits unread 15 minutes (at most one per conversation a day). */
export const GetMessagingPreferences = Rpc.make("GetMessagingPreferences", {
  payload: Schema.Struct({}),
  success: MessagingPreferences,
  error: Schema.Union(...acting)
})

export const UpdateMessagingPreferences = Rpc.make("UpdateMessagingPreferences", {
  payload: MessagingPreferences,
  success: MessagingPreferences,
  error: Schema.Union(...acting)
})

/** The messagerie: private conversations between neighbours, and the moderators' reading of reports. */
export class MessagingRpcs extends RpcGroup.make(
  PreviewConversation,
  StartConversation,
  SendMessage,
  ListConversations,
  GetConversation,
  MarkConversationRead,
  CountUnreadMessages,
  LeaveConversation,
  ReportMessage,
  ListMessageReports,
  ReadMessageReport,
  CloseMessageReport,
  GetMessagingPreferences,
  UpdateMessagingPreferences
).middleware(Authentication) {}
