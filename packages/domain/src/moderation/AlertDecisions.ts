import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import { type AlertNotFound, InvalidAlertTransition } from "../alerts/AlertErrors.js"
import { Alerts } from "../alerts/Alerts.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Transactor } from "../shared/Transactor.js"
import { AlertModeration, nothingWritten } from "./AlertModeration.js"
import { AppealRepo } from "./AppealRepo.js"
import { alertAudit, AuditLog } from "./AuditLog.js"
import { FlagRepo } from "./FlagRepo.js"
import type { HideReason } from "./HideReason.js"
import { FlaggedAlert, type ModeratedAlert } from "./ModeratedAlert.js"
import { ModeratedAlertRepo } from "./ModeratedAlertRepo.js"
import { ModeratedAlerts, requireModerator } from "./ModeratedAlerts.js"
import { AlreadyReviewed, NoOpenFlags, NotPendingHide, OwnFlagOnly, ReasonDetailsRequired } from "./ModerationErrors.js"
import {
  flaggedByAnother,
  isStaffModerator,
  mayDecideAppeal,
  needsDetails,
  referentCommunities
} from "./ModerationPolicy.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>
type Hide = { readonly alertId: AlertId; readonly reason: HideReason; readonly details: Note }

/**
 * Decisions on alerts (issue 7): moderators approve a held alert, mark one reviewed, hide and
 * restore it, confirm a référent's pending hiding; a référent (or a moderator) hides a flagged alert
 * pending review. Each runs in one transaction with its audit row and its consequences (the move with
 * its fan-out, flags and appeals closed, the notice NoticeRecipients decides).
 */
export class AlertDecisions extends Context.Tag("@vigie/domain/AlertDecisions")<
  AlertDecisions,
  {
    readonly approve: (
      actor: Actor,
      alertId: AlertId,
      note: Note
    ) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition>
    readonly markReviewed: (
      actor: Actor,
      alertId: AlertId,
      note: Note
    ) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | AlreadyReviewed>
    readonly hide: (
      actor: Actor,
      hiding: Hide
    ) => Effect.Effect<
      ModeratedAlert,
      Acting | Forbidden | AlertNotFound | InvalidAlertTransition | ReasonDetailsRequired
    >
    readonly restore: (
      actor: Actor,
      alertId: AlertId,
      note: Note
    ) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | InvalidAlertTransition>
    readonly confirmPendingHide: (
      actor: Actor,
      alertId: AlertId,
      note: Note
    ) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | NotPendingHide>
    readonly hidePending: (
      actor: Actor,
      hiding: Hide
    ) => Effect.Effect<
      FlaggedAlert,
      Acting | Forbidden | AlertNotFound | InvalidAlertTransition | ReasonDetailsRequired | NoOpenFlags | OwnFlagOnly
    >
  }
>() {}

