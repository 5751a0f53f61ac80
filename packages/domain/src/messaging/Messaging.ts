import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { displayName } from "../accounts/DisplayName.js"
import { Alerts } from "../alerts/Alerts.js"
import type { AlertNotFound } from "../alerts/AlertErrors.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { UploadUnavailable } from "../media/MediaErrors.js"
import type { UploadId } from "../media/Upload.js"
import { UploadRepo } from "../media/UploadRepo.js"
import { eitherBlocks, MemberBlocks } from "../membership/MemberBlocks.js"
import { AuditLogRepo } from "../moderation/AuditLogRepo.js"
import type { HideReason } from "../moderation/HideReason.js"
import { requireModerator } from "../moderation/ModeratedAlerts.js"
import type { AccountId } from "../shared/Ids.js"
import { RateCounters } from "../shared/RateCounters.js"
import { Transactor } from "../shared/Transactor.js"
import {
  type ConversationId,
  ConversationPage,
  ConversationPreview,
  ConversationSummary,
  ConversationView,
  type MessageId,
  type MessageReportId,
  MessageView,
  MessagingPreferences,
  ParticipantView,
  SentMessage,
  UnreadCount
} from "./Conversation.js"
import { MessageCipher } from "./MessageCipher.js"
import { MessageReportSummary, ReportedContext, ReportedLine } from "./MessageReport.js"
import {
  ConversationNotFound,
  type InvalidMessage,
  type InvalidParticipants,
  MessageNotFound,
  MessageReportNotFound,
  MessagingRateLimited,
  RecipientUnavailable
} from "./MessagingErrors.js"
import {
  directKey,
  EMAIL_AFTER,
  EMAIL_INTERVAL,
  INACTIVE_RETENTION,
  isNewMember,
  LIST_SIZE,
  MESSAGE_RATE_WINDOW,
  MESSAGES_PER_WINDOW,
  messageText,
  NEW_CONVERSATION_WINDOW,
  NEW_MEMBER_DAILY_CONVERSATIONS,
  PAGE_SIZE,
  participantsOf,
  REPORT_CONTEXT_EACH_SIDE,
  REPORTS_PER_DAY
} from "./MessagingPolicy.js"
import { type MessageRow, MessagingRepo, type PersonRow } from "./MessagingRepo.js"
import { conversationNoticeBody } from "./MessagingTexts.js"

type Acting = Unauthenticated | AccountSuspended

/** Whom a new conversation is with, once the origin is resolved (an author's id never leaves the server). */
export type Resolved =
  | { readonly origin: "member"; readonly accountIds: ReadonlyArray<AccountId> }
  | { readonly origin: "alert"; readonly accountIds: ReadonlyArray<AccountId> }
  | { readonly origin: "gazette"; readonly accountIds: ReadonlyArray<AccountId> }

/** A conversation's unread e-mails and deletions by the jobs. */
export interface MessagingJobs {
  readonly emailed: number
  readonly deleted: number
}

export type StartFailure =
  | Acting
  | Forbidden
  | RecipientUnavailable
  | InvalidParticipants
  | InvalidMessage
  | MessagingRateLimited
  | UploadUnavailable

/**
 * The messagerie (issue 16, items 3 to 5): private conversations between verified members who share
 * a quartier, one-to-one (reused) or in groups of up to 50. Bodies are sealed with the conversation's
 * own key (MessageCipher) before they reach the repository. A block between two members, either way,
 * refuses every write between them with the answer any unreachable recipient gets. Staff read no
 * message, except a reported one with the ten around it, each reading written to the audit log.
 * Each new message is told live to the conversation's members only (ConversationChanged).
 */
