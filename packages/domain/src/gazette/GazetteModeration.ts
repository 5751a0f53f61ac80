import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { type ChannelCounts, Notices } from "../delivery/Notices.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { LiveEvents } from "../live/LiveEvents.js"
import type { AuditAction, AuditSnapshot } from "../moderation/AuditEntry.js"
import { AuditLog } from "../moderation/AuditLog.js"
import type { HideReason } from "../moderation/HideReason.js"
import { requireModerator } from "../moderation/ModeratedAlerts.js"
import type { ReasonDetailsRequired } from "../moderation/ModerationErrors.js"
import { RateCounters } from "../shared/RateCounters.js"
import { Transactor } from "../shared/Transactor.js"
import { Gazette } from "./Gazette.js"
import { GazettePostNotFound } from "./GazetteErrors.js"
import {
  AppealNeedsAnotherModerator,
  GazetteAppealDecided,
  GazetteAppealNotFound,
  type GazetteAlreadyAppealed,
  type GazetteAlreadyFlagged,
  GazetteFlagRateLimited,
  GazetteModerationConflict,
  type GazetteNotAppealable
} from "./GazetteModerationErrors.js"
import {
  type GazetteAppealId,
  type GazetteAppealView,
  GazetteFlagReceipt,
  GazetteHiding,
  GazetteModerationOutcome,
  GazetteQueueEntry,
  GazetteQueuePage,
  type GazetteQueueCursor,
  type GazetteQueueReason
} from "./GazetteModerationItem.js"
import {
  appealRefusal,
  flagRefusal,
  flagsClosedAs,
  GAZETTE_FLAG_DAILY_LIMIT,
  GAZETTE_FLAG_WINDOW,
  gazetteNoticeText,
  type GazetteModeratorAction,
  type GazetteNoticeOccasion,
  hideDetailsRefusal,
  mayDecideGazetteAppeal,
  moderatedStatus,
  moderationRefusal
} from "./GazetteModerationPolicy.js"
import { GazetteModerationRepo, type GazetteHidingRecord } from "./GazetteModerationRepo.js"
import type { GazettePost, GazettePostId } from "./GazettePost.js"
import { GazetteRepo } from "./GazetteRepo.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>
type ModeratorFailure = Acting | Forbidden | GazettePostNotFound | GazetteModerationConflict

/**
 * The Gazette's moderation, as for alerts. Whoever may read a post (GazettePolicy.canRead) flags it
 * once, at most GAZETTE_FLAG_DAILY_LIMIT times a day (RateCounters, counted in the flag's own
 * transaction: a refused flag counts nothing). Staff moderators approve a held post, hide a post with
 * a reason, restore a hidden one; its author appeals a hiding once and another moderator decides.
 * Every decision writes its audit row (target `gazette_post`) and the author's e-mail notice in the
 * transaction of the change; what readers see is told live after the commit. Moderators read held,
 * flagged and appealed posts only through the queue.
 */
export class GazetteModeration extends Context.Tag("@vigie/domain/GazetteModeration")<
  GazetteModeration,
  {
    readonly flag: (
      actor: Actor,
      flag: { readonly postId: GazettePostId; readonly reason: HideReason; readonly text: Note }
    ) => Effect.Effect<
      GazetteFlagReceipt,
      Acting | GazettePostNotFound | Forbidden | GazetteAlreadyFlagged | GazetteFlagRateLimited
    >
    readonly queue: (
      actor: Actor,
      page: { readonly cursor: Option.Option<GazetteQueueCursor>; readonly limit: number }
    ) => Effect.Effect<GazetteQueuePage, Acting | Forbidden>
    readonly approve: (actor: Actor, postId: GazettePostId, note: Note) => Effect.Effect<
      GazetteModerationOutcome,
      ModeratorFailure
    >
    readonly hide: (
      actor: Actor,
      postId: GazettePostId,
      reason: HideReason,
      details: Note
    ) => Effect.Effect<GazetteModerationOutcome, ModeratorFailure | ReasonDetailsRequired>
    readonly restore: (actor: Actor, postId: GazettePostId, note: Note) => Effect.Effect<
      GazetteModerationOutcome,
      ModeratorFailure
    >
    readonly appeal: (actor: Actor, postId: GazettePostId, text: string) => Effect.Effect<
      GazetteAppealView,
      Acting | GazettePostNotFound | Forbidden | GazetteNotAppealable | GazetteAlreadyAppealed
    >
    readonly decideAppeal: (
      actor: Actor,
      decision: { readonly appealId: GazetteAppealId; readonly decision: "restore" | "uphold"; readonly reason: string }
    ) => Effect.Effect<
      GazetteAppealView,
      | Acting
      | Forbidden
      | GazetteAppealNotFound
      | GazetteAppealDecided
      | AppealNeedsAnotherModerator
      | GazetteModerationConflict
    >
  }
