import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountStatus } from "../accounts/Account.js"
import type { UploadId } from "../media/Upload.js"
import type { HideReason } from "../moderation/HideReason.js"
import type { AccountId } from "../shared/Ids.js"
import type {
  ConversationId,
  ConversationKind,
  ConversationOrigin,
  MessageId,
  MessageReportId
} from "./Conversation.js"

/** A person as messaging names them: their names and status (an erased one reads "Ancien membre"). */
export interface PersonRow {
  readonly accountId: AccountId
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
}

/** The actor's own place in a conversation they belong to now. */
export interface MemberRow {
  readonly conversationId: ConversationId
  readonly kind: ConversationKind
  readonly dataKey: Uint8Array
  readonly lastReadId: number
  readonly unread: number
}

/** One stored message: its body still sealed (null once removed). */
export interface MessageRow {
  readonly id: MessageId
  readonly conversationId: ConversationId
  readonly author: PersonRow & { readonly createdAt: DateTime.Utc }
  readonly body: Uint8Array | null
  readonly photos: ReadonlyArray<UploadId>
  readonly sentAt: DateTime.Utc
}

/** What `open` reads of a conversation: the reader's place, the members, a page newest first. */
export interface OpenedConversation {
  readonly me: MemberRow
  readonly members: ReadonlyArray<
    PersonRow & { readonly lastReadId: number; readonly blockedByReader: boolean }
  >
  readonly messages: ReadonlyArray<MessageRow>
}

export interface NewConversation {
  readonly kind: ConversationKind
  readonly directKey: string | null
  readonly origin: ConversationOrigin
  readonly startedBy: AccountId
  readonly dataKey: Uint8Array
  readonly members: ReadonlyArray<AccountId>
  readonly at: DateTime.Utc
}

export interface SummaryRow {
  readonly conversationId: ConversationId
  readonly kind: ConversationKind
  readonly others: ReadonlyArray<PersonRow>
  readonly lastMessageAt: DateTime.Utc
  readonly unread: number
}

export interface ReportRow {
  readonly id: MessageReportId
  readonly messageId: MessageId
  readonly conversationId: ConversationId
  readonly reason: HideReason
  readonly note: string | null
  readonly createdAt: DateTime.Utc
  readonly authorId: AccountId
}

/** A member's conversation whose unread e-mail is due. */
export interface DueEmail {
  readonly conversationId: ConversationId
  readonly accountId: AccountId
  readonly unread: number
}

/** What the GDPR export keeps of one conversation: its key (to open the bodies) and its messages. */
export interface ExportedConversation {
  readonly conversationId: ConversationId
  readonly kind: ConversationKind
  readonly dataKey: Uint8Array
  readonly others: ReadonlyArray<PersonRow>
  readonly messages: ReadonlyArray<MessageRow>
}

/**
 * Persistence of the messagerie (tables conversations, conversation_members, conversation_messages,
 * conversation_attachments, conversation_reports). Bodies come in and go out sealed: the repository
 * never sees a message's text. The writes of one message (`insertMessage`) are meant to run in the
 * caller's transaction.
 */
