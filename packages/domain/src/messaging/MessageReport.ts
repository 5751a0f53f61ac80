import { Schema } from "effect"
import { HideReason } from "../moderation/HideReason.js"
import { ConversationId, MessageId, MessageReportId } from "./Conversation.js"

/** Why a member reports a message: the moderators' own reasons, and a short note (at most 500 characters). */
export const ReportNote = Schema.Trim.pipe(Schema.maxLength(500))

/**
 * An open report as the moderators' queue lists it: why and when, never the message itself (reading
 * it is an act of its own, recorded in the audit log: ReadMessageReport).
 */
export class MessageReportSummary extends Schema.Class<MessageReportSummary>("MessageReportSummary")({
  id: MessageReportId,
  reason: HideReason,
  note: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc
}) {}

/** One message of a report's context, for the moderator who reads it. */
export class ReportedLine extends Schema.Class<ReportedLine>("ReportedLine")({
  id: MessageId,
  authorName: Schema.String,
  body: Schema.NullOr(Schema.String),
  sentAt: Schema.DateTimeUtc,
  reported: Schema.Boolean
}) {}

/**
 * A reported message and the ten around it in its conversation (five before, five after), and
 * nothing else of the conversation: what a moderator reads, each time recorded in the audit log.
 */
export class ReportedContext extends Schema.Class<ReportedContext>("ReportedContext")({
  report: MessageReportSummary,
  conversationId: ConversationId,
  lines: Schema.Array(ReportedLine)
}) {}