export class Messaging extends Context.Tag("@vigie/domain/Messaging")<
  Messaging,
  {
    /** The author of an alert the actor may read, when they may be written to (not the mairie's, not one's own). */
    readonly alertAuthor: (
      actor: Actor,
      alertId: string
    ) => Effect.Effect<AccountId, Acting | AlertNotFound | RecipientUnavailable>
    readonly preview: (
      actor: Actor,
      to: Resolved
    ) => Effect.Effect<ConversationPreview, Acting | Forbidden | RecipientUnavailable | InvalidParticipants>
    readonly start: (
      actor: Actor,
      to: Resolved,
      text: string,
      photos: ReadonlyArray<UploadId>
    ) => Effect.Effect<SentMessage, StartFailure>
    readonly send: (
      actor: Actor,
      conversationId: ConversationId,
      text: string,
      photos: ReadonlyArray<UploadId>
    ) => Effect.Effect<
      SentMessage,
      Acting | ConversationNotFound | RecipientUnavailable | InvalidMessage | MessagingRateLimited | UploadUnavailable
    >
    readonly list: (actor: Actor, before: Option.Option<DateTime.Utc>) => Effect.Effect<ConversationPage, Acting>
    readonly get: (
      actor: Actor,
      conversationId: ConversationId,
      before: Option.Option<MessageId>
    ) => Effect.Effect<ConversationView, Acting | ConversationNotFound>
    readonly markRead: (
      actor: Actor,
      conversationId: ConversationId,
      upTo: MessageId
    ) => Effect.Effect<UnreadCount, Acting | ConversationNotFound>
    readonly unread: (actor: Actor) => Effect.Effect<UnreadCount, Acting>
    readonly leave: (actor: Actor, conversationId: ConversationId) => Effect.Effect<void, Acting | ConversationNotFound>
    readonly report: (
      actor: Actor,
      messageId: MessageId,
      reason: HideReason,
      note: string
    ) => Effect.Effect<void, Acting | MessageNotFound | MessagingRateLimited>
    readonly reports: (actor: Actor) => Effect.Effect<ReadonlyArray<MessageReportSummary>, Acting | Forbidden>
    readonly readReport: (
      actor: Actor,
      reportId: MessageReportId
    ) => Effect.Effect<ReportedContext, Acting | Forbidden | MessageReportNotFound>
    readonly closeReport: (
      actor: Actor,
      reportId: MessageReportId,
      note: string
    ) => Effect.Effect<void, Acting | Forbidden | MessageReportNotFound>
    readonly preferences: (actor: Actor) => Effect.Effect<MessagingPreferences, Acting>
    readonly setPreferences: (actor: Actor, prefs: MessagingPreferences) => Effect.Effect<MessagingPreferences, Acting>
    /** Whether the actor is a current member of a conversation one of whose messages holds the upload. */
    readonly mayReadUpload: (actor: Actor, uploadId: UploadId) => Effect.Effect<boolean>
    /** The unread e-mails due now, at most `limit`: how many were written. */
    readonly remindUnread: (limit: number) => Effect.Effect<number>
    /** Deletes conversations inactive for 2 years, at most `limit`: how many. */
    readonly purgeInactive: (limit: number) => Effect.Effect<number>
    /** The member's conversations, opened, for the GDPR export. */
    readonly exportOf: (accountId: AccountId) => Effect.Effect<ReadonlyArray<ExportedConversationText>>
  }
>() {}

/** One conversation in a member's GDPR export: with whom, and every message they can still see. */
export interface ExportedConversationText {
  readonly conversationId: string
  readonly kind: string
  readonly with: ReadonlyArray<string>
  readonly messages: ReadonlyArray<{ readonly sentAt: string; readonly author: string; readonly text: string | null }>
}

const nameOf = (p: PersonRow) => displayName(p)

