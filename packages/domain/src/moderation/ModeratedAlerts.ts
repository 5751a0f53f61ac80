import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import { AlertNotFound } from "../alerts/AlertErrors.js"
import { Alerts } from "../alerts/Alerts.js"
import { sensitiveSpans } from "../trust/SensitiveDescriptors.js"
import { FlagRepo } from "./FlagRepo.js"
import { AuthorHistory, FlaggedAlert, FlagView, ModeratedAlert, MyHiding } from "./ModeratedAlert.js"
import { ModeratedAlertRepo, type AlertModerationRecord, type AuthorRecord } from "./ModeratedAlertRepo.js"
import { ageInDays, isStaffModerator } from "./ModerationPolicy.js"

/** The acting account when it is a staff moderator; Forbidden (naming the action) otherwise. */
export const requireModerator = (actor: Actor, action: string) =>
  Effect.flatMap(
    requireAccount(actor),
    (account) => isStaffModerator(account) ? Effect.succeed(account) : Effect.fail(new Forbidden({ action }))
  )

/** An author's history as moderators read it: the record with the account's age on `at`. */
export const historyOf = (author: AuthorRecord, at: DateTime.Utc) =>
  new AuthorHistory({ ...author, accountAgeDays: ageInDays(author.accountCreatedAt, at) })

/**
 * The moderation services' shared reading of alerts: one alert's record, moderators' views of alerts
 * (with their authors' histories and the sensitive spans recomputed from the text), and the
 * flagged-alert views of référents and moderators. Reads only; it decides nothing.
 */
export class ModeratedAlerts extends Context.Tag("@vigie/domain/ModeratedAlerts")<
  ModeratedAlerts,
  {
    readonly record: (alertId: AlertId) => Effect.Effect<AlertModerationRecord, AlertNotFound>
    readonly moderatedAll: (
      records: ReadonlyArray<AlertModerationRecord>,
      at: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<ModeratedAlert>>
    readonly moderated: (alertId: AlertId) => Effect.Effect<ModeratedAlert, AlertNotFound>
    /**
     * The flagged-alert views for a référent (who flagged is withheld) or a moderator (`staff`): the
     * alerts as members receive them, and a hiding without who hid it.
     */
    readonly flaggedViews: (
      actor: Actor,
      entries: ReadonlyArray<{ readonly alertId: AlertId; readonly firstFlaggedAt: DateTime.Utc }>,
      openOnly: boolean,
      staff: boolean
    ) => Effect.Effect<ReadonlyArray<FlaggedAlert>, Unauthenticated | AccountSuspended>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* ModeratedAlertRepo
  const flags = yield* FlagRepo
  const alerts = yield* Alerts

  const record: ModeratedAlerts["Type"]["record"] = (alertId) =>
    Effect.flatMap(
      repo.alerts([alertId]),
      (rows) => rows[0] === undefined ? Effect.fail(new AlertNotFound({ alertId })) : Effect.succeed(rows[0])
    )

  const moderatedAll: ModeratedAlerts["Type"]["moderatedAll"] = (records, at) =>
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

  const moderated: ModeratedAlerts["Type"]["moderated"] = (alertId) =>
    Effect.gen(function*() {
      const at = yield* DateTime.now
      const [view] = yield* moderatedAll([yield* record(alertId)], at)
      return view ?? (yield* Effect.dieMessage(`alert ${alertId}: its author is missing`))
    })

  const flaggedViews: ModeratedAlerts["Type"]["flaggedViews"] = (actor, entries, openOnly, staff) =>
    Effect.gen(function*() {
      const ids = entries.map((e) => e.alertId)
      const found = yield* repo.alerts(ids)
      const views = new Map((yield* alerts.present(actor, found.map((r) => r.alert))).map((v) => [v.id, v]))
      const records = new Map(found.map((r) => [r.alert.id, r]))
      const open = yield* flags.flagsOf(ids, openOnly)
      return entries.flatMap((e) => {
        const r = records.get(e.alertId)
        const alert = views.get(e.alertId)
        return r === undefined || alert === undefined ? [] : [
          new FlaggedAlert({
            alert,
            place: r.place,
            hidden: Option.map(
              r.hidden,
              (h) => new MyHiding({ reason: h.reason, details: h.details, at: h.at, pendingReview: h.pendingReview })
            ),
            flags: open.filter((f) => f.alertId === e.alertId).map((f) =>
              staff ? f : new FlagView({ ...f, flaggedBy: Option.none() })
            ),
            firstFlaggedAt: e.firstFlaggedAt
          })
        ]
      })
    })

  return ModeratedAlerts.of({ record, moderatedAll, moderated, flaggedViews })
})

/** Needs ModeratedAlertRepo, FlagRepo, Alerts. */
export const layer = Layer.effect(ModeratedAlerts, make)
