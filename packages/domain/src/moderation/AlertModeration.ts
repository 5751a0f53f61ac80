import { Context, Effect, Layer, Option } from "effect"
import type { DateTime } from "effect"
import type { Account } from "../accounts/Account.js"
import type { AlertCategory, AlertScope, AlertStatus } from "../alerts/Alert.js"
import { InvalidAlertTransition } from "../alerts/AlertErrors.js"
import { forAuthorities } from "../alerts/AlertAccess.js"
import { canMoveAlert } from "../alerts/AlertLifecycle.js"
import { AlertPublisher } from "../alerts/AlertPublisher.js"
import type { FanOutResult } from "../alerts/AlertRepo.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { moderationNoticeSms, type ModerationNoticeSpec } from "./NoticeTexts.js"
import { type ChannelCounts, Notices } from "../delivery/Notices.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { AuditEntryId } from "./AuditEntry.js"
import { alertAudit, AuditLog } from "./AuditLog.js"
import { FlagRepo } from "./FlagRepo.js"
import { hideReasonLabel, type HideReason } from "./HideReason.js"
import type { AppealId } from "./ModeratedAlert.js"
import { ModeratedAlertRepo, type AlertModerationRecord } from "./ModeratedAlertRepo.js"
import { ModeratedAlerts } from "./ModeratedAlerts.js"
import { restoreTarget } from "./ModerationPolicy.js"
import { type NoticeKind, noticeRecipient } from "./NoticeRecipients.js"

/** What a committed action wrote that the workers must learn about (a fan-out, notices, released deliveries). */
export interface Written {
  readonly fanOut: Option.Option<FanOutResult>
  readonly notice: ChannelCounts
  readonly released?: ChannelCounts
}

/** Nothing written for the workers: an action whose consequences wake nobody. */
export const nothingWritten: Written = { fanOut: Option.none(), notice: { sms: 0, email: 0 } }

/**
 * A decision on an alert that may be told to someone, with what its notice needs: `noticeRecipient`
 * (NoticeRecipients.ts) says whether anyone is told, who, how and what.
 */
export type AlertNoticeDecision =
  | { readonly action: "approve" | "restore" | "appeal_restore" }
  | {
    readonly action: "hide" | "hide_pending"
    readonly reason: HideReason
    /** A moderator's `hide` confirming a référent's pending hiding. */
    readonly confirmsPendingHide: boolean
  }

/** The words of a notice about an alert; none for a kind its decision cannot tell (the rule never pairs them). */
const alertNoticeSpec = (
  kind: NoticeKind,
  category: AlertCategory,
  decision: AlertNoticeDecision
): Option.Option<ModerationNoticeSpec> => {
  switch (kind) {
    case "approved":
    case "restored":
      return Option.some({ kind, category })
    case "hidden":
      return "reason" in decision
        ? Option.some({ kind, category, reason: hideReasonLabel[decision.reason] })
        : Option.none()
    case "warned":
      return Option.none()
  }
}

/**
 * How moderation moves an alert, shared by the decisions on alerts and on appeals: the move through
 * AlertRepo with its fan-out (hidden content withheld, restored content released), the notice of a
 * decision to whoever NoticeRecipients names, and, after the commit, the workers woken and open apps told.
 */
export class AlertModeration extends Context.Tag("@vigie/domain/AlertModeration")<
  AlertModeration,
  {
    /** Moves the alert (with its fan-out); a concurrent move makes it InvalidAlertTransition. */
    readonly move: (
      rec: AlertModerationRecord,
      to: AlertStatus,
      at: DateTime.Utc
    ) => Effect.Effect<Option.Option<FanOutResult>, InvalidAlertTransition>
    /**
     * Restores a hidden alert inside the caller's transaction: move, release what hiding withheld,
     * clear the hiding, dismiss flags, audit (on the appeal when given), tell of it (`tellOfDecision`).
     */
    readonly restoreWithin: (
      me: Account,
      before: AlertModerationRecord,
      action: "restore" | "appeal_restore",
      note: Option.Option<string>,
      at: DateTime.Utc,
      target?: { readonly kind: "appeal"; readonly id: AppealId }
    ) => Effect.Effect<{ readonly to: "published" | "resolved"; readonly written: Written }, InvalidAlertTransition>
    /**
     * Tells of a decision on an alert, inside the caller's transaction, whoever `noticeRecipient` names
     * (today the author of an alert posted by SMS; web authors see the state on the alert page).
     */
    readonly tellOfDecision: (
      rec: AlertModerationRecord,
      auditId: AuditEntryId,
      decision: AlertNoticeDecision,
      at: DateTime.Utc
    ) => Effect.Effect<ChannelCounts>
    /** After the commit: wake the workers for what was written, and tell open apps the alert changed. */
    readonly afterCommit: (rec: AlertModerationRecord, status: AlertStatus, written: Written) => Effect.Effect<void>
  }
