import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Moderation } from "@vigie/domain/moderation/Moderation"
import { ModerationRpcs } from "@vigie/domain/moderation/ModerationRpcs"
import { Effect } from "effect"

/** Handlers of ModerationRpcs: each one hands the caller and the payload to the Moderation use case. */
export const layer = ModerationRpcs.toLayer(Effect.gen(function*() {
  const moderation = yield* Moderation
  const as = <A, E>(run: (actor: CurrentActor["Type"]) => Effect.Effect<A, E>) => Effect.flatMap(CurrentActor, run)
  return {
    ListModerationQueue: (page) => as((actor) => moderation.queue(actor, page)),
    GetModerationCase: ({ alertId }) => as((actor) => moderation.moderationCase(actor, alertId)),
    GetAuthorHistory: ({ accountId }) => as((actor) => moderation.authorHistory(actor, accountId)),
    ApproveAlert: ({ alertId, note }) => as((actor) => moderation.approve(actor, alertId, note)),
    MarkAlertReviewed: ({ alertId, note }) => as((actor) => moderation.markReviewed(actor, alertId, note)),
    HideAlert: (hiding) => as((actor) => moderation.hide(actor, hiding)),
    RestoreAlert: ({ alertId, note }) => as((actor) => moderation.restore(actor, alertId, note)),
    ConfirmPendingHide: ({ alertId, note }) => as((actor) => moderation.confirmPendingHide(actor, alertId, note)),
    DismissFlags: ({ alertId, note }) => as((actor) => moderation.dismissFlags(actor, alertId, note)),
    WarnAuthor: (warning) => as((actor) => moderation.warn(actor, warning)),
    SuspendAccount: ({ accountId, note }) => as((actor) => moderation.suspend(actor, accountId, note)),
    LiftSuspension: ({ accountId, note }) => as((actor) => moderation.liftSuspension(actor, accountId, note)),
    BanFromCommunity: ({ accountId, communityId, note }) => as((actor) => moderation.ban(actor, accountId, communityId, note)),
    LiftBan: ({ accountId, communityId, note }) => as((actor) => moderation.liftBan(actor, accountId, communityId, note)),
    SearchAuditLog: (search) => as((actor) => moderation.searchAudit(actor, search)),
    FlagAlert: (flag) => as((actor) => moderation.flag(actor, flag)),
    ListFlags: (page) => as((actor) => moderation.listFlags(actor, page)),
    HideAlertPendingReview: (hiding) => as((actor) => moderation.hidePending(actor, hiding)),
    AppealHiding: ({ alertId, text }) => as((actor) => moderation.appeal(actor, alertId, text)),
    DecideAppeal: (decision) => as((actor) => moderation.decideAppeal(actor, decision)),
    GetMyAlertModeration: ({ alertId }) => as((actor) => moderation.alertState(actor, alertId))
  }
}))