export class MessagingRepo extends Context.Tag("@vigie/domain/MessagingRepo")<
  MessagingRepo,
  {
    /** Whether the account is a verified member of at least one quartier. */
    readonly isVerifiedMember: (accountId: AccountId) => Effect.Effect<boolean>
    /**
     * Among `candidates`, those `writer` may write to: active accounts, verified members of a quartier
     * where the writer is verified too, with no block between them either way. The block part is the
     * rule of membership/MemberBlocks (`eitherBlocks`), asked inside this one set-based statement
     * (member_blocks joined with memberships) rather than pair by pair; `open` likewise asks whether the
     * reader blocked each member; every other block question of the messagerie goes through MemberBlocks
     * itself.
     */
    readonly reachable: (
      writer: AccountId,
      candidates: ReadonlyArray<AccountId>
    ) => Effect.Effect<ReadonlyArray<PersonRow>>
    readonly findDirect: (directKey: string) => Effect.Effect<Option.Option<ConversationId>>
    /** Creates it with its members; none when a one-to-one of the same pair was created meanwhile. */
    readonly create: (conversation: NewConversation) => Effect.Effect<Option.Option<ConversationId>>
    /** Brings back members who left (a one-to-one started again). */
    readonly rejoin: (
      conversationId: ConversationId,
      accountIds: ReadonlyArray<AccountId>,
      at: DateTime.Utc
    ) => Effect.Effect<void>
    /** The account's place in the conversation, when it belongs to it now. */
    readonly member: (conversationId: ConversationId, accountId: AccountId) => Effect.Effect<Option.Option<MemberRow>>
    /**
     * A conversation as its member `accountId` opens it, in one statement: their place in it, the
     * current members (with their read marks, and whether `accountId` blocked each of them) and a
     * page: the `limit` latest messages before `before` (all when none), newest first. None when the
     * account does not belong to the conversation now.
     */
    readonly open: (
      conversationId: ConversationId,
      accountId: AccountId,
      before: Option.Option<MessageId>,
      limit: number
    ) => Effect.Effect<Option.Option<OpenedConversation>>
    /** The current members with their read marks. */
    readonly members: (
      conversationId: ConversationId
    ) => Effect.Effect<ReadonlyArray<PersonRow & { readonly lastReadId: number }>>
    /**
     * Writes a message (and its photos), moves the conversation and its current members' lists, and
     * counts it unread for the others. Run it in a transaction.
     */
    readonly insertMessage: (message: {
      readonly conversationId: ConversationId
      readonly authorId: AccountId
      readonly body: Uint8Array
      readonly photos: ReadonlyArray<UploadId>
      readonly at: DateTime.Utc
    }) => Effect.Effect<MessageId>
    /** Moves the member's read mark up to `upTo` (never back) and answers the messages of others still after it. */
    readonly markRead: (conversationId: ConversationId, accountId: AccountId, upTo: MessageId) => Effect.Effect<number>
    readonly unreadTotal: (
      accountId: AccountId
    ) => Effect.Effect<{ readonly messages: number; readonly conversations: number }>
    /** The member's conversations, latest activity first, before `before` when given. */
    readonly list: (
      accountId: AccountId,
      before: Option.Option<DateTime.Utc>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<SummaryRow>>
    readonly leave: (conversationId: ConversationId, accountId: AccountId, at: DateTime.Utc) => Effect.Effect<void>
    readonly findMessage: (
      messageId: MessageId
    ) => Effect.Effect<Option.Option<{ readonly conversationId: ConversationId; readonly authorId: AccountId }>>
    readonly insertReport: (report: {
      readonly messageId: MessageId
      readonly conversationId: ConversationId
      readonly reporterId: AccountId
      readonly reason: HideReason
      readonly note: string | null
      readonly at: DateTime.Utc
    }) => Effect.Effect<void>
    readonly openReports: (limit: number) => Effect.Effect<ReadonlyArray<ReportRow>>
    readonly findOpenReport: (reportId: MessageReportId) => Effect.Effect<Option.Option<ReportRow>>
    /** The conversation's key. */
    readonly dataKey: (conversationId: ConversationId) => Effect.Effect<Uint8Array>
    /** `each` messages before `messageId`, the message, and `each` after, oldest first. */
    readonly around: (
      conversationId: ConversationId,
      messageId: MessageId,
      each: number
    ) => Effect.Effect<ReadonlyArray<MessageRow>>
    readonly closeReport: (reportId: MessageReportId, by: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Whether the account is a current member of a conversation holding this upload. */
    readonly holdsUpload: (accountId: AccountId, uploadId: UploadId) => Effect.Effect<boolean>
    /**
     * The unread e-mails due at `now`, at most `limit`, each marked as sent in the same statement
     * (so that two processes never both send one). Members who turned the e-mails off are skipped.
     */
    readonly takeDueEmails: (
      now: DateTime.Utc,
      unreadSince: DateTime.Utc,
      emailedBefore: DateTime.Utc,
      limit: number
    ) => Effect.Effect<ReadonlyArray<DueEmail>>
    /** Deletes conversations without a message since `before`, at most `limit`: how many. */
    readonly deleteInactive: (before: DateTime.Utc, limit: number) => Effect.Effect<number>
    readonly exportOf: (accountId: AccountId) => Effect.Effect<ReadonlyArray<ExportedConversation>>
    readonly emailWhenUnread: (accountId: AccountId) => Effect.Effect<boolean>
    readonly setEmailWhenUnread: (accountId: AccountId, on: boolean) => Effect.Effect<void>
  }
>() {}