export const make = Effect.gen(function*() {
  const repo = yield* MessagingRepo
  const cipher = yield* MessageCipher
  const counters = yield* RateCounters
  const tx = yield* Transactor
  const live = yield* LiveEvents
  const memberBlocks = yield* MemberBlocks
  const uploads = yield* UploadRepo
  const alerts = yield* Alerts
  const audit = yield* AuditLogRepo
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup

  const requireVerified = (actor: Actor, action: string) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (!(yield* repo.isVerifiedMember(account.id))) return yield* new Forbidden({ action })
      return account
    })

  const opened = (dataKey: Uint8Array, row: MessageRow) =>
    row.body === null ? Effect.succeed(null) : cipher.open(dataKey, row.conversationId, row.body)

  /**
   * The views of the hot reads (the conversation list, a conversation page) are built from our own rows,
   * whose every field was checked when it was written (and whose texts the cipher just opened): checking
   * each field again in every constructor is CPU spent 50 times a page for nothing (bench:messages). The
   * RPC layer still encodes the views with their schemas on the way out.
   */
  const fromRows = { disableValidation: true } as const

  const viewOf = (me: AccountId, dataKey: Uint8Array) => (row: MessageRow) =>
    Effect.map(opened(dataKey, row), (body) =>
      new MessageView({
        id: row.id,
        authorName: nameOf(row.author),
        mine: row.author.accountId === me,
        body,
        photos: body === null ? [] : row.photos,
        linksClickable: !isNewMember(row.author, row.sentAt),
        sentAt: row.sentAt
      }, fromRows))

  const messageBudget = (account: Account) =>
    Effect.flatMap(
      counters.hit(
        [{ key: `messages:${account.id}`, limit: MESSAGES_PER_WINDOW }],
        Duration.toMillis(MESSAGE_RATE_WINDOW)
      ),
      (outcome) =>
        outcome._tag === "Limited"
          ? Effect.fail(new MessagingRateLimited({ what: "messages", retryAfterSeconds: outcome.retryAfterSeconds }))
          : Effect.void
    )

  /** Counted atomically per day: a new member's fifth conversation of the day is their last. */
  const conversationBudget = (account: Account, now: DateTime.Utc) =>
    isNewMember(account, now)
      ? Effect.flatMap(
        counters.hit(
          [{ key: `new_conversations:${account.id}`, limit: NEW_MEMBER_DAILY_CONVERSATIONS }],
          Duration.toMillis(NEW_CONVERSATION_WINDOW)
        ),
        (outcome) =>
          outcome._tag === "Limited"
            ? Effect.fail(
              new MessagingRateLimited({ what: "conversations", retryAfterSeconds: outcome.retryAfterSeconds })
            )
            : Effect.void
      )
      : Effect.void

  /** The others of a new conversation, each one reachable by the starter; otherwise one answer for all. */
  const recipients = (account: Account, to: Resolved) =>
    Effect.gen(function*() {
      if (to.origin !== "member" && to.accountIds.includes(account.id)) return yield* new RecipientUnavailable()
      const others = participantsOf(account.id, to.accountIds)
      if (!Array.isArray(others)) return yield* (others as InvalidParticipants)
      const wanted = others as ReadonlyArray<AccountId>
      const reachable = yield* repo.reachable(account.id, wanted)
      if (reachable.length !== wanted.length) return yield* new RecipientUnavailable()
      // In a group, every pair must be free of blocks too: nobody is put together with whom they blocked.
      if (wanted.length > 1 && (yield* memberBlocks.among(wanted)).length > 0) {
        return yield* new RecipientUnavailable()
      }
      return reachable
    })

  const tell = (conversationId: ConversationId) =>
    Effect.flatMap(
      repo.members(conversationId),
      (members) =>
        live.publish({ _tag: "ConversationChanged", conversationId, accountIds: members.map((m) => m.accountId) })
    )

  const write = (
    account: Account,
    conversationId: ConversationId,
    dataKey: Uint8Array,
    text: string,
    photos: ReadonlyArray<UploadId>,
    at: DateTime.Utc
  ) =>
    Effect.gen(function*() {
      const body = yield* cipher.seal(dataKey, conversationId, text)
      yield* uploads.claim(account.id, photos, "photo", at)
      return yield* repo.insertMessage({ conversationId, authorId: account.id, body, photos, at })
    })

  const sentView = (
    account: Account,
    conversationId: ConversationId,
    id: MessageId,
    text: string,
    photos: ReadonlyArray<UploadId>,
    at: DateTime.Utc
  ) =>
    new SentMessage({
      conversationId,
      message: new MessageView({
        id,
        authorName: displayName(account),
        mine: true,
        body: text,
        photos,
        linksClickable: !isNewMember(account, at),
        sentAt: at
      })
    })

  const preview: Messaging["Type"]["preview"] = (actor, to) =>
    Effect.gen(function*() {
      const account = yield* requireVerified(actor, "start_conversation")
      const others = yield* recipients(account, to)
      const existing = others.length === 1
        ? yield* repo.findDirect(directKey(account.id, others[0]!.accountId))
        : Option.none()
      return new ConversationPreview({ names: others.map(nameOf), existing: Option.getOrNull(existing) })
    }).pipe(Effect.withSpan("Messaging.preview"))

  const start: Messaging["Type"]["start"] = (actor, to, text, photos) =>
    Effect.gen(function*() {
      const account = yield* requireVerified(actor, "start_conversation")
      const checked = messageText(text, photos.length)
      if ("_tag" in checked) return yield* checked
      const others = yield* recipients(account, to)
      const now = yield* DateTime.now
      const ids = others.map((o) => o.accountId)
      const key = ids.length === 1 ? directKey(account.id, ids[0]!) : null
      const existing = key === null ? Option.none() : yield* repo.findDirect(key)
      if (Option.isNone(existing)) yield* conversationBudget(account, now)
      yield* messageBudget(account)
      const newKey = yield* cipher.newKey
      const { conversationId, id } = yield* tx.transaction(Effect.gen(function*() {
        let conversationId: ConversationId
        if (Option.isSome(existing)) {
          conversationId = existing.value
          yield* repo.rejoin(conversationId, [account.id, ...ids], now)
        } else {
          const created = yield* repo.create({
            kind: key === null ? "group" : "direct",
            directKey: key,
            origin: to.origin,
            startedBy: account.id,
            dataKey: newKey,
            members: [account.id, ...ids],
            at: now
          })
          if (Option.isSome(created)) conversationId = created.value
          else {
            // The same pair started theirs a moment ago: join it.
            conversationId = Option.getOrThrow(yield* repo.findDirect(key!))
            yield* repo.rejoin(conversationId, [account.id, ...ids], now)
          }
        }
        const dataKey = yield* repo.dataKey(conversationId)
        const id = yield* write(account, conversationId, dataKey, checked.text, photos, now)
        return { conversationId, id }
      }))
      yield* tell(conversationId)
      return sentView(account, conversationId, id, checked.text, photos, now)
    }).pipe(Effect.withSpan("Messaging.start"))

  const membership = (account: Account, conversationId: ConversationId) =>
    Effect.flatMap(repo.member(conversationId, account.id), (found) =>
      Option.match(found, {
        onNone: () => Effect.fail(new ConversationNotFound({ conversationId })),
        onSome: Effect.succeed
      }))

  const send: Messaging["Type"]["send"] = (actor, conversationId, text, photos) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const me = yield* membership(account, conversationId)
      const checked = messageText(text, photos.length)
      if ("_tag" in checked) return yield* checked
      const others = (yield* repo.members(conversationId)).filter((m) => m.accountId !== account.id)
      if (others.length === 0) return yield* new RecipientUnavailable()
      if (me.kind === "direct") {
        const reachable = yield* repo.reachable(account.id, others.map((o) => o.accountId))
        if (reachable.length !== others.length) return yield* new RecipientUnavailable()
      } else {
        const among = yield* memberBlocks.among([account.id, ...others.map((o) => o.accountId)])
        if (others.some((o) => eitherBlocks(among, account.id, o.accountId))) return yield* new RecipientUnavailable()
      }
      yield* messageBudget(account)
      const now = yield* DateTime.now
      const id = yield* tx.transaction(write(account, conversationId, me.dataKey, checked.text, photos, now))
      yield* tell(conversationId)
      return sentView(account, conversationId, id, checked.text, photos, now)
    }).pipe(Effect.withSpan("Messaging.send"))

  const list: Messaging["Type"]["list"] = (actor, before) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const rows = yield* repo.list(account.id, before, LIST_SIZE)
      return new ConversationPage({
        conversations: rows.map((r) =>
          new ConversationSummary({
            id: r.conversationId,
            kind: r.kind,
            names: r.others.map(nameOf),
            lastMessageAt: r.lastMessageAt,
            unread: r.unread
          }, fromRows)
        ),
        nextBefore: rows.length === LIST_SIZE ? rows[rows.length - 1]!.lastMessageAt : null
      }, fromRows)
    }).pipe(Effect.withSpan("Messaging.list"))

  const get: Messaging["Type"]["get"] = (actor, conversationId, before) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // One statement: my place (none when I do not belong to it now), the members, the page.
      const found = yield* repo.open(conversationId, account.id, before, PAGE_SIZE)
      if (Option.isNone(found)) return yield* new ConversationNotFound({ conversationId })
      const { me, members, messages: rows } = found.value
      const messages = yield* Effect.forEach([...rows].reverse(), viewOf(account.id, me.dataKey))
      const others = members.filter((m) => m.accountId !== account.id)
      return new ConversationView({
        id: conversationId,
        kind: me.kind,
        others: others.map((m) =>
          new ParticipantView({
            accountId: me.kind === "direct" ? m.accountId : null,
            name: nameOf(m),
            lastReadId: m.lastReadId,
            // One-to-one: whether I blocked the other (the page offers « Bloquer » or « Débloquer »).
            blockedByMe: me.kind === "direct" && m.blockedByReader
          }, fromRows)
        ),
        messages,
        olderBefore: rows.length === PAGE_SIZE ? rows[rows.length - 1]!.id : null,
        unread: me.unread
      }, fromRows)
    }).pipe(Effect.withSpan("Messaging.get"))

  const unreadOf = (accountId: AccountId) => Effect.map(repo.unreadTotal(accountId), (u) => new UnreadCount(u))

  const markRead: Messaging["Type"]["markRead"] = (actor, conversationId, upTo) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* membership(account, conversationId)
      yield* tx.transaction(repo.markRead(conversationId, account.id, upTo))
      // The others' pages show "Vu" from the new read mark.
      yield* tell(conversationId)
      return yield* unreadOf(account.id)
    }).pipe(Effect.withSpan("Messaging.markRead"))

  const unread: Messaging["Type"]["unread"] = (actor) =>
    Effect.flatMap(requireAccount(actor), (account) => unreadOf(account.id))

  const leave: Messaging["Type"]["leave"] = (actor, conversationId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* membership(account, conversationId)
      yield* repo.leave(conversationId, account.id, yield* DateTime.now)
      yield* tell(conversationId)
    }).pipe(Effect.withSpan("Messaging.leave"))

  const report: Messaging["Type"]["report"] = (actor, messageId, reason, note) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const found = yield* repo.findMessage(messageId)
      if (Option.isNone(found)) return yield* new MessageNotFound({ messageId })
      const mine = yield* repo.member(found.value.conversationId, account.id)
      if (Option.isNone(mine) || found.value.authorId === account.id) return yield* new MessageNotFound({ messageId })
      const outcome = yield* counters.hit(
        [{ key: `message_reports:${account.id}`, limit: REPORTS_PER_DAY }],
        Duration.toMillis(Duration.days(1))
      )
      if (outcome._tag === "Limited") {
        return yield* new MessagingRateLimited({ what: "reports", retryAfterSeconds: outcome.retryAfterSeconds })
      }
      const trimmed = note.trim()
      yield* repo.insertReport({
        messageId,
        conversationId: found.value.conversationId,
        reporterId: account.id,
        reason,
        note: trimmed === "" ? null : trimmed,
        at: yield* DateTime.now
      })
    }).pipe(Effect.withSpan("Messaging.report"))

  const summaryOf = (r: { id: MessageReportId; reason: HideReason; note: string | null; createdAt: DateTime.Utc }) =>
    new MessageReportSummary({ id: r.id, reason: r.reason, note: r.note, createdAt: r.createdAt })

  const reports: Messaging["Type"]["reports"] = (actor) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "list_message_reports")
      return (yield* repo.openReports(50)).map(summaryOf)
    }).pipe(Effect.withSpan("Messaging.reports"))

  const readReport: Messaging["Type"]["readReport"] = (actor, reportId) =>
    Effect.gen(function*() {
      const moderator = yield* requireModerator(actor, "read_message_report")
      const found = yield* repo.findOpenReport(reportId)
      if (Option.isNone(found)) return yield* new MessageReportNotFound({ reportId })
      const r = found.value
      const dataKey = yield* repo.dataKey(r.conversationId)
      const rows = yield* repo.around(r.conversationId, r.messageId, REPORT_CONTEXT_EACH_SIDE)
      const lines = yield* Effect.forEach(rows, (row) =>
        Effect.map(opened(dataKey, row), (body) =>
          new ReportedLine({ id: row.id, authorName: nameOf(row.author), body, sentAt: row.sentAt,
            reported: row.id === r.messageId })))
      // Every reading is recorded, with what was read (the messages' positions, never their text).
      yield* audit.audit({
        at: yield* DateTime.now,
        actorId: moderator.id,
        actorRole: "moderator",
        action: "read_reported_message",
        targetKind: "message_report",
        targetId: r.id,
        alertId: Option.none(),
        accountId: Option.some(r.authorId),
        communityId: Option.none(),
        reason: Option.some(r.reason),
        note: Option.none(),
        before: Option.none(),
        after: Option.some({ messageIds: rows.map((row) =>
          row.id
        ) })
      })
      return new ReportedContext({ report: summaryOf(r), conversationId: r.conversationId, lines })
    }).pipe(Effect.withSpan("Messaging.readReport"))

  const closeReport: Messaging["Type"]["closeReport"] = (actor, reportId, note) =>
    Effect.gen(function*() {
      const moderator = yield* requireModerator(actor, "close_message_report")
      const found = yield* repo.findOpenReport(reportId)
      if (Option.isNone(found)) return yield* new MessageReportNotFound({ reportId })
      const at = yield* DateTime.now
      yield* tx.transaction(Effect.gen(function*() {
        if (!(yield* repo.closeReport(reportId, moderator.id, at))) {
          return yield* new MessageReportNotFound({ reportId })
        }
        const trimmed = note.trim()
        yield* audit.audit({
          at,
          actorId: moderator.id,
          actorRole: "moderator",
          action: "close_message_report",
          targetKind: "message_report",
          targetId: reportId,
          alertId: Option.none(),
          accountId: Option.some(found.value.authorId),
          communityId: Option.none(),
          reason: Option.some(found.value.reason),
          note: trimmed === "" ? Option.none() : Option.some(trimmed),
          before: Option.none(),
          after: Option.none()
        })
      }))
    }).pipe(Effect.withSpan("Messaging.closeReport"))

  const preferences: Messaging["Type"]["preferences"] = (actor) =>
    Effect.flatMap(
      requireAccount(actor),
      (account) =>
        Effect.map(repo.emailWhenUnread(account.id), (on) => new MessagingPreferences({ emailWhenUnread: on }))
    )

  const setPreferences: Messaging["Type"]["setPreferences"] = (actor, prefs) =>
    Effect.flatMap(
      requireAccount(actor),
      (account) => Effect.as(repo.setEmailWhenUnread(account.id, prefs.emailWhenUnread), prefs)
    )

  const mayReadUpload: Messaging["Type"]["mayReadUpload"] = (actor, uploadId) =>
    actor._tag === "Anonymous" || actor.account.status !== "active"
      ? Effect.succeed(false)
      : repo.holdsUpload(actor.account.id, uploadId)

  const remindUnread: Messaging["Type"]["remindUnread"] = (limit) =>
    Effect.gen(function*() {
      const now = yield* DateTime.now
      const written = yield* tx.transaction(Effect.gen(function*() {
        const due = yield* repo.takeDueEmails(
          now,
          DateTime.subtractDuration(now, EMAIL_AFTER),
          DateTime.subtractDuration(now, EMAIL_INTERVAL),
          limit
        )
        let email = 0
        for (const d of due) {
          const counts = yield* notices.notify({
            decision: "conversation",
            decisionId: d.conversationId,
            accountIds: [d.accountId],
            body: conversationNoticeBody(d.unread),
            channels: ["email"]
          }, now)
          email += counts.email
        }
        return email
      }))
      if (written > 0) yield* wakeup.wake({ channels: ["email"] })
      return written
    }).pipe(Effect.withSpan("Messaging.remindUnread"))

  const purgeInactive: Messaging["Type"]["purgeInactive"] = (limit) =>
    Effect.flatMap(
      DateTime.now,
      (now) => repo.deleteInactive(DateTime.subtractDuration(now, INACTIVE_RETENTION), limit)
    )

  const exportOf: Messaging["Type"]["exportOf"] = (accountId) =>
    Effect.flatMap(repo.exportOf(accountId), (conversations) =>
      Effect.forEach(conversations, (c) =>
        Effect.map(
          Effect.forEach(c.messages, (m) =>
            Effect.map(opened(c.dataKey, m), (text) => ({
              sentAt: DateTime.formatIso(m.sentAt),
              author: m.author.accountId === accountId ? "moi" : nameOf(m.author),
              text
            }))),
          (messages) => ({ conversationId: c.conversationId, kind: c.kind, with: c.others.map(nameOf), messages })
        )))

  const alertAuthor: Messaging["Type"]["alertAuthor"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const alert = yield* alerts.get(actor, alertId as Parameters<typeof alerts.get>[1])
      if (alert.origin === "mairie" || alert.origin === "police" || alert.authorId === account.id) {
        return yield* new RecipientUnavailable()
      }
      return alert.authorId
    })

  return Messaging.of({
    alertAuthor,
    preview,
    start,
    send,
    list,
    get,
    markRead,
    unread,
    leave,
    report,
    reports,
    readReport,
    closeReport,
    preferences,
    setPreferences,
    mayReadUpload,
    remindUnread,
    purgeInactive,
    exportOf
  })
})

export const layer = Layer.effect(Messaging, make)
