import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { Account, AccountId } from "../accounts/Account.js"
import { AccountNotFound, Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId, AlertScope, AlertStatus } from "../alerts/Alert.js"
import { AlertNotFound, InvalidAlertTransition } from "../alerts/AlertErrors.js"
import { forAuthorities } from "../alerts/AlertAccess.js"
import { canMoveAlert } from "../alerts/AlertLifecycle.js"
import { AlertRepo, type FanOutResult } from "../alerts/AlertRepo.js"
import { Alerts } from "../alerts/Alerts.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import { moderationNoticeSms, type ModerationNoticeSpec } from "../delivery/MessageTexts.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { MembershipStatus } from "../membership/Membership.js"
import { InvalidMembershipTransition } from "../membership/MembershipErrors.js"
import { canMoveMembership } from "../membership/MembershipPolicy.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Transactor } from "../shared/Transactor.js"
import type { AuditAction, AuditEntryId, AuditQuery, AuditSnapshot } from "./AuditEntry.js"
import { AuditEntry, AuditPage } from "./AuditEntry.js"
import { hideReasonLabel, type FlagReason, type HideReason } from "./HideReason.js"
import {
  AuthorHistory,
  FlaggedAlert,
  FlaggedAlertPage,
  FlagView,
  ModeratedAlert,
  ModerationQueueItem,
  MyHiding,
  ModerationQueuePage,
  type AlertModerationState,
  type AppealId,
  type AppealView,
  type QueueItemKind
} from "./ModeratedAlert.js"
import {
  AlreadyReviewed,
  AppealAlreadyDecided,
  AppealNotFound,
  CommunityMemberNotFound,
  InvalidAccountTransition,
  NoOpenFlags,
  NotAppealable,
  NotPendingHide,
  OwnFlagOnly,
  ReasonDetailsRequired,
  type AlreadyAppealed,
  type AlreadyFlagged
} from "./ModerationErrors.js"
import {
  actionable,
  ageInDays,
  flaggedByAnother,
  isStaffModerator,
  mayDecideAppeal,
  moderationState,
  needsDetails,
  referentCommunities,
  restoreTarget,
  waitingSeconds
} from "./ModerationPolicy.js"
import { ModerationRepo, type AlertModerationRecord, type AuthorRecord, type NewAuditEntry } from "./ModerationRepo.js"
import { ModerationCase } from "./ModerationRpcs.js"
import { sensitiveSpans } from "../trust/SensitiveDescriptors.js"
import { expectedReviewDelay } from "../trust/TrustPolicy.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>

/**
 * Moderation as moderators, référents, members and authors use it (issue 7): the moderators' queue
 * and actions, members' flags, référents' hiding pending a moderator's decision, authors' appeals and
 * the state of their alerts. Every action runs in one transaction with its audit row and its
 * consequences (the alert's move through AlertRepo.transition with its fan-out, flags and appeals
 * closed, the notice to an SMS author); workers are woken and live events sent after the commit.
 */