>() {}

const snapshot = (
  status: GazettePost["status"],
  hiding: Option.Option<GazetteHidingRecord>,
  openFlags: number
): AuditSnapshot => ({
  status,
  hiddenReason: Option.getOrNull(Option.map(hiding, (h) => h.reason)),
  openFlags
})

export const make = Effect.gen(function*() {
  const posts = yield* GazetteRepo
  const repo = yield* GazetteModerationRepo
  const gazette = yield* Gazette
  const auditLog = yield* AuditLog
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup
  const counters = yield* RateCounters
  const communities = yield* CommunityRepo
  const live = yield* LiveEvents
  const tx = yield* Transactor

  /** A post moderators may act on: any but a withdrawn one (its author's). */
  const moderatable = (postId: GazettePostId) =>
    Effect.flatMap(posts.findById(postId), (found) =>
      Option.isNone(found) || found.value.status === "withdrawn"
        ? Effect.fail(new GazettePostNotFound({ postId }))
        : Effect.succeed(found.value))

  /** Tells the open pages of the post's quartiers that it changed (ids only; each reader re-reads). */
  const announce = (post: GazettePost) =>
    Effect.gen(function*() {
      const communityIds: ReadonlyArray<CommunityId> = post.communityId !== null
        ? [post.communityId]
        : post.details._tag === "communication" && post.details.communityIds.length > 0
        ? post.details.communityIds
        : (yield* communities.listByCommune(post.insee)).map((c) => c.id)
      yield* live.publish({
        _tag: "GazetteChanged",
        postId: post.id,
        insee: post.insee,
        communityIds,
        mairie: post.kind === "communication"
      })
    })

  /**
   * What follows a post becoming visible to its readers (approved, restored), after the commit: the
   * live event today; the one place where what its readers chose at once (e-mail) is to be sent.
   */
  const afterPublished = (post: GazettePost) => announce(post)

  const wake = (counts: ChannelCounts) =>
    counts.sms + counts.email === 0 ? Effect.void : wakeup.wake({
      channels: [...(counts.sms > 0 ? ["sms" as const] : []), ...(counts.email > 0 ? ["email" as const] : [])]
    })

  /** The audit row and the author's notice of a decision, inside the caller's transaction. */
  const record = (
    me: Account,
    post: GazettePost,
    action: AuditAction,
    before: AuditSnapshot,
    after: AuditSnapshot,
    why: { readonly reason: Option.Option<HideReason>; readonly note: Note },
    occasion: GazetteNoticeOccasion,
    at: DateTime.Utc
  ) =>
    Effect.gen(function*() {
      const entry = yield* auditLog.record({
        at,
        actorId: me.id,
        actorRole: "moderator",
        action,
        targetKind: "gazette_post",
        targetId: post.id,
        alertId: Option.none(),
        accountId: Option.some(post.authorId),
        communityId: Option.fromNullable(post.communityId),
        reason: why.reason,
        note: why.note,
        before: Option.some(before),
        after: Option.some(after)
      })
      return yield* notices.notify({
        decisionId: entry.id,
        accountIds: [post.authorId],
        body: gazetteNoticeText(post.title, occasion),
        channels: ["email"]
      }, at)
    })

  const flag: GazetteModeration["Type"]["flag"] = (actor, { postId, reason, text }) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Whoever may read the post may flag it; anyone else learns nothing about it.
      yield* gazette.get(actor, postId)
      const post = yield* moderatable(postId)
      const refusal = flagRefusal(account.id, post.authorId)
      if (refusal !== undefined) return yield* refusal
      const at = yield* DateTime.now
      yield* tx.transaction(Effect.gen(function*() {
        yield* repo.insertFlag({ postId, flaggedBy: account.id, reason, text, at })
        const counted = yield* counters.hit(
          [{ key: `gazette_flag:${account.id}`, limit: GAZETTE_FLAG_DAILY_LIMIT }],
          Duration.toMillis(GAZETTE_FLAG_WINDOW)
        )
        if (counted._tag === "Limited") {
          return yield* new GazetteFlagRateLimited({ retryAfterSeconds: counted.retryAfterSeconds })
        }
      }))
      return new GazetteFlagReceipt({ postId, reason, createdAt: at })
    }).pipe(Effect.withSpan("GazetteModeration.flag"))

  /** A moderator's approve, hide or restore: the move, the flags closed, the audit row and the notice. */
  const decide = (
    actor: Actor,
    postId: GazettePostId,
    action: GazetteModeratorAction,
    why: { readonly reason: Option.Option<HideReason>; readonly note: Note }
  ) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, `${action}_gazette_post`)
      const post = yield* moderatable(postId)
      const refusal = moderationRefusal(postId, action, post.status)
      if (refusal !== undefined) return yield* refusal
      const to = Option.getOrThrow(moderatedStatus(action, post.status))
      const at = yield* DateTime.now
      const hiding: Option.Option<GazetteHidingRecord> = Option.map(why.reason, (reason) => ({
        by: me.id,
        reason,
        details: why.note,
        at
      }))
      const counts = yield* tx.transaction(Effect.gen(function*() {
        const hidingBefore = yield* repo.hiding(postId)
        const flagsBefore = yield* repo.openFlags(postId)
        if (!(yield* repo.moveStatus(postId, post.status, to, hiding, at))) {
          const now = yield* moderatable(postId)
          return yield* new GazetteModerationConflict({ postId, action, status: now.status })
        }
        yield* repo.closeFlags(postId, flagsClosedAs(action), me.id, at)
        const occasion: GazetteNoticeOccasion = Option.match(hiding, {
          onNone: () => ({ _tag: action === "approve" ? "approved" : "restored" }) as const,
          onSome: (h) => ({ _tag: "hidden", reason: h.reason, details: h.details }) as const
        })
        return yield* record(
          me,
          post,
          action,
          snapshot(post.status, hidingBefore, flagsBefore),
          snapshot(to, hiding, 0),
          why,
          occasion,
          at
        )
      }))
      yield* wake(counts)
      const after = yield* moderatable(postId)
      if (to === "published") yield* afterPublished(after)
      else if (post.status === "published") yield* announce(after)
      return new GazetteModerationOutcome({ postId, status: to })
    })

  const approve: GazetteModeration["Type"]["approve"] = (actor, postId, note) =>
    decide(actor, postId, "approve", { reason: Option.none(), note }).pipe(
      Effect.withSpan("GazetteModeration.approve")
    )

  const hide: GazetteModeration["Type"]["hide"] = (actor, postId, reason, details) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "hide_gazette_post")
      const refusal = hideDetailsRefusal(reason, details)
      if (refusal !== undefined) return yield* refusal
      return yield* decide(actor, postId, "hide", { reason: Option.some(reason), note: details })
    }).pipe(Effect.withSpan("GazetteModeration.hide"))

  const restore: GazetteModeration["Type"]["restore"] = (actor, postId, note) =>
    decide(actor, postId, "restore", { reason: Option.none(), note }).pipe(
      Effect.withSpan("GazetteModeration.restore")
    )

  const appeal: GazetteModeration["Type"]["appeal"] = (actor, postId, text) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Its author reads a hidden post; anyone else finds nothing.
      yield* gazette.get(actor, postId)
      const post = yield* moderatable(postId)
      const refusal = appealRefusal(account.id, post)
      if (refusal !== undefined) return yield* refusal
      const hiding = yield* repo.hiding(postId)
      if (Option.isNone(hiding)) return yield* Effect.dieMessage(`hidden post ${postId} without its hiding`)
      return yield* repo.insertAppeal({
        postId,
        authorId: account.id,
        text,
        hiddenBy: hiding.value.by,
        at: yield* DateTime.now
      })
    }).pipe(Effect.withSpan("GazetteModeration.appeal"))

  const decideAppeal: GazetteModeration["Type"]["decideAppeal"] = (actor, { appealId, decision, reason }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "decide_gazette_appeal")
      const found = yield* repo.appeal(appealId)
      if (Option.isNone(found)) return yield* new GazetteAppealNotFound({ appealId })
      const appealed = found.value
      if (appealed.view.status !== "pending") return yield* new GazetteAppealDecided({ appealId })
      if (!mayDecideGazetteAppeal(me.id, appealed.hiddenBy)) {
        return yield* new AppealNeedsAnotherModerator({ appealId })
      }
      const postId = appealed.view.postId
      const post = yield* Effect.orDie(moderatable(postId))
      const at = yield* DateTime.now
      const restoring = decision === "restore"
      if (restoring) {
        const refusal = moderationRefusal(postId, "restore", post.status)
        if (refusal !== undefined) return yield* refusal
      }
      const counts = yield* tx.transaction(Effect.gen(function*() {
        const hidingBefore = yield* repo.hiding(postId)
        const flagsBefore = yield* repo.openFlags(postId)
        const decided = { by: me.id, reason, at }
        if (!(yield* repo.decideAppeal(appealId, { status: restoring ? "restored" : "upheld", ...decided }))) {
          return yield* new GazetteAppealDecided({ appealId })
        }
        if (restoring) {
          if (!(yield* repo.moveStatus(postId, "hidden", "published", Option.none(), at))) {
            const now = yield* Effect.orDie(moderatable(postId))
            return yield* new GazetteModerationConflict({ postId, action: "restore", status: now.status })
          }
          yield* repo.closeFlags(postId, "dismissed", me.id, at)
        }
        return yield* record(
          me,
          post,
          restoring ? "appeal_restore" : "appeal_uphold",
          snapshot(post.status, hidingBefore, flagsBefore),
          restoring ? snapshot("published", Option.none(), 0) : snapshot(post.status, hidingBefore, flagsBefore),
          { reason: Option.none(), note: Option.some(reason) },
          restoring ? { _tag: "appeal_restored", reason } : { _tag: "appeal_upheld", reason },
          at
        )
      }))
      yield* wake(counts)
      if (restoring) yield* afterPublished(yield* Effect.orDie(moderatable(postId)))
      const after = yield* repo.appeal(appealId)
      return Option.getOrThrow(after).view
    }).pipe(Effect.withSpan("GazetteModeration.decideAppeal"))

  const queue: GazetteModeration["Type"]["queue"] = (actor, { cursor, limit }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "list_gazette_moderation_queue")
      const rows = yield* repo.queue(cursor, limit + 1)
      const shown = rows.slice(0, limit)
      const ids = shown.map((r) => r.postId)
      const flags = ids.length === 0 ? [] : yield* repo.openFlagsOf(ids)
      const appeals = ids.length === 0 ? [] : yield* repo.pendingAppealsOf(ids)
      const last = shown[shown.length - 1]
      return new GazetteQueuePage({
        entries: shown.map((r) => {
          const appeal = appeals.find((a) => a.view.postId === r.postId)
          const reasons: Array<GazetteQueueReason> = [
            ...(r.held ? ["held" as const] : []),
            ...(r.flagged ? ["flagged" as const] : []),
            ...(r.appealed ? ["appealed" as const] : [])
          ]
          return new GazetteQueueEntry({
            item: "post",
            postId: r.postId,
            kind: r.kind,
            status: r.status,
            title: r.title,
            body: r.body,
            communityId: r.communityId,
            quartier: r.quartier,
            holdReasons: r.holdReasons,
            reasons,
            since: r.since,
            flags: flags.filter((f) => f.postId === r.postId).map((f) => f.flag),
            hidden: Option.map(r.hiding, (h) => new GazetteHiding({ reason: h.reason, details: h.details, at: h.at })),
            appeal: Option.map(Option.fromNullable(appeal), (a) => a.view),
            authorName: r.authorName,
            authorHistory: r.authorHistory,
            actionable: appeal === undefined || mayDecideGazetteAppeal(me.id, appeal.hiddenBy)
          })
        }),
        next: rows.length > limit && last !== undefined
          ? Option.some({ since: last.since, postId: last.postId })
          : Option.none()
      })
    }).pipe(Effect.withSpan("GazetteModeration.queue"))

  return GazetteModeration.of({ flag, queue, approve, hide, restore, appeal, decideAppeal })
})

/**
 * Needs GazetteRepo, GazetteModerationRepo, Gazette, AuditLog, Notices, DeliveryWakeup, RateCounters,
 * CommunityRepo, LiveEvents, Transactor.
 */
export const layer = Layer.effect(GazetteModeration, make)