>() {}

export const make = Effect.gen(function*() {
  const publisher = yield* AlertPublisher
  const moderatedAlerts = yield* ModeratedAlerts
  const repo = yield* ModeratedAlertRepo
  const flags = yield* FlagRepo
  const auditLog = yield* AuditLog
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup
  const live = yield* LiveEvents
  const communities = yield* CommunityRepo

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

  const afterCommit: AlertModeration["Type"]["afterCommit"] = (rec, status, written) =>
    Effect.gen(function*() {
      const sms = Option.match(written.fanOut, { onNone: () => 0, onSome: (f) => f.sms }) + written.notice.sms +
        (written.released?.sms ?? 0)
      const email = Option.match(written.fanOut, { onNone: () => 0, onSome: (f) => f.email }) + written.notice.email +
        (written.released?.email ?? 0)
      if (sms + email > 0) {
        yield* wakeup.wake({
          channels: [...(sms > 0 ? ["sms" as const] : []), ...(email > 0 ? ["email" as const] : [])]
        })
      }
      const where = yield* reach(rec.alert.scope, rec.place.insee)
      // A first publication is new to members; anything else changes an alert they may have seen.
      yield* live.publish(
        status === "published" && Option.isNone(rec.firstPublishedAt)
          ? { _tag: "AlertPublished", alertId: rec.alert.id, ...where, authorities: forAuthorities(rec.alert) }
          : { _tag: "AlertChanged", alertId: rec.alert.id, ...where, authorities: forAuthorities(rec.alert), status }
      )
    })

  const tellOfDecision: AlertModeration["Type"]["tellOfDecision"] = (rec, auditId, decision, at) =>
    Effect.suspend(() => {
      const recipient = noticeRecipient({
        _tag: "AlertDecision",
        action: decision.action,
        alert: rec.alert,
        confirmsPendingHide: "confirmsPendingHide" in decision && decision.confirmsPendingHide
      })
      if (Option.isNone(recipient)) return Effect.succeed(nothingWritten.notice)
      const { accountId, channels, kind } = recipient.value
      const spec = alertNoticeSpec(kind, rec.alert.category, decision)
      if (Option.isNone(spec)) return Effect.dieMessage(`no "${kind}" notice for the decision ${decision.action}`)
      return notices.notify({
        decisionId: auditId,
        accountIds: [accountId],
        body: moderationNoticeSms(spec.value),
        channels
      }, at)
    })

  const move: AlertModeration["Type"]["move"] = (rec, to, at) =>
    Effect.gen(function*() {
      const from = rec.alert.status
      if (!canMoveAlert("moderator", from, to)) {
        return yield* new InvalidAlertTransition({ alertId: rec.alert.id, from, to })
      }
      const moved = yield* publisher.transition(rec.alert.id, from, to, at)
      if (Option.isNone(moved)) {
        const current = yield* moderatedAlerts.record(rec.alert.id).pipe(Effect.orDie)
        return yield* new InvalidAlertTransition({ alertId: rec.alert.id, from: current.alert.status, to })
      }
      // Hidden content is not sent later (a retry, an info alert waiting for the end of quiet hours).
      if (to === "hidden") yield* notices.withhold({ kind: "alert", id: rec.alert.id }, at)
      return moved.value.fanOut
    })

  const restoreWithin: AlertModeration["Type"]["restoreWithin"] = (me, before, action, note, at, target) =>
    Effect.gen(function*() {
      if (before.alert.status !== "hidden") {
        return yield* new InvalidAlertTransition({ alertId: before.alert.id, from: before.alert.status,
          to: "published" })
      }
      const to = restoreTarget(before.hiddenFrom)
      const fanOut = yield* move(before, to, at)
      // What hiding held back goes out now, once: nobody gets the alert twice.
      const released = yield* notices.release({ kind: "alert", id: before.alert.id }, at)
      yield* repo.clearHidden(before.alert.id)
      yield* repo.markReviewed(before.alert.id, me.id, at)
      yield* flags.closeFlags(before.alert.id, "dismissed", me.id, at)
      const after = yield* Effect.orDie(moderatedAlerts.record(before.alert.id))
      const base = alertAudit(me, "moderator", action, before, after, { note }, at)
      const entry = yield* auditLog.record(
        target === undefined ? base : { ...base, targetKind: "appeal", targetId: target.id }
      )
      const notice = yield* tellOfDecision(before, entry.id, { action }, at)
      return { to, written: { fanOut, notice, released } satisfies Written }
    })

  return AlertModeration.of({ move, restoreWithin, tellOfDecision, afterCommit })
})

/**
 * Needs AlertPublisher, ModeratedAlerts, ModeratedAlertRepo, FlagRepo, AuditLog, Notices, DeliveryWakeup,
 * LiveEvents, CommunityRepo.
 */
export const layer = Layer.effect(AlertModeration, make)