export const make = Effect.gen(function*() {
  const moderatedAlerts = yield* ModeratedAlerts
  const moves = yield* AlertModeration
  const repo = yield* ModeratedAlertRepo
  const flags = yield* FlagRepo
  const appeals = yield* AppealRepo
  const auditLog = yield* AuditLog
  const alerts = yield* Alerts
  const memberships = yield* MembershipRepo
  const transactor = yield* Transactor

  const now = DateTime.now
  const { moderated, record } = moderatedAlerts

  const approve: AlertDecisions["Type"]["approve"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "approve_alert")
      const at = yield* now
      const { before, written } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (before.alert.status !== "held_for_review") {
          return yield* new InvalidAlertTransition({ alertId, from: before.alert.status, to: "published" })
        }
        const fanOut = yield* moves.move(before, "published", at)
        yield* repo.markReviewed(alertId, me.id, at)
        const entry = yield* auditLog.record(
          alertAudit(me, "moderator", "approve", before, yield* record(alertId), { note }, at)
        )
        const notice = yield* moves.tellOfDecision(before, entry.id, { action: "approve" }, at)
        return { before, written: { fanOut, notice } }
      }))
      yield* moves.afterCommit(before, "published", written)
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("AlertDecisions.approve"))

  const markReviewed: AlertDecisions["Type"]["markReviewed"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "mark_alert_reviewed")
      const at = yield* now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (!(yield* repo.markReviewed(alertId, me.id, at))) return yield* new AlreadyReviewed({ alertId })
        yield* auditLog.record(
          alertAudit(me, "moderator", "mark_reviewed", before, yield* record(alertId), { note }, at)
        )
      }))
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("AlertDecisions.markReviewed"))

  const hide: AlertDecisions["Type"]["hide"] = (actor, { alertId, details, reason }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "hide_alert")
      if (needsDetails(reason, details)) return yield* new ReasonDetailsRequired({ reason })
      const at = yield* now
      const { before, notice } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        const pending = before.alert.status === "hidden" && Option.exists(before.hidden, (h) => h.pendingReview)
        // A référent's pending hiding is confirmed with the moderator's own reason; anything else moves.
        if (!pending) yield* moves.move(before, "hidden", at)
        const from = pending ? Option.getOrElse(before.hiddenFrom, () => "published" as const) : before.alert.status
        yield* repo.setHidden(alertId, { reason, details, by: me.id, role: "moderator", from, pending: false }, at)
        yield* repo.markReviewed(alertId, me.id, at)
        yield* flags.closeFlags(alertId, "upheld", me.id, at)
        const entry = yield* auditLog.record(
          alertAudit(me, "moderator", "hide", before, yield* record(alertId), { reason, note: details }, at)
        )
        const notice = yield* moves.tellOfDecision(before, entry.id, {
          action: "hide",
          reason,
          confirmsPendingHide: pending
        }, at)
        return { before, notice }
      }))
      yield* moves.afterCommit(before, "hidden", { ...nothingWritten, notice })
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("AlertDecisions.hide"))

  const restore: AlertDecisions["Type"]["restore"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "restore_alert")
      const at = yield* now
      const { before, to, written } = yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        const restored = yield* moves.restoreWithin(me, before, "restore", note, at)
        // A pending appeal is answered by the restore, unless the restorer hid the alert themself
        // (they may undo their own hiding, never decide an appeal against it): it then stays listed.
        const [appeal] = (yield* appeals.appealsOf([alertId])).filter((a) => a.status === "pending")
        if (appeal !== undefined && mayDecideAppeal(me.id, Option.map(appeal.hiddenBy, (h) => h.accountId))) {
          yield* appeals.decideAppeal(appeal.id, {
            status: "restored",
            by: me.id,
            reason: Option.getOrElse(note, () => "Alerte rétablie par la modération."),
            at
          })
        }
        return { before, ...restored }
      }))
      yield* moves.afterCommit(before, to, written)
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("AlertDecisions.restore"))

  const confirmPendingHide: AlertDecisions["Type"]["confirmPendingHide"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "confirm_pending_hide")
      const at = yield* now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* record(alertId)
        if (!(yield* repo.confirmHidden(alertId))) return yield* new NotPendingHide({ alertId })
        yield* repo.markReviewed(alertId, me.id, at)
        yield* flags.closeFlags(alertId, "upheld", me.id, at)
        yield* auditLog.record(alertAudit(me, "moderator", "confirm_hide", before, yield* record(alertId), {
          reason: Option.getOrUndefined(Option.map(before.hidden, (h) => h.reason)),
          note
        }, at))
      }))
      return yield* moderated(alertId)
    }).pipe(Effect.withSpan("AlertDecisions.confirmPendingHide"))

  const hidePending: AlertDecisions["Type"]["hidePending"] = (actor, { alertId, details, reason }) =>
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
        if (community === undefined || !mine.includes(community)) {
          return yield* new Forbidden({ action: "hide_alert_pending_review" })
        }
      }
      if (before.openFlags === 0) return yield* new NoOpenFlags({ alertId })
      // A référent's own flag is not enough: another member must have flagged it too.
      if (!staff && !flaggedByAnother(account.id, yield* flags.flagsOf([alertId], true))) {
        return yield* new OwnFlagOnly({ alertId })
      }
      const at = yield* now
      const role = staff ? "moderator" as const : "referent" as const
      const notice = yield* transactor.transaction(Effect.gen(function*() {
        const rec = yield* record(alertId)
        yield* moves.move(rec, "hidden", at)
        const hiding = { reason, details, by: account.id, role, from: rec.alert.status, pending: !staff }
        yield* repo.setHidden(alertId, hiding, at)
        const after = yield* record(alertId)
        const action = staff ? "hide" as const : "hide_pending" as const
        const entry = yield* auditLog.record(
          alertAudit(account, role, action, rec, after, { reason, note: details }, at)
        )
        return yield* moves.tellOfDecision(rec, entry.id, { action, reason, confirmsPendingHide: false }, at)
      }))
      yield* moves.afterCommit(before, "hidden", { ...nothingWritten, notice })
      const [view] = yield* moderatedAlerts.flaggedViews(actor, [{ alertId, firstFlaggedAt: at }], true, staff)
      const firstFlag = view?.flags[0]?.createdAt
      return view === undefined
        ? yield* Effect.dieMessage(`alert ${alertId} vanished`)
        : new FlaggedAlert({ ...view, firstFlaggedAt: firstFlag ?? view.firstFlaggedAt })
    }).pipe(Effect.withSpan("AlertDecisions.hidePending"))

  return AlertDecisions.of({ approve, markReviewed, hide, restore, confirmPendingHide, hidePending })
})

/**
 * Needs ModeratedAlerts, AlertModeration, ModeratedAlertRepo, FlagRepo, AppealRepo, AuditLog, Alerts,
 * MembershipRepo, Transactor.
 */
export const layer = Layer.effect(AlertDecisions, make)
