import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import type { AlertNotFound, InvalidAlertTransition } from "../alerts/AlertErrors.js"
import { Alerts } from "../alerts/Alerts.js"
import { Transactor } from "../shared/Transactor.js"
import { expectedReviewDelay } from "../trust/TrustPolicy.js"
import { AlertModeration, nothingWritten } from "./AlertModeration.js"
import { AppealRepo } from "./AppealRepo.js"
import { alertAudit, AuditLog } from "./AuditLog.js"
import { FlagRepo } from "./FlagRepo.js"
import type { AlertModerationState, AppealId, AppealView } from "./ModeratedAlert.js"
import { ModeratedAlertRepo } from "./ModeratedAlertRepo.js"
import { ModeratedAlerts, requireModerator } from "./ModeratedAlerts.js"
import { type AlreadyAppealed, AppealAlreadyDecided, AppealNotFound, NotAppealable } from "./ModerationErrors.js"
import { mayDecideAppeal, moderationState } from "./ModerationPolicy.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * Authors' appeals against a hiding: the author of a hidden alert appeals once; another moderator
 * than the one who hid it restores the alert (it then fans out if it never did) or upholds the hiding.
 */
export class Appeals extends Context.Tag("@vigie/domain/Appeals")<
  Appeals,
  {
    readonly appeal: (
      actor: Actor,
      alertId: AlertId,
      text: string
    ) => Effect.Effect<AlertModerationState, Acting | AlertNotFound | Forbidden | NotAppealable | AlreadyAppealed>
    readonly decideAppeal: (
      actor: Actor,
      decision: { readonly appealId: AppealId; readonly decision: "restore" | "uphold"; readonly reason: string }
    ) => Effect.Effect<AppealView, Acting | Forbidden | AppealNotFound | AppealAlreadyDecided | InvalidAlertTransition>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* AppealRepo
  const moderatedAlerts = yield* ModeratedAlerts
  const moves = yield* AlertModeration
  const alertsRepo = yield* ModeratedAlertRepo
  const flags = yield* FlagRepo
  const auditLog = yield* AuditLog
  const alerts = yield* Alerts
  const transactor = yield* Transactor

  const { record } = moderatedAlerts

  const appeal: Appeals["Type"]["appeal"] = (actor, alertId, text) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* alerts.get(actor, alertId)
      const rec = yield* record(alertId)
      if (rec.alert.authorId !== account.id) return yield* new Forbidden({ action: "appeal_hiding" })
      if (rec.alert.status !== "hidden") return yield* new NotAppealable({ alertId, status: rec.alert.status })
      const at = yield* DateTime.now
      const made = yield* repo.insertAppeal({
        alertId,
        authorId: account.id,
        text,
        hiddenBy: Option.map(rec.hidden, (h) => h.by.accountId),
        at
      })
      return moderationState(rec, Option.some(made), expectedReviewDelay, at)
    }).pipe(Effect.withSpan("Appeals.appeal"))

  const decideAppeal: Appeals["Type"]["decideAppeal"] = (actor, { appealId, decision, reason }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "decide_appeal")
      const found = yield* repo.appeal(appealId)
      if (Option.isNone(found)) return yield* new AppealNotFound({ appealId })
      const appealed = found.value
      if (appealed.view.status !== "pending") return yield* new AppealAlreadyDecided({ appealId })
      if (!mayDecideAppeal(me.id, appealed.hiddenById)) {
        return yield* new Forbidden({ action: "decide_appeal_of_own_hiding" })
      }
      const alertId = appealed.view.alertId
      const at = yield* DateTime.now
      const decided = { by: me.id, reason, at }
      const after = yield* transactor.transaction(Effect.gen(function*() {
        // The appeal's alert exists: a foreign key says so.
        const before = yield* Effect.orDie(record(alertId))
        if (decision === "restore") {
          const restored = yield* moves.restoreWithin(me, before, "appeal_restore", Option.some(reason), at, {
            kind: "appeal",
            id: appealId
          })
          if (!(yield* repo.decideAppeal(appealId, { status: "restored", ...decided }))) {
            return yield* new AppealAlreadyDecided({ appealId })
          }
          return { before, status: restored.to, written: restored.written }
        }
        if (!(yield* repo.decideAppeal(appealId, { status: "upheld", ...decided }))) {
          return yield* new AppealAlreadyDecided({ appealId })
        }
        // Upholding a référent's pending hiding is a moderator's decision on it.
        if (Option.exists(before.hidden, (h) => h.pendingReview)) {
          yield* alertsRepo.confirmHidden(alertId)
          yield* flags.closeFlags(alertId, "upheld", me.id, at)
        }
        yield* alertsRepo.markReviewed(alertId, me.id, at)
        const base = alertAudit(me, "moderator", "appeal_uphold", before, yield* record(alertId), {
          note: Option.some(reason)
        }, at)
        yield* auditLog.record({ ...base, targetKind: "appeal", targetId: appealId })
        return { before, status: before.alert.status, written: nothingWritten }
      })).pipe(Effect.catchTag("AlertNotFound", Effect.die))
      if (decision === "restore") yield* moves.afterCommit(after.before, after.status, after.written)
      const [view] = (yield* repo.appealsOf([alertId])).filter((a) => a.id === appealId)
      return view ?? (yield* Effect.dieMessage(`appeal ${appealId} vanished`))
    }).pipe(Effect.withSpan("Appeals.decideAppeal"))

  return Appeals.of({ appeal, decideAppeal })
})

/**
 * Needs AppealRepo, ModeratedAlerts, AlertModeration, ModeratedAlertRepo, FlagRepo, AuditLog, Alerts,
 * Transactor.
 */
export const layer = Layer.effect(Appeals, make)
