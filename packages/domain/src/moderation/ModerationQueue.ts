import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import {
  AccountNotFound,
  type AccountSuspended,
  type Forbidden,
  type Unauthenticated
} from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import { AlertNotFound } from "../alerts/AlertErrors.js"
import { expectedReviewDelay } from "../trust/TrustPolicy.js"
import { AppealRepo } from "./AppealRepo.js"
import { AuditLogRepo } from "./AuditLogRepo.js"
import { FlagRepo } from "./FlagRepo.js"
import {
  type AlertModerationState,
  type AuthorHistory,
  ModerationQueueItem,
  ModerationQueuePage,
  type QueueItemKind
} from "./ModeratedAlert.js"
import { ModeratedAlertRepo } from "./ModeratedAlertRepo.js"
import { historyOf, ModeratedAlerts, requireModerator } from "./ModeratedAlerts.js"
import { ModerationCase } from "./ModerationCase.js"
import { actionable, isStaffModerator, moderationState, waitingSeconds } from "./ModerationPolicy.js"
import { ModerationQueueRepo } from "./ModerationQueueRepo.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * What moderators read: the queue (held, unreviewed, flagged, appealed alerts, with counts), one
 * alert's whole case, an author's history; and what an author reads of their own alert's moderation.
 */
export class ModerationQueue extends Context.Tag("@vigie/domain/ModerationQueue")<
  ModerationQueue,
  {
    readonly queue: (actor: Actor, page: {
      readonly kind: Option.Option<QueueItemKind>
      readonly offset: Option.Option<number>
      readonly limit: number
    }) => Effect.Effect<ModerationQueuePage, Acting | Forbidden>
    readonly moderationCase: (
      actor: Actor,
      alertId: AlertId
    ) => Effect.Effect<ModerationCase, Acting | Forbidden | AlertNotFound>
    readonly authorHistory: (
      actor: Actor,
      accountId: AccountId
    ) => Effect.Effect<AuthorHistory, Acting | Forbidden | AccountNotFound>
    readonly alertState: (actor: Actor, alertId: AlertId) => Effect.Effect<AlertModerationState, Acting | AlertNotFound>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* ModerationQueueRepo
  const moderatedAlerts = yield* ModeratedAlerts
  const alertsRepo = yield* ModeratedAlertRepo
  const flags = yield* FlagRepo
  const appeals = yield* AppealRepo
  const audit = yield* AuditLogRepo

  const queue: ModerationQueue["Type"]["queue"] = (actor, page) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "read_moderation_queue")
      const at = yield* DateTime.now
      const offset = Option.getOrElse(page.offset, () => 0)
      const entries = yield* repo.queue({ kind: page.kind, offset, limit: page.limit + 1 })
      const shown = entries.slice(0, page.limit)
      const ids = [...new Set(shown.map((e) => e.alertId))]
      const views = new Map(
        (yield* moderatedAlerts.moderatedAll(yield* alertsRepo.alerts(ids), at)).map((v) => [v.alert.id, v])
      )
      const open = yield* flags.flagsOf(ids, true)
      const byId = new Map((yield* appeals.appealsOf(ids)).map((a) => [a.id, a]))
      const items = shown.flatMap((entry) => {
        const alert = views.get(entry.alertId)
        if (alert === undefined) return []
        const appeal = Option.flatMap(entry.appealId, (id) => Option.fromNullable(byId.get(id)))
        return [
          new ModerationQueueItem({
            kind: entry.kind,
            alert,
            waitingSince: entry.since,
            waitingSeconds: waitingSeconds(entry.since, at),
            flags: open.filter((f) => f.alertId === entry.alertId),
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
    }).pipe(Effect.withSpan("ModerationQueue.queue"))

  const moderationCase: ModerationQueue["Type"]["moderationCase"] = (actor, alertId) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "read_moderation_case")
      const alert = yield* moderatedAlerts.moderated(alertId)
      return new ModerationCase({
        alert,
        flags: yield* flags.flagsOf([alertId], false),
        appeals: yield* appeals.appealsOf([alertId]),
        audit: yield* audit.auditOf(alertId)
      })
    })

  const authorHistory: ModerationQueue["Type"]["authorHistory"] = (actor, accountId) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "read_author_history")
      const [author] = yield* alertsRepo.authors([accountId])
      if (author === undefined) return yield* new AccountNotFound({ accountId })
      return historyOf(author, yield* DateTime.now)
    })

  const alertState: ModerationQueue["Type"]["alertState"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const rec = yield* moderatedAlerts.record(alertId)
      // These facts are the author's (and the moderators'): any other caller learns nothing.
      if (rec.alert.authorId !== account.id && !isStaffModerator(account)) return yield* new AlertNotFound({ alertId })
      const [made] = yield* appeals.appealsOf([alertId])
      return moderationState(rec, Option.fromNullable(made), expectedReviewDelay, yield* DateTime.now)
    })

  return ModerationQueue.of({ queue, moderationCase, authorHistory, alertState })
})

/** Needs ModerationQueueRepo, ModeratedAlerts, ModeratedAlertRepo, FlagRepo, AppealRepo, AuditLogRepo. */
export const layer = Layer.effect(ModerationQueue, make)
