import { Context, DateTime, Effect, Layer, Option } from "effect"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { LiveEvents } from "../live/LiveEvents.js"
import { MemberBlocks } from "../membership/MemberBlocks.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import type { AccountId } from "../accounts/Account.js"
import type { Alert, AlertId } from "./Alert.js"
import { forAuthorities } from "./AlertAccess.js"
import { AlertNotFound } from "./AlertErrors.js"
import { alertReach } from "./AlertReach.js"
import { ReactionCounts, ReactionSummary, Reactor, shortName, type ReactionKind } from "./AlertReaction.js"
import { AlertClosedToReactions } from "./AlertReactionErrors.js"
import { AlertReactionRepo } from "./AlertReactionRepo.js"
import { Alerts } from "./Alerts.js"

type Acting = Unauthenticated | AccountSuspended

/** At most this many alerts per counts request: a page of the feed. */
export const MAX_COUNTED_ALERTS = 50

/**
 * "J'y vais" and "Vu" on an alert. Reading follows the alerts' own rule (Alerts.get, that is
 * AlertAccess.canRead): whoever may not read the alert gets AlertNotFound, for the marks too. Only
 * verified members of a community the alert reaches may mark it, and only while it is published.
 * Each change that happened is told live (AlertReactionsChanged, ids only) after it is written.
 */
export class AlertReactions extends Context.Tag("@vigie/domain/AlertReactions")<
  AlertReactions,
  {
    readonly mark: (
      actor: Actor,
      alertId: AlertId,
      kind: ReactionKind
    ) => Effect.Effect<ReactionSummary, Acting | AlertNotFound | Forbidden | AlertClosedToReactions>
    readonly unmark: (
      actor: Actor,
      alertId: AlertId,
      kind: ReactionKind
    ) => Effect.Effect<ReactionSummary, Acting | AlertNotFound | Forbidden | AlertClosedToReactions>
    readonly get: (actor: Actor, alertId: AlertId) => Effect.Effect<ReactionSummary, Acting | AlertNotFound>
    /** Counts for the alerts of the list the actor may read; the others are left out, as if unknown. */
    readonly counts: (
      actor: Actor,
      alertIds: ReadonlyArray<AlertId>
    ) => Effect.Effect<ReadonlyArray<ReactionCounts>, Acting>
  }
>() {}

export const make = Effect.gen(function*() {
  const alerts = yield* Alerts
  const repo = yield* AlertReactionRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const live = yield* LiveEvents
  const blocks = yield* MemberBlocks
  const now = DateTime.now

  /** The commune of an alert and the communities it reaches (none when its community is gone). */
  const reach = (alert: Alert) => alertReach(communities, alert.scope)

  /** Everyone's marks as `readerId` sees them: names and whether each is theirs, never an account id. */
  const summary = (alertId: AlertId, readerId: AccountId) =>
    Effect.map(repo.list(alertId), (rows) => {
      const of = (kind: ReactionKind) =>
        rows.filter((r) => r.kind === kind).map((r) =>
          new Reactor({ name: shortName(r.firstName, r.lastName), mine: r.accountId === readerId, at: r.at })
        )
      return new ReactionSummary({ alertId, going: of("going"), seen: of("seen") })
    })

  const change = (which: "mark" | "unmark") => (actor: Actor, alertId: AlertId, kind: ReactionKind) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const alert = yield* alerts.get(actor, alertId)
      if (alert.status !== "published") return yield* new AlertClosedToReactions({ alertId, status: alert.status })
      const where = yield* reach(alert)
      const verified = new Set(
        (yield* memberships.listByAccount(account.id)).filter((m) => m.status === "verified").map((m) => m.communityId)
      )
      if (Option.isNone(where) || !where.value.communityIds.some((id) => verified.has(id))) {
        return yield* new Forbidden({ action: `${which}_alert_${kind}` })
      }
      // A mark reaches the alert's author (names shown): a member they blocked gets the same refusal (issue 16).
      if (which === "mark" && (yield* blocks.isBlockedBy(account.id, alert.authorId))) {
        return yield* new Forbidden({ action: `${which}_alert_${kind}` })
      }
      const changed = which === "mark"
        ? yield* Effect.flatMap(now, (at) => repo.mark(alertId, account.id, kind, at))
        : yield* repo.unmark(alertId, account.id, kind)
      // Written (one statement, committed): tell the open pages, which re-read what they may see.
      if (changed) {
        yield* live.publish({ _tag: "AlertReactionsChanged", alertId, ...where.value,
          authorities: forAuthorities(alert) })
      }
      return yield* summary(alertId, account.id)
    }).pipe(Effect.withSpan(`AlertReactions.${which}`))

  const get: AlertReactions["Type"]["get"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* alerts.get(actor, alertId)
      return yield* summary(alertId, account.id)
    }).pipe(Effect.withSpan("AlertReactions.get"))

  const counts: AlertReactions["Type"]["counts"] = (actor, alertIds) =>
    Effect.gen(function*() {
      yield* requireAccount(actor)
      const wanted = [...new Set(alertIds)].slice(0, MAX_COUNTED_ALERTS)
      const readable = yield* alerts.readableIds(actor, wanted)
      if (readable.length === 0) return []
      const found = new Map((yield* repo.counts(readable)).map((c) => [c.alertId, c]))
      return readable.map((alertId) =>
        new ReactionCounts({ alertId, going: found.get(alertId)?.going ?? 0, seen: found.get(alertId)?.seen ?? 0 })
      )
    }).pipe(Effect.withSpan("AlertReactions.counts"))

  return AlertReactions.of({ mark: change("mark"), unmark: change("unmark"), get, counts })
})

export const layer = Layer.effect(AlertReactions, make)