export class Moderation extends Context.Tag("@vigie/domain/Moderation")<
  Moderation,
  {
    readonly queue: (actor: Actor, page: {
      readonly kind: Option.Option<QueueItemKind>
      readonly offset: Option.Option<number>
      readonly limit: number
    }) => Effect.Effect<ModerationQueuePage, Acting | Forbidden>
    readonly moderationCase: (actor: Actor, alertId: AlertId) => Effect.Effect<ModerationCase, Acting | Forbidden | AlertNotFound>
    readonly authorHistory: (actor: Actor, accountId: AccountId) => Effect.Effect<AuthorHistory, Acting | Forbidden | AccountNotFound>
    readonly approve: (actor: Actor, alertId: AlertId, note: Note) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition>
    readonly markReviewed: (actor: Actor, alertId: AlertId, note: Note) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | AlreadyReviewed>
    readonly hide: (actor: Actor, hiding: { readonly alertId: AlertId; readonly reason: HideReason; readonly details: Note }) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition | ReasonDetailsRequired>
    readonly restore: (actor: Actor, alertId: AlertId, note: Note) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition>
    readonly confirmPendingHide: (actor: Actor, alertId: AlertId, note: Note) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | NotPendingHide>
    readonly dismissFlags: (actor: Actor, alertId: AlertId, note: Note) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | NoOpenFlags>
    readonly warn: (actor: Actor, warning: { readonly accountId: AccountId; readonly alertId: Option.Option<AlertId>; readonly reason: HideReason; readonly details: Note }) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | AlertNotFound | ReasonDetailsRequired>
    readonly suspend: (actor: Actor, accountId: AccountId, note: string) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | InvalidAccountTransition>
    readonly liftSuspension: (actor: Actor, accountId: AccountId, note: string) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | InvalidAccountTransition>
    readonly ban: (actor: Actor, accountId: AccountId, communityId: CommunityId, note: string) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | CommunityNotFound | CommunityMemberNotFound | InvalidMembershipTransition>
    readonly liftBan: (actor: Actor, accountId: AccountId, communityId: CommunityId, note: string) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | CommunityNotFound | CommunityMemberNotFound | InvalidMembershipTransition>
    readonly searchAudit: (actor: Actor, search: {
      readonly query: AuditQuery
      readonly before: Option.Option<DateTime.Utc>
      readonly beforeId: Option.Option<AuditEntryId>
      readonly limit: number
    }) => Effect.Effect<AuditPage, Acting | Forbidden>
    readonly flag: (actor: Actor, flag: { readonly alertId: AlertId; readonly reason: FlagReason; readonly text: Note }) => Effect.Effect<FlagView, Acting | AlertNotFound | AlreadyFlagged>
    readonly listFlags: (actor: Actor, page: {
      readonly communityId: Option.Option<CommunityId>
      readonly status: Option.Option<"open" | "all">
      readonly offset: Option.Option<number>
      readonly limit: number
    }) => Effect.Effect<FlaggedAlertPage, Acting | Forbidden | CommunityNotFound>
    readonly hidePending: (actor: Actor, hiding: { readonly alertId: AlertId; readonly reason: HideReason; readonly details: Note }) => Effect.Effect<FlaggedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition | ReasonDetailsRequired | NoOpenFlags | OwnFlagOnly>
    readonly appeal: (actor: Actor, alertId: AlertId, text: string) => Effect.Effect<AlertModerationState, Acting | AlertNotFound | Forbidden | NotAppealable | AlreadyAppealed>
    readonly decideAppeal: (actor: Actor, decision: { readonly appealId: AppealId; readonly decision: "restore" | "uphold"; readonly reason: string }) => Effect.Effect<AppealView, Acting | Forbidden | AppealNotFound | AppealAlreadyDecided | InvalidAlertTransition>
    readonly alertState: (actor: Actor, alertId: AlertId) => Effect.Effect<AlertModerationState, Acting | AlertNotFound>
  }
>() {}

/** What a committed action wrote that the workers must learn about (a fan-out, notices, released deliveries). */
interface Written {
  readonly fanOut: Option.Option<FanOutResult>
  readonly notice: { readonly sms: number; readonly email: number }
  readonly released?: { readonly sms: number; readonly email: number }
}

const nothingWritten: Written = { fanOut: Option.none(), notice: { sms: 0, email: 0 } }

