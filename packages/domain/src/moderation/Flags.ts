import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import type { AlertNotFound } from "../alerts/AlertErrors.js"
import { Alerts } from "../alerts/Alerts.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Transactor } from "../shared/Transactor.js"
import { alertAudit, AuditLog } from "./AuditLog.js"
import { FlagRepo } from "./FlagRepo.js"
import type { FlagReason } from "./HideReason.js"
import { FlaggedAlertPage, type FlagView, type ModeratedAlert } from "./ModeratedAlert.js"
import { ModeratedAlerts, requireModerator } from "./ModeratedAlerts.js"
import { type AlreadyFlagged, NoOpenFlags } from "./ModerationErrors.js"
import { isStaffModerator, referentCommunities } from "./ModerationPolicy.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>

/**
 * Members' flags on alerts: whoever may read an alert may flag it once; référents list the flags of
 * their communities (without who flagged), moderators every flag; a moderator dismisses the open
 * flags of an alert that breaks no rule.
 */
export class Flags extends Context.Tag("@vigie/domain/Flags")<
  Flags,
  {
    readonly flag: (
      actor: Actor,
      flag: { readonly alertId: AlertId; readonly reason: FlagReason; readonly text: Note }
    ) => Effect.Effect<FlagView, Acting | AlertNotFound | AlreadyFlagged>
    readonly listFlags: (actor: Actor, page: {
      readonly communityId: Option.Option<CommunityId>
      readonly status: Option.Option<"open" | "all">
      readonly offset: Option.Option<number>
      readonly limit: number
    }) => Effect.Effect<FlaggedAlertPage, Acting | Forbidden | CommunityNotFound>
    readonly dismissFlags: (
      actor: Actor,
      alertId: AlertId,
      note: Note
    ) => Effect.Effect<ModeratedAlert, Acting | Forbidden | AlertNotFound | NoOpenFlags>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* FlagRepo
  const moderatedAlerts = yield* ModeratedAlerts
  const auditLog = yield* AuditLog
  const alerts = yield* Alerts
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const transactor = yield* Transactor

  const flag: Flags["Type"]["flag"] = (actor, { alertId, reason, text }) =>
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
        at: yield* DateTime.now
      })
    }).pipe(Effect.withSpan("Flags.flag"))

  const listFlags: Flags["Type"]["listFlags"] = (actor, page) =>
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
        items: yield* moderatedAlerts.flaggedViews(actor, entries.slice(0, page.limit), openOnly, staff),
        nextOffset: entries.length > page.limit ? Option.some(offset + page.limit) : Option.none()
      })
    }).pipe(Effect.withSpan("Flags.listFlags"))

  const dismissFlags: Flags["Type"]["dismissFlags"] = (actor, alertId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "dismiss_flags")
      const at = yield* DateTime.now
      yield* transactor.transaction(Effect.gen(function*() {
        const before = yield* moderatedAlerts.record(alertId)
        if ((yield* repo.closeFlags(alertId, "dismissed", me.id, at)) === 0) return yield* new NoOpenFlags({ alertId })
        const after = yield* moderatedAlerts.record(alertId)
        yield* auditLog.record(alertAudit(me, "moderator", "dismiss_flags", before, after, { note }, at))
      }))
      return yield* moderatedAlerts.moderated(alertId)
    }).pipe(Effect.withSpan("Flags.dismissFlags"))

  return Flags.of({ flag, listFlags, dismissFlags })
})

/** Needs FlagRepo, ModeratedAlerts, AuditLog, Alerts, MembershipRepo, CommunityRepo, Transactor. */
export const layer = Layer.effect(Flags, make)
