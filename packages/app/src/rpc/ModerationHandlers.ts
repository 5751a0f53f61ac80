import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { AlertDecisions } from "@vigie/domain/moderation/AlertDecisions"
import { Appeals } from "@vigie/domain/moderation/Appeals"
import { AuditLog } from "@vigie/domain/moderation/AuditLog"
import { Flags } from "@vigie/domain/moderation/Flags"
import { ModerationQueue } from "@vigie/domain/moderation/ModerationQueue"
import { ModerationRpcs } from "@vigie/domain/moderation/ModerationRpcs"
import { Sanctions } from "@vigie/domain/moderation/Sanctions"
import { Effect } from "effect"

/** Handlers of ModerationRpcs: each one hands the caller and the payload to the moderation service it belongs to. */
export const layer = ModerationRpcs.toLayer(Effect.gen(function*() {
  const queue = yield* ModerationQueue
  const decisions = yield* AlertDecisions
  const sanctions = yield* Sanctions
  const flags = yield* Flags
  const appeals = yield* Appeals
  const auditLog = yield* AuditLog
  const as = <A, E>(run: (actor: CurrentActor["Type"]) => Effect.Effect<A, E>) => Effect.flatMap(CurrentActor, run)
  return {
    ListModerationQueue: (page) => as((actor) => queue.queue(actor, page)),
    GetModerationCase: ({ alertId }) => as((actor) => queue.moderationCase(actor, alertId)),
    GetAuthorHistory: ({ accountId }) => as((actor) => queue.authorHistory(actor, accountId)),
    ApproveAlert: ({ alertId, note }) => as((actor) => decisions.approve(actor, alertId, note)),
    MarkAlertReviewed: ({ alertId, note }) => as((actor) => decisions.markReviewed(actor, alertId, note)),
    HideAlert: (hiding) => as((actor) => decisions.hide(actor, hiding)),
    RestoreAlert: ({ alertId, note }) => as((actor) => decisions.restore(actor, alertId, note)),
    ConfirmPendingHide: ({ alertId, note }) => as((actor) => decisions.confirmPendingHide(actor, alertId, note)),
    DismissFlags: ({ alertId, note }) => as((actor) => flags.dismissFlags(actor, alertId, note)),
    WarnAuthor: (warning) => as((actor) => sanctions.warn(actor, warning)),
    SuspendAccount: ({ accountId, note }) => as((actor) => sanctions.suspend(actor, accountId, note)),
    LiftSuspension: ({ accountId, note }) => as((actor) => sanctions.liftSuspension(actor, accountId, note)),
    BanFromCommunity: ({ accountId, communityId, note }) =>
      as((actor) => sanctions.ban(actor, accountId, communityId, note)),
    LiftBan: ({ accountId, communityId, note }) =>
      as((actor) => sanctions.liftBan(actor, accountId, communityId, note)),
    SearchAuditLog: (search) => as((actor) => auditLog.searchAudit(actor, search)),
    FlagAlert: (flag) => as((actor) => flags.flag(actor, flag)),
    ListFlags: (page) => as((actor) => flags.listFlags(actor, page)),
    HideAlertPendingReview: (hiding) => as((actor) => decisions.hidePending(actor, hiding)),
    AppealHiding: ({ alertId, text }) => as((actor) => appeals.appeal(actor, alertId, text)),
    DecideAppeal: (decision) => as((actor) => appeals.decideAppeal(actor, decision)),
    GetMyAlertModeration: ({ alertId }) => as((actor) => queue.alertState(actor, alertId))
  }
}))
