import { Context, DateTime, Duration, Effect, Layer, Option, Stream } from "effect"
import type { Scope } from "effect"
import { isModerator, type Account } from "../accounts/Account.js"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { LiveEvent } from "../live/LiveEvent.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { LiveEvents } from "../live/LiveEvents.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import type { Alert, AlertCategory, AlertId, AlertScope, Urgency } from "./Alert.js"
import {
  ALERT_RATE_LIMIT,
  ALERT_RATE_WINDOW,
  canRead,
  categoryFits,
  forAuthorities,
  receivesLiveEvent,
  staffCommunes,
  type Viewer
} from "./AlertAccess.js"
import {
  AlertNotFound,
  AlertRateLimited,
  CategoryNotAllowed,
  InvalidAlertTransition,
  TownAlertNeedsPreview
} from "./AlertErrors.js"
import { Transactor } from "../shared/Transactor.js"
import { AlertHistory } from "./AlertHistory.js"
import { alertReach } from "./AlertReach.js"
import { canMoveAlert } from "./AlertLifecycle.js"
import { AlertPublisher } from "./AlertPublisher.js"
import { AlertRepo, type FanOutResult } from "./AlertRepo.js"
import { DUPLICATE_WINDOW, originalOf } from "./DuplicatePolicy.js"
import { AlertPage } from "./AlertView.js"
import { toAlertView, type AlertView } from "./AlertView.js"
import { displayName } from "../accounts/DisplayName.js"
import { sensitiveSpans } from "../trust/SensitiveDescriptors.js"
import { Trust } from "../trust/Trust.js"
import { trustDecision, type HoldReason } from "../trust/TrustPolicy.js"

type Acting = Unauthenticated | AccountSuspended

export interface AlertDraft {
  readonly scope: AlertScope
  readonly category: AlertCategory
  readonly urgency: Urgency
  readonly text: string
  readonly place: Option.Option<string>
  readonly sharedWithAuthorities: boolean
}

/**
 * Alerts as members and town staff use them: post, read the feed, close one's own, watch live. A
 * resident's alert is held for review when the trust policy says so (TrustPolicy.trustDecision: new
 * member, sensitive descriptors, bursts); the reasons and the flagged spans are stored with it.
 */
export class Alerts extends Context.Tag("@vigie/domain/Alerts")<
  Alerts,
  {
    /**
     * A member's alert to one of their communities; the rate limit, the trust policy's counts, its
     * hold decision and the insert run under the author's and the community's locks. The commune
     * scope is refused: town alerts go through TownAlerts' preview and confirmation.
     */
    readonly post: (
      actor: Actor,
      draft: AlertDraft
    ) => Effect.Effect<
      Alert,
      | Acting
      | NotAVerifiedMember
      | Forbidden
      | CategoryNotAllowed
      | AlertRateLimited
      | CommunityNotFound
      | TownAlertNeedsPreview
    >
    readonly feed: (
      actor: Actor,
      page: {
        readonly before: Option.Option<DateTime.Utc>
        readonly beforeId: Option.Option<AlertId>
        readonly limit: number
      }
    ) => Effect.Effect<AlertPage, Acting>
    readonly get: (actor: Actor, alertId: AlertId) => Effect.Effect<Alert, Acting | AlertNotFound>
    /** `get` as the reader receives it: without its author's id (AlertView). */
    readonly view: (actor: Actor, alertId: AlertId) => Effect.Effect<AlertView, Acting | AlertNotFound>
    /** Alerts the actor may read, as they receive them: `mine` and the author's display name, never an account id. */
    readonly present: (actor: Actor, alerts: ReadonlyArray<Alert>) => Effect.Effect<ReadonlyArray<AlertView>, Acting>
    /** Which of `alertIds` the actor may read (in their order, without repeats): the rule of `get`, in a few queries. */
    readonly readableIds: (
      actor: Actor,
      alertIds: ReadonlyArray<AlertId>
    ) => Effect.Effect<ReadonlyArray<AlertId>, Acting>
    readonly close: (
      actor: Actor,
      alertId: AlertId,
      to: "retracted" | "resolved"
    ) => Effect.Effect<Alert, Acting | AlertNotFound | Forbidden | InvalidAlertTransition>
    readonly watch: (actor: Actor) => Effect.Effect<Stream.Stream<LiveEvent>, Acting, Scope.Scope>
  }
>() {}