export const make = Effect.gen(function*() {
  const repo = yield* ModerationRepo
  const alertRepo = yield* AlertRepo
  const alerts = yield* Alerts
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const transactor = yield* Transactor
  const wakeup = yield* DeliveryWakeup
  const notices = yield* Notices
  const live = yield* LiveEvents

  const now = DateTime.now

  const moderator = (actor: Actor, action: string) =>
    Effect.flatMap(requireAccount(actor), (account) =>
      isStaffModerator(account) ? Effect.succeed(account) : Effect.fail(new Forbidden({ action })))

  const record = (alertId: AlertId) =>
    Effect.flatMap(repo.alerts([alertId]), (rows) =>
      rows[0] === undefined ? Effect.fail(new AlertNotFound({ alertId })) : Effect.succeed(rows[0]))

  const historyOf = (author: AuthorRecord, at: DateTime.Utc) =>
    new AuthorHistory({ ...author, accountAgeDays: ageInDays(author.accountCreatedAt, at) })

  /** Moderated views of records, with their authors' histories and the spans recomputed from the text. */
  const moderatedAll = (records: ReadonlyArray<AlertModerationRecord>, at: DateTime.Utc) =>
    Effect.gen(function*() {
      const authors = yield* repo.authors([...new Set(records.map((r) => r.alert.authorId))])
      const byId = new Map(authors.map((a) => [a.author.accountId, a]))
      return records.flatMap((r) => {
        const author = byId.get(r.alert.authorId)
        return author === undefined ? [] : [
          new ModeratedAlert({
            alert: r.alert,
            place: r.place,
            author: historyOf(author, at),
            holdReasons: r.holdReasons,
            flaggedSpans: sensitiveSpans(r.alert.text),
            reviewedAt: r.reviewedAt,
            reviewedBy: r.reviewedBy,
            hidden: r.hidden,
            openFlags: r.openFlags
          })
        ]
      })
    })

  const moderated = (alertId: AlertId) =>
    Effect.gen(function*() {
      const at = yield* now
      const [view] = yield* moderatedAll([yield* record(alertId)], at)
      return view ?? (yield* Effect.dieMessage(`alert ${alertId}: its author is missing`))
    })

  /** The communities an alert reaches and its commune, for live events. */
  const reach = (scope: AlertScope, insee: AlertModerationRecord["place"]["insee"]) =>
    scope._tag === "Community"
      ? Effect.succeed({ insee, communityIds: [scope.communityId] as ReadonlyArray<CommunityId> })
      : Effect.map(
        Option.match(scope.communityIds, {
          onSome: (ids) => Effect.succeed(ids as ReadonlyArray<CommunityId>),
          onNone: () => Effect.map(communities.listByCommune(scope.insee), (cs) => cs.map((c) => c.id))
        }),
        (communityIds) => ({ insee, communityIds })
      )

  /** After the commit: wake the workers for what was written, and tell open apps the alert changed. */
  const afterCommit = (rec: AlertModerationRecord, status: AlertStatus, written: Written) =>
    Effect.gen(function*() {
      const sms = Option.match(written.fanOut, { onNone: () => 0, onSome: (f) => f.sms }) + written.notice.sms +
        (written.released?.sms ?? 0)
      const email = Option.match(written.fanOut, { onNone: () => 0, onSome: (f) => f.email }) + written.notice.email +
        (written.released?.email ?? 0)
      if (sms + email > 0) {
        yield* wakeup.wake({ channels: [...(sms > 0 ? ["sms" as const] : []), ...(email > 0 ? ["email" as const] : [])] })
      }
      const where = yield* reach(rec.alert.scope, rec.place.insee)
      // A first publication is new to members; anything else changes an alert they may have seen.
      yield* live.publish(
        status === "published" && Option.isNone(rec.firstPublishedAt)
          ? { _tag: "AlertPublished", alertId: rec.alert.id, ...where, authorities: forAuthorities(rec.alert) }
          : { _tag: "AlertChanged", alertId: rec.alert.id, ...where, authorities: forAuthorities(rec.alert), status }
      )
    })

  const snapshot = (rec: AlertModerationRecord): AuditSnapshot => ({
    status: rec.alert.status,
    reviewed: Option.isSome(rec.reviewedAt),
    hiddenReason: Option.getOrNull(Option.map(rec.hidden, (h) => h.reason)),
    hiddenPending: Option.exists(rec.hidden, (h) => h.pendingReview),
    openFlags: rec.openFlags
  })

  const alertAudit = (
    actor: Account,
    role: "moderator" | "referent",
    action: AuditAction,
    before: AlertModerationRecord,
    after: AlertModerationRecord,
    why: { readonly reason?: HideReason | undefined; readonly note: Note },
    at: DateTime.Utc
  ): NewAuditEntry => ({
    at,
    actorId: actor.id,
    actorRole: role,
    action,
    targetKind: "alert",
    targetId: before.alert.id,
    alertId: Option.some(before.alert.id),
    accountId: Option.some(before.alert.authorId),
    communityId: before.place.communityId,
    reason: Option.fromNullable(why.reason),
    note: why.note,
    before: Option.some(snapshot(before)),
    after: Option.some(snapshot(after))
  })

  /** The SMS to the author of an alert posted by SMS (web authors see the state on the alert page). */
  const tellSmsAuthor = (rec: AlertModerationRecord, auditId: AuditEntryId, spec: ModerationNoticeSpec, at: DateTime.Utc) =>
    rec.alert.origin === "sms"
      ? notices.notify({ decisionId: auditId, accountIds: [rec.alert.authorId], body: moderationNoticeSms(spec), channels: ["sms"] }, at)
      : Effect.succeed({ sms: 0, email: 0 })

  /** Moves the alert through AlertRepo (with its fan-out); a concurrent move makes it InvalidAlertTransition. */
  const moveAlert = (rec: AlertModerationRecord, to: AlertStatus, at: DateTime.Utc) =>
    Effect.gen(function*() {
      const from = rec.alert.status
      if (!canMoveAlert("moderator", from, to)) return yield* new InvalidAlertTransition({ alertId: rec.alert.id, from, to })
      const moved = yield* alertRepo.transition(rec.alert.id, from, to, at)
      if (Option.isNone(moved)) {
        const current = yield* record(rec.alert.id).pipe(Effect.orDie)
        return yield* new InvalidAlertTransition({ alertId: rec.alert.id, from: current.alert.status, to })
      }
      // Hidden content is not sent later (a retry, an info alert waiting for the end of quiet hours).
      if (to === "hidden") yield* notices.withhold(rec.alert.id, at)
      return moved.value.fanOut
    })

  const queue: Moderation["Type"]["queue"] = (actor, page) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "read_moderation_queue")
      const at = yield* now
      const offset = Option.getOrElse(page.offset, () => 0)
      const entries = yield* repo.queue({ kind: page.kind, offset, limit: page.limit + 1 })
      const shown = entries.slice(0, page.limit)
      const ids = [...new Set(shown.map((e) => e.alertId))]
      const views = new Map((yield* moderatedAll(yield* repo.alerts(ids), at)).map((v) => [v.alert.id, v]))
      const flags = yield* repo.flagsOf(ids, true)
      const appeals = new Map((yield* repo.appealsOf(ids)).map((a) => [a.id, a]))
      const items = shown.flatMap((entry) => {
        const alert = views.get(entry.alertId)
        if (alert === undefined) return []
        const appeal = Option.flatMap(entry.appealId, (id) => Option.fromNullable(appeals.get(id)))
        return [
          new ModerationQueueItem({
            kind: entry.kind,
            alert,
            waitingSince: entry.since,
            waitingSeconds: waitingSeconds(entry.since, at),
            flags: flags.filter((f) => f.alertId === entry.alertId),
            appeal,
            actionable: actionable(entry.kind, me.id, appeal)
          })
        ]
      })
      return new ModerationQueuePage({
        items,
        counts: yield* repo.queueCounts,
        nextOffset: entries.length > page.limit ? Option.some(offset + page.limit) : Option.none()
      })
    }).pipe(Effect.withSpan("Moderation.queue"))

  const moderationCase: Moderation["Type"]["moderationCase"] = (actor, alertId) =>
    Effect.gen(function*() {
      yield* moderator(actor, "read_moderation_case")
      const alert = yield* moderated(alertId)
      return new ModerationCase({
        alert,
        flags: yield* repo.flagsOf([alertId], false),
        appeals: yield* repo.appealsOf([alertId]),
        audit: yield* repo.auditOf(alertId)
      })
    })

  const authorHistory: Moderation["Type"]["authorHistory"] = (actor, accountId) =>
    Effect.gen(function*() {
      yield* moderator(actor, "read_author_history")
      const [author] = yield* repo.authors([accountId])
      if (author === undefined) return yield* new AccountNotFound({ accountId })
      return historyOf(author, yield* now)
    })

  const approve: Moderation["Type"]["approve"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "approve_alert")
      const at = yield* now
      const { before, written } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (before.alert.status !== "held_for_review") {
          return yield* new InvalidAlertTransition({ alertId, from: before.alert.status, to: "published" })
        }
        const fanOut = yield* moveAlert(before, "published", at)
        yield* repo.markReviewed(alertId, me.id, at)
        const entry = yield* repo.audit(alertAudit(me, "moderator", "approve", before, yield* record(alertId), { note }, at))
        const notice = yield* tellSmsAuthor(before, entry.id, { kind: "approved", category: before.alert.category }, at)
        return { before, written: { fanOut, notice } }
      }))
      yield* afterCommit(before, "published", written)
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.approve"))

  const markReviewed: Moderation["Type"]["markReviewed"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "mark_alert_reviewed")
      const at = yield* now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (!(yield* repo.markReviewed(alertId, me.id, at))) return yield* new AlreadyReviewed({ alertId })
        yield* repo.audit(alertAudit(me, "moderator", "mark_reviewed", before, yield* record(alertId), { note }, at))
      }))
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.markReviewed"))

  const hide: Moderation["Type"]["hide"] = (actor, { alertId, details, reason }) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "hide_alert")
      if (needsDetails(reason, details)) return yield* new ReasonDetailsRequired({ reason })
      const at = yield* now
      const { before, notice } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        const pending = before.alert.status === "hidden" && Option.exists(before.hidden, (h) => h.pendingReview)
        // A référent's pending hiding is confirmed with the moderator's own reason; anything else moves.
        if (!pending) yield* moveAlert(before, "hidden", at)
        const from = pending ? Option.getOrElse(before.hiddenFrom, () => "published" as const) : before.alert.status
        yield* repo.setHidden(alertId, { reason, details, by: me.id, role: "moderator", from, pending: false }, at)
        yield* repo.markReviewed(alertId, me.id, at)
        yield* repo.closeFlags(alertId, "upheld", me.id, at)
        const entry = yield* repo.audit(alertAudit(me, "moderator", "hide", before, yield* record(alertId), { reason, note: details }, at))
        const notice = pending ? { sms: 0, email: 0 } : yield* tellSmsAuthor(before, entry.id, {
          kind: "hidden",
          category: before.alert.category,
          reason: hideReasonLabel[reason]
        }, at)
        return { before, notice }
      }))
      yield* afterCommit(before, "hidden", { ...nothingWritten, notice })
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.hide"))

  /** Restores a hidden alert inside the caller's transaction: move, clear the hiding, dismiss flags, tell an SMS author. */
  const restoreIn = (me: Account, before: AlertModerationRecord, action: AuditAction, note: Note, at: DateTime.Utc, target?: { readonly kind: "appeal"; readonly id: AppealId }) =>
    Effect.gen(function*() {
      if (before.alert.status !== "hidden") {
        return yield* new InvalidAlertTransition({ alertId: before.alert.id, from: before.alert.status, to: "published" })
      }
      const to = restoreTarget(before.hiddenFrom)
      const fanOut = yield* moveAlert(before, to, at)
      // What hiding held back goes out now, once: nobody gets the alert twice.
      const released = yield* notices.release(before.alert.id, at)
      yield* repo.clearHidden(before.alert.id)
      yield* repo.markReviewed(before.alert.id, me.id, at)
      yield* repo.closeFlags(before.alert.id, "dismissed", me.id, at)
      const base = alertAudit(me, "moderator", action, before, yield* Effect.orDie(record(before.alert.id)), { note }, at)
      const entry = yield* repo.audit(target === undefined ? base : { ...base, targetKind: "appeal", targetId: target.id })
      const notice = yield* tellSmsAuthor(before, entry.id, { kind: "restored", category: before.alert.category }, at)
      return { to, written: { fanOut, notice, released } satisfies Written }
    })

  const restore: Moderation["Type"]["restore"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "restore_alert")
      const at = yield* now
      const { before, to, written } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        const restored = yield* restoreIn(me, before, "restore", note, at)
        // A pending appeal is answered by the restore, unless the restorer hid the alert themself
        // (they may undo their own hiding, never decide an appeal against it): it then stays listed.
        const [appeal] = (yield* repo.appealsOf([alertId])).filter((a) => a.status === "pending")
        if (appeal !== undefined && mayDecideAppeal(me.id, Option.map(appeal.hiddenBy, (h) => h.accountId))) {
          yield* repo.decideAppeal(appeal.id, {
            status: "restored",
            by: me.id,
            reason: Option.getOrElse(note, () => "Alerte rétablie par la modération."),
            at
          })
        }
        return { before, ...restored }
      }))
      yield* afterCommit(before, to, written)
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.restore"))

  const confirmPendingHide: Moderation["Type"]["confirmPendingHide"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "confirm_pending_hide")
      const at = yield* now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (!(yield* repo.confirmHidden(alertId))) return yield* new NotPendingHide({ alertId })
        yield* repo.markReviewed(alertId, me.id, at)
        yield* repo.closeFlags(alertId, "upheld", me.id, at)
        yield* repo.audit(alertAudit(me, "moderator", "confirm_hide", before, yield* record(alertId), {
          reason: Option.getOrUndefined(Option.map(before.hidden, (h) => h.reason)),
          note
        }, at))
      }))
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.confirmPendingHide"))

  const dismissFlags: Moderation["Type"]["dismissFlags"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "dismiss_flags")
      const at = yield* now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if ((yield* repo.closeFlags(alertId, "dismissed", me.id, at)) === 0) return yield* new NoOpenFlags({ alertId })
        yield* repo.audit(alertAudit(me, "moderator", "dismiss_flags", before, yield* record(alertId), { note }, at))
      }))
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("Moderation.dismissFlags"))

  const existingAccount = (accountId: AccountId) =>
    Effect.flatMap(accounts.findById(accountId), (found) =>
      Option.isSome(found) && found.value.status !== "erased"
        ? Effect.succeed(found.value)
        : Effect.fail(new AccountNotFound({ accountId })))

  const accountAudit = (
    me: Account,
    action: AuditAction,
    target: Account,
    before: AuditSnapshot,
    after: AuditSnapshot,
    why: { readonly reason?: HideReason; readonly note: Note; readonly alertId?: AlertId; readonly communityId?: CommunityId; readonly membershipId?: string },
    at: DateTime.Utc
  ): NewAuditEntry => ({
    at,
    actorId: me.id,
    actorRole: "moderator",
    action,
    targetKind: why.membershipId === undefined ? "account" : "membership",
    targetId: why.membershipId ?? target.id,
    alertId: Option.fromNullable(why.alertId),
    accountId: Option.some(target.id),
    communityId: Option.fromNullable(why.communityId),
    reason: Option.fromNullable(why.reason),
    note: why.note,
    before: Option.some(before),
    after: Option.some(after)
  })

  const warn: Moderation["Type"]["warn"] = (actor, { accountId, alertId, details, reason }) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "warn_account")
      if (needsDetails(reason, details)) return yield* new ReasonDetailsRequired({ reason })
      const target = yield* existingAccount(accountId)
      if (Option.isSome(alertId)) yield* record(alertId.value)
      const at = yield* now
      const { entry, notice } = yield* transactor.transaction(Effect.gen(function*() {
        const entry = yield* repo.audit(accountAudit(me, "warn", target, { status: target.status }, { status: target.status }, {
          reason,
          note: details,
          ...(Option.isSome(alertId) ? { alertId: alertId.value } : {})
        }, at))
        const notice = yield* notices.notify({
          decisionId: entry.id,
          accountIds: [accountId],
          body: moderationNoticeSms({ kind: "warned", reason: hideReasonLabel[reason], details }),
          channels: ["sms", "email"]
        }, at)
        return { entry, notice }
      }))
      if (notice.sms + notice.email > 0) {
        yield* wakeup.wake({ channels: [...(notice.sms > 0 ? ["sms" as const] : []), ...(notice.email > 0 ? ["email" as const] : [])] })
      }
      return entry
    }).pipe(Effect.withSpan("Moderation.warn"))

  const moveAccount = (action: "suspend" | "lift_suspension") => (actor: Actor, accountId: AccountId, note: string) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, action === "suspend" ? "suspend_account" : "lift_suspension")
      const target = yield* existingAccount(accountId)
      // Staff accounts are managed by administrators, not suspended from the console; nobody suspends themself.
      if (action === "suspend" && (target.staffRoles.length > 0 || target.id === me.id)) {
        return yield* new Forbidden({ action: "suspend_account" })
      }
      const [from, to] = action === "suspend" ? ["active", "suspended"] as const : ["suspended", "active"] as const
      const at = yield* now
      return yield* transactor.transaction(Effect.gen(function*() {
        if (!(yield* accounts.moveStatus(accountId, from, to))) {
          const current = yield* existingAccount(accountId).pipe(Effect.orDie)
          return yield* new InvalidAccountTransition({ accountId, from: current.status, to })
        }
        return yield* repo.audit(accountAudit(me, action, target, { status: from }, { status: to }, { note: Option.some(note) }, at))
      }))
    }).pipe(Effect.withSpan(`Moderation.${action}`))

  const moveMembership = (action: "ban" | "lift_ban") =>
  (actor: Actor, accountId: AccountId, communityId: CommunityId, note: string) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, action === "ban" ? "ban_from_community" : "lift_ban")
      if (Option.isNone(yield* communities.findById(communityId))) return yield* new CommunityNotFound({ communityId })
      const target = yield* existingAccount(accountId)
      const at = yield* now
      return yield* transactor.transaction(Effect.gen(function*() {
        const membership = (yield* memberships.listByAccount(accountId)).find((m) => m.communityId === communityId)
        if (membership === undefined) return yield* new CommunityMemberNotFound({ accountId, communityId })
        const from = membership.status
        // Lifting a ban gives back what the ban took: a verified membership, or a pending one never verified.
        const to: MembershipStatus = action === "ban"
          ? "banned"
          : Option.isSome(membership.verifiedAt) ? "verified" : "pending_verification"
        const allowed = action === "ban" ? canMoveMembership(from, "banned") : from === "banned"
        if (!allowed || !(yield* memberships.moveStatus(membership.id, from, to))) {
          return yield* new InvalidMembershipTransition({ membershipId: membership.id, from, to })
        }
        return yield* repo.audit(accountAudit(me, action, target, { status: from }, { status: to }, {
          note: Option.some(note),
          communityId,
          membershipId: membership.id
        }, at))
      }))
    }).pipe(Effect.withSpan(`Moderation.${action}`))

  const searchAudit: Moderation["Type"]["searchAudit"] = (actor, search) =>
    Effect.gen(function*() {
      yield* moderator(actor, "search_audit_log")
      const rows = yield* repo.searchAudit(
        search.query,
        Option.map(search.before, (at) => ({ at, id: search.beforeId })),
        search.limit + 1
      )
      const shown = rows.slice(0, search.limit)
      const last = shown[shown.length - 1]
      const more = rows.length > search.limit && last !== undefined
      return new AuditPage({
        entries: shown,
        nextBefore: more ? Option.some(last.at) : Option.none(),
        nextBeforeId: more ? Option.some(last.id) : Option.none()
      })
    }).pipe(Effect.withSpan("Moderation.searchAudit"))

  const flag: Moderation["Type"]["flag"] = (actor, { alertId, reason, text }) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Whoever may read the alert may flag it; anyone else learns nothing about it.
      const alert = yield* alerts.get(actor, alertId)
      return yield* repo.insertFlag({
        alertId,
        communityId: alert.scope._tag === "Community" ? Option.some(alert.scope.communityId) : Option.none(),
        flaggedBy: account.id,
        reason,
        text,
        at: yield* now
      })
    }).pipe(Effect.withSpan("Moderation.flag"))

  /**
   * The flagged-alert views for a référent (who flagged is withheld) or a moderator: the alerts as
   * members receive them, and a hiding without who hid it.
   */
  const flaggedViews = (
    actor: Actor,
    entries: ReadonlyArray<{ readonly alertId: AlertId; readonly firstFlaggedAt: DateTime.Utc }>,
    openOnly: boolean,
    staff: boolean
  ) =>
    Effect.gen(function*() {
      const ids = entries.map((e) => e.alertId)
      const found = yield* repo.alerts(ids)
      const views = new Map((yield* alerts.present(actor, found.map((r) => r.alert))).map((v) => [v.id, v]))
      const records = new Map(found.map((r) => [r.alert.id, r]))
      const flags = yield* repo.flagsOf(ids, openOnly)
      return entries.flatMap((e) => {
        const r = records.get(e.alertId)
        const alert = views.get(e.alertId)
        return r === undefined || alert === undefined ? [] : [
          new FlaggedAlert({
            alert,
            place: r.place,
            hidden: Option.map(r.hidden, (h) =>
              new MyHiding({ reason: h.reason, details: h.details, at: h.at, pendingReview: h.pendingReview })),
            flags: flags.filter((f) => f.alertId === e.alertId).map((f) =>
              staff ? f : new FlagView({ ...f, flaggedBy: Option.none() })
            ),
            firstFlaggedAt: e.firstFlaggedAt
          })
        ]
      })
    })

  const listFlags: Moderation["Type"]["listFlags"] = (actor, page) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const staff = isStaffModerator(account)
      let scope: Option.Option<ReadonlyArray<CommunityId>>
      if (staff) {
        if (Option.isSome(page.communityId) && Option.isNone(yield* communities.findById(page.communityId.value))) {
          return yield* new CommunityNotFound({ communityId: page.communityId.value })
        }
        scope = Option.map(page.communityId, (id) => [id])
      } else {
        const mine = referentCommunities(yield* memberships.listByAccount(account.id))
        if (mine.length === 0) return yield* new Forbidden({ action: "list_flags" })
        if (Option.isSome(page.communityId) && !mine.includes(page.communityId.value)) {
          return yield* new Forbidden({ action: "list_flags" })
        }
        scope = Option.some(Option.match(page.communityId, { onNone: () => mine, onSome: (id) => [id] }))
      }
      const openOnly = Option.getOrElse(page.status, () => "open" as const) === "open"
      const offset = Option.getOrElse(page.offset, () => 0)
      const entries = yield* repo.flaggedAlerts({ communityIds: scope, openOnly, offset, limit: page.limit + 1 })
      return new FlaggedAlertPage({
        items: yield* flaggedViews(actor, entries.slice(0, page.limit), openOnly, staff),
        nextOffset: entries.length > page.limit ? Option.some(offset + page.limit) : Option.none()
      })
    }).pipe(Effect.withSpan("Moderation.listFlags"))

  const hidePending: Moderation["Type"]["hidePending"] = (actor, { alertId, details, reason }) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (needsDetails(reason, details)) return yield* new ReasonDetailsRequired({ reason })
      const staff = isStaffModerator(account)
      // A référent acts only on what they may read (never a held alert), and only in their communities.
      if (!staff) yield* alerts.get(actor, alertId)
      const before = yield* record(alertId)
      if (!staff) {
        const mine = referentCommunities(yield* memberships.listByAccount(account.id))
        const community = Option.getOrUndefined(before.place.communityId)
        if (community === undefined || !mine.includes(community)) return yield* new Forbidden({ action: "hide_alert_pending_review" })
      }
      if (before.openFlags === 0) return yield* new NoOpenFlags({ alertId })
      // A référent's own flag is not enough: another member must have flagged it too.
      if (!staff && !flaggedByAnother(account.id, yield* repo.flagsOf([alertId], true))) {
        return yield* new OwnFlagOnly({ alertId })
      }
      const at = yield* now
      const role = staff ? "moderator" as const : "referent" as const
      const notice = yield* transactor.transaction(Effect.gen(function*() {
        const rec = yield* record(alertId)
        yield* moveAlert(rec, "hidden", at)
        yield* repo.setHidden(alertId, { reason, details, by: account.id, role, from: rec.alert.status, pending: !staff }, at)
        const entry = yield* repo.audit(alertAudit(account, role, staff ? "hide" : "hide_pending", rec, yield* record(alertId), {
          reason,
          note: details
        }, at))
        return yield* tellSmsAuthor(rec, entry.id, { kind: "hidden", category: rec.alert.category, reason: hideReasonLabel[reason] }, at)
      }))
      yield* afterCommit(before, "hidden", { ...nothingWritten, notice })
      const [view] = yield* flaggedViews(actor, [{ alertId, firstFlaggedAt: at }], true, staff)
      const firstFlag = view?.flags[0]?.createdAt
      return view === undefined
        ? yield* Effect.dieMessage(`alert ${alertId} vanished`)
        : new FlaggedAlert({ ...view, firstFlaggedAt: firstFlag ?? view.firstFlaggedAt })
    }).pipe(Effect.withSpan("Moderation.hidePending"))

  const appeal: Moderation["Type"]["appeal"] = (actor, alertId, text) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* alerts.get(actor, alertId)
      const rec = yield* record(alertId)
      if (rec.alert.authorId !== account.id) return yield* new Forbidden({ action: "appeal_hiding" })
      if (rec.alert.status !== "hidden") return yield* new NotAppealable({ alertId, status: rec.alert.status })
      const at = yield* now
      const made = yield* repo.insertAppeal({
        alertId,
        authorId: account.id,
        text,
        hiddenBy: Option.map(rec.hidden, (h) => h.by.accountId),
        at
      })
      return moderationState(rec, Option.some(made), expectedReviewDelay, at)
    }).pipe(Effect.withSpan("Moderation.appeal"))

  const decideAppeal: Moderation["Type"]["decideAppeal"] = (actor, { appealId, decision, reason }) =>
    Effect.gen(function*() {
      const me = yield* moderator(actor, "decide_appeal")
      const found = yield* repo.appeal(appealId)
      if (Option.isNone(found)) return yield* new AppealNotFound({ appealId })
      const appealed = found.value
      if (appealed.view.status !== "pending") return yield* new AppealAlreadyDecided({ appealId })
      if (!mayDecideAppeal(me.id, appealed.hiddenById)) return yield* new Forbidden({ action: "decide_appeal_of_own_hiding" })
      const alertId = appealed.view.alertId
      const at = yield* now
      const decided = { by: me.id, reason, at }
      const after = yield* transactor.transaction(Effect.gen(function*() {
        // The appeal's alert exists: a foreign key says so.
        const before = yield* Effect.orDie(record(alertId))
        if (decision === "restore") {
          const restored = yield* restoreIn(me, before, "appeal_restore", Option.some(reason), at, { kind: "appeal", id: appealId })
          if (!(yield* repo.decideAppeal(appealId, { status: "restored", ...decided }))) return yield* new AppealAlreadyDecided({ appealId })
          return { before, status: restored.to, written: restored.written }
        }
        if (!(yield* repo.decideAppeal(appealId, { status: "upheld", ...decided }))) return yield* new AppealAlreadyDecided({ appealId })
        // Upholding a référent's pending hiding is a moderator's decision on it.
        if (Option.exists(before.hidden, (h) => h.pendingReview)) {
          yield* repo.confirmHidden(alertId)
          yield* repo.closeFlags(alertId, "upheld", me.id, at)
        }
        yield* repo.markReviewed(alertId, me.id, at)
        const base = alertAudit(me, "moderator", "appeal_uphold", before, yield* record(alertId), {
          note: Option.some(reason)
        }, at)
        yield* repo.audit({ ...base, targetKind: "appeal", targetId: appealId })
        return { before, status: before.alert.status, written: nothingWritten }
      })).pipe(Effect.catchTag("AlertNotFound", Effect.die))
      if (decision === "restore") yield* afterCommit(after.before, after.status, after.written)
      const [view] = (yield* repo.appealsOf([alertId])).filter((a) => a.id === appealId)
      return view ?? (yield* Effect.dieMessage(`appeal ${appealId} vanished`))
    }).pipe(Effect.withSpan("Moderation.decideAppeal"))

  const alertState: Moderation["Type"]["alertState"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const rec = yield* record(alertId)
      // These facts are the author's (and the moderators'): any other caller learns nothing.
      if (rec.alert.authorId !== account.id && !isStaffModerator(account)) return yield* new AlertNotFound({ alertId })
      const [made] = yield* repo.appealsOf([alertId])
      return moderationState(rec, Option.fromNullable(made), expectedReviewDelay, yield* now)
    })

  return Moderation.of({
    queue,
    moderationCase,
    authorHistory,
    approve,
    markReviewed,
    hide,
    restore,
    confirmPendingHide,
    dismissFlags,
    warn,
    suspend: moveAccount("suspend"),
    liftSuspension: moveAccount("lift_suspension"),
    ban: moveMembership("ban"),
    liftBan: moveMembership("lift_ban"),
    searchAudit,
    flag,
    listFlags,
    hidePending,
    appeal,
    decideAppeal,
    alertState
  })
})

/** Needs ModerationRepo, AlertRepo, Alerts, AccountRepo, MembershipRepo, CommunityRepo, Transactor, Notices, DeliveryWakeup, LiveEvents. */
export const layer = Layer.effect(Moderation, make)