export const make = Effect.gen(function*() {
  const alerts = yield* AlertRepo
  const publisher = yield* AlertPublisher
  const history = yield* AlertHistory
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const live = yield* LiveEvents
  const wakeup = yield* DeliveryWakeup
  // The trust policy's settings, fixed for the life of the use case (a deployment sets them at start).
  const settings = yield* Trust
  const tx = yield* Transactor

  const now = DateTime.now

  const viewerOf = (account: Account) =>
    Effect.map(memberships.listByAccount(account.id), (mine): Viewer => ({
      accountId: account.id,
      staffRoles: account.staffRoles,
      verifiedCommunities: new Set(mine.filter((m) => m.status === "verified").map((m) => m.communityId))
    }))

  /** The commune of an alert and the communities it reaches. */
  const reach = (scope: AlertScope) => alertReach(communities, scope)

  /** Wakes the workers for the deliveries just committed, if any. */
  const wake = (written: Option.Option<FanOutResult>) =>
    Option.match(written, {
      onNone: () => Effect.void,
      onSome: ({ email, sms }) =>
        sms + email === 0
          ? Effect.void
          : wakeup.wake({ channels: [...(sms > 0 ? ["sms" as const] : []), ...(email > 0 ? ["email" as const] : [])] })
    })

  /**
   * The alert a draft confirms (DuplicatePolicy.originalOf over the scope's last 10 minutes, one
   * query), followed back to the first report when it matched a follow-up itself.
   */
  const confirmed = (draft: AlertDraft, at: DateTime.Utc) =>
    Effect.map(
      alerts.recent(draft.scope, DateTime.subtractDuration(at, DUPLICATE_WINDOW), at),
      (recent): Option.Option<Alert> => {
        const byId = new Map(recent.map((a) => [a.id, a]))
        return Option.flatMap(
          originalOf({ scope: draft.scope, category: draft.category, text: draft.text, createdAt: at }, recent),
          (match) => {
            const found = byId.get(match.id)
            if (found === undefined) return Option.none()
            return Option.some(
              Option.match(found.followupOf, { onNone: () => found, onSome: (first) => byId.get(first) ?? found })
            )
          }
        )
      }
    )

  const readable = (viewer: Viewer, alertId: AlertId) =>
    Effect.gen(function*() {
      const found = yield* alerts.findById(alertId)
      if (Option.isNone(found)) return yield* new AlertNotFound({ alertId })
      const where = yield* reach(found.value.scope)
      if (Option.isNone(where) || !canRead(viewer, found.value, where.value.insee, where.value.communityIds)) {
        return yield* new AlertNotFound({ alertId })
      }
      return { alert: found.value, ...where.value }
    })

  const post: Alerts["Type"]["post"] = (actor, draft) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (draft.scope._tag === "Commune") return yield* new TownAlertNeedsPreview({ insee: draft.scope.insee })
      if (!categoryFits(draft.scope._tag, draft.category)) {
        return yield* new CategoryNotAllowed({ category: draft.category })
      }
      const scope = draft.scope
      const origin: Alert["origin"] = actor._tag === "Phone" ? "sms" : "web"
      const communityId = scope.communityId
      const mine = yield* memberships.listByAccount(account.id)
      if (!mine.some((m) => m.communityId === communityId && m.status === "verified")) {
        return yield* new NotAVerifiedMember({ communityId })
      }
      const sensitive = sensitiveSpans(draft.text)
      // The counts, the decision and the insert under the author's then the community's lock: the
      // calls of one batch, or of parallel requests, are counted one after the other.
      const { alert, fanOut } = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("alerts_author", account.id)
        yield* tx.lock("alerts_community", communityId)
        const at = yield* now
        // The rate limit and every fact of the trust policy come from one query.
        const counts = yield* history.trustCounts(account.id, communityId, {
          rate: DateTime.subtractDuration(at, ALERT_RATE_WINDOW),
          member: DateTime.subtractDuration(at, settings.memberBurst.window),
          community: DateTime.subtractDuration(at, settings.communityBurst.window)
        })
        if (counts.rateRecent >= ALERT_RATE_LIMIT) {
          return yield* new AlertRateLimited({ retryAfterSeconds: Math.ceil(Duration.toSeconds(ALERT_RATE_WINDOW)) })
        }
        const decision = trustDecision({
          origin,
          authorPreviousAlerts: counts.total,
          authorRecentAlerts: counts.memberRecent,
          communityRecentAlerts: counts.communityRecent,
          sensitive
        }, settings)
        const holdReasons: ReadonlyArray<HoldReason> = decision._tag === "Hold" ? decision.reasons : []
        const original = yield* confirmed(draft, at)
        return yield* publisher.post({
          scope,
          authorId: account.id,
          origin,
          category: draft.category,
          urgency: draft.urgency,
          text: draft.text,
          place: draft.place,
          sharedWithAuthorities: draft.sharedWithAuthorities,
          status: holdReasons.length > 0 ? "held_for_review" : "published",
          holdReasons,
          flaggedSpans: sensitive,
          // A confirmation of one's own alert (a double submission) tells nobody "another neighbour".
          followup: Option.getOrUndefined(
            Option.map(original, (o) => ({ of: Option.getOrElse(o.followupOf, () =>
              o.id), notify: o.authorId !== account.id }))
          )
        }, at)
      }))
      // The deliveries are committed: wake the workers now rather than at their next poll.
      yield* wake(fanOut)
      if (alert.status === "published") {
        const where = yield* reach(alert.scope)
        if (Option.isSome(where)) {
          yield* live.publish({ _tag: "AlertPublished", alertId: alert.id, ...where.value,
            authorities: forAuthorities(alert) })
        }
      }
      return alert
    }).pipe(Effect.withSpan("Alerts.post"))

  const feed: Alerts["Type"]["feed"] = (actor, page) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const viewer = yield* viewerOf(account)
      const communes = staffCommunes(account.staffRoles)
      const ids = new Set(viewer.verifiedCommunities)
      for (const insee of communes) {
        for (const c of yield* communities.listByCommune(insee)) ids.add(c.id)
      }
      if (ids.size === 0) return new AlertPage({ alerts: [], nextBefore: Option.none() })
      // The query applies `canRead`, so that every page but the last is full; one more row than asked
      // tells whether a next page exists.
      const entries = yield* alerts.feed({
        accountId: account.id,
        moderator: isModerator(account.staffRoles),
        verifiedCommunities: [...viewer.verifiedCommunities],
        staffCommunes: [...communes],
        communityIds: [...ids]
      }, {
        before: Option.map(page.before, (createdAt) => ({ createdAt, id: page.beforeId })),
        limit: page.limit + 1
      })
      const shown = entries.slice(0, page.limit)
      const last = shown[shown.length - 1]?.alert
      const more = entries.length > page.limit && last !== undefined
      return new AlertPage({
        // The authors came with the page (as presentTo names them, without its second query).
        alerts: shown.map(({ alert, author }) =>
          toAlertView(
            alert,
            account.id,
            alert.scope._tag === "Community" ? Option.map(author, displayName) : Option.none()
          )
        ),
        nextBefore: more ? Option.some(last.createdAt) : Option.none(),
        nextBeforeId: more ? Option.some(last.id) : Option.none()
      })
    }).pipe(Effect.withSpan("Alerts.feed"))

  const get: Alerts["Type"]["get"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      return (yield* readable(yield* viewerOf(account), alertId)).alert
    })

  /** The views of `shown` for `account`: the authors' names come from one query. */
  const presentTo = (account: Account, shown: ReadonlyArray<Alert>) =>
    Effect.gen(function*() {
      const ids = [...new Set(shown.filter((a) => a.scope._tag === "Community").map((a) => a.authorId))]
      const names = new Map((yield* alerts.authors(ids)).map((a) => [a.id, displayName(a)]))
      return shown.map((a) => toAlertView(a, account.id, Option.fromNullable(names.get(a.authorId))))
    })

  const present: Alerts["Type"]["present"] = (actor, shown) =>
    Effect.flatMap(requireAccount(actor), (account) => presentTo(account, shown))

  const view: Alerts["Type"]["view"] = (actor, alertId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const alert = (yield* readable(yield* viewerOf(account), alertId)).alert
      const [shown] = yield* presentTo(account, [alert])
      return shown ?? (yield* Effect.dieMessage(`alert ${alertId} has no view`))
    })

  const readableIds: Alerts["Type"]["readableIds"] = (actor, alertIds) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const wanted = [...new Set(alertIds)]
      if (wanted.length === 0) return []
      const viewer = yield* viewerOf(account)
      const found = new Map((yield* alerts.findByIds(wanted)).map((a) => [a.id, a]))
      // One look-up per distinct scope, not per alert.
      const reaches = new Map<string, Effect.Effect.Success<ReturnType<typeof reach>>>()
      const readable: Array<AlertId> = []
      for (const id of wanted) {
        const alert = found.get(id)
        if (alert === undefined) continue
        const key = JSON.stringify(alert.scope)
        let where = reaches.get(key)
        if (where === undefined) {
          where = yield* reach(alert.scope)
          reaches.set(key, where)
        }
        if (Option.isSome(where) && canRead(viewer, alert, where.value.insee, where.value.communityIds)) {
          readable.push(id)
        }
      }
      return readable
    }).pipe(Effect.withSpan("Alerts.readableIds"))

  const close: Alerts["Type"]["close"] = (actor, alertId, to) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const { alert, insee, communityIds } = yield* readable(yield* viewerOf(account), alertId)
      if (alert.authorId !== account.id) return yield* new Forbidden({ action: `close_alert_${to}` })
      if (!canMoveAlert("author", alert.status, to)) {
        return yield* new InvalidAlertTransition({ alertId, from: alert.status, to })
      }
      const at = yield* now
      // The status change and its closing message commit together; the workers are woken after.
      const moved = yield* publisher.transition(alertId, alert.status, to, at)
      if (Option.isNone(moved)) {
        const current = yield* Effect.flatMap(alerts.findById(alertId), Effect.orDie)
        return yield* new InvalidAlertTransition({ alertId, from: current.status, to })
      }
      yield* wake(moved.value.closing)
      yield* live.publish({ _tag: "AlertChanged", alertId, insee, communityIds, authorities: forAuthorities(alert),
        status: to })
      return moved.value.alert
    }).pipe(Effect.withSpan("Alerts.close"))

  const watch: Alerts["Type"]["watch"] = (actor) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const viewer = yield* viewerOf(account)
      const stream = yield* live.subscribe
      return Stream.filter(stream, (event) => receivesLiveEvent(viewer, event))
    })

  return Alerts.of({ post, feed, get, view, present, readableIds, close, watch })
})

export const layer = Layer.effect(Alerts, make)
