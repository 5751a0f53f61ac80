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
import type { GazetteCommentId } from "./GazetteComment.js"
import { GazettePostNotFound } from "./GazetteErrors.js"
import { GazetteCommentNotFound } from "./GazetteSocialErrors.js"
import {
  AppealNeedsAnotherModerator,
  GazetteAppealDecided,
  GazetteAppealNotFound,
  type GazetteAlreadyAppealed,
  type GazetteAlreadyFlagged,
  GazetteFlagRateLimited,
  GazetteModerationConflict,
  GazetteNotAppealable
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
  type GazetteQueueReason,
  type GazetteTarget
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
import type { GazettePost } from "./GazettePost.js"
import { GazetteRepo } from "./GazetteRepo.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>
type ModeratorFailure = Acting | Forbidden | GazettePostNotFound | GazetteCommentNotFound | GazetteModerationConflict

/**
 * The Gazette's moderation, as for alerts, of posts and of their comments (a target with a
 * `commentId` is that comment of the post). Whoever may read a post (GazettePolicy.canRead) flags it,
 * or one of its published comments, once, at most GAZETTE_FLAG_DAILY_LIMIT times a day (RateCounters,
 * counted in the flag's own transaction: a refused flag counts nothing). Staff moderators approve a
 * held item, hide an item with a reason, restore a hidden one; its author appeals a hiding once and
 * another moderator decides. Every decision writes its audit row (target `gazette_post` or
 * `gazette_comment`) and the author's e-mail notice in the transaction of the change; what readers
 * see is told live after the commit. Moderators read held, flagged and appealed items only through
 * the queue.
 */
export class GazetteModeration extends Context.Tag("@vigie/domain/GazetteModeration")<
  GazetteModeration,
  {
    readonly flag: (
      actor: Actor,
      flag: { readonly target: GazetteTarget; readonly reason: HideReason; readonly text: Note }
    ) => Effect.Effect<
      GazetteFlagReceipt,
      | Acting
      | GazettePostNotFound
      | GazetteCommentNotFound
      | Forbidden
      | GazetteAlreadyFlagged
      | GazetteFlagRateLimited
    >
    readonly queue: (
      actor: Actor,
      page: { readonly cursor: Option.Option<GazetteQueueCursor>; readonly limit: number }
    ) => Effect.Effect<GazetteQueuePage, Acting | Forbidden>
    readonly approve: (actor: Actor, target: GazetteTarget, note: Note) => Effect.Effect<
      GazetteModerationOutcome,
      ModeratorFailure
    >
    readonly hide: (
      actor: Actor,
      target: GazetteTarget,
      reason: HideReason,
      details: Note
    ) => Effect.Effect<GazetteModerationOutcome, ModeratorFailure | ReasonDetailsRequired>
    readonly restore: (actor: Actor, target: GazetteTarget, note: Note) => Effect.Effect<
      GazetteModerationOutcome,
      ModeratorFailure
    >
    readonly appeal: (actor: Actor, target: GazetteTarget, text: string) => Effect.Effect<
      GazetteAppealView,
      | Acting
      | GazettePostNotFound
      | GazetteCommentNotFound
      | Forbidden
      | GazetteNotAppealable
      | GazetteAlreadyAppealed
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

/** An item as moderation acts on it: its post, its author and its status (a comment's own). */
interface Item {
  readonly post: GazettePost
  readonly commentId: Option.Option<GazetteCommentId>
  readonly authorId: GazettePost["authorId"]
  readonly status: GazettePost["status"]
}

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

  /** An item moderators may act on: not a withdrawn post, not a deleted comment, a comment of its post. */
  const itemOf = (target: GazetteTarget) =>
    Effect.gen(function*() {
      const found = yield* posts.findById(target.postId)
      if (Option.isNone(found) || found.value.status === "withdrawn") {
        return yield* new GazettePostNotFound({ postId: target.postId })
      }
      const post = found.value
      if (Option.isNone(target.commentId)) {
        return { post, commentId: Option.none(), authorId: post.authorId, status: post.status } satisfies Item
      }
      const commentId = target.commentId.value
      const comment = yield* repo.comment(commentId)
      if (Option.isNone(comment) || comment.value.postId !== post.id) {
        return yield* new GazetteCommentNotFound({ commentId })
      }
      return {
        post,
        commentId: target.commentId,
        authorId: comment.value.authorId,
        status: comment.value.status
      } satisfies Item
    })

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
   * What follows an item becoming visible to its readers (approved, restored), after the commit: the
   * live event today; the one place where what its readers chose at once (e-mail) is to be sent.
   */
  const afterPublished = (item: Item) => announce(item.post)

  const wake = (counts: ChannelCounts) =>
    counts.sms + counts.email === 0 ? Effect.void : wakeup.wake({
      channels: [...(counts.sms > 0 ? ["sms" as const] : []), ...(counts.email > 0 ? ["email" as const] : [])]
    })

  /** The audit row and the author's notice of a decision, inside the caller's transaction. */
  const record = (
    me: Account,
    item: Item,
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
        targetKind: Option.isSome(item.commentId) ? "gazette_comment" : "gazette_post",
        targetId: Option.getOrElse(item.commentId, () => item.post.id),
        alertId: Option.none(),
        accountId: Option.some(item.authorId),
        communityId: Option.fromNullable(item.post.communityId),
        reason: why.reason,
        note: why.note,
        before: Option.some(before),
        after: Option.some(after)
      })
      return yield* notices.notify({
        decisionId: entry.id,
        accountIds: [item.authorId],
        body: gazetteNoticeText(item.post.title, occasion, Option.isSome(item.commentId) ? "comment" : "post"),
        channels: ["email"]
      }, at)
    })

  const flag: GazetteModeration["Type"]["flag"] = (actor, { reason, target, text }) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Whoever may read the post may flag it or its published comments; anyone else learns nothing.
      yield* gazette.get(actor, target.postId)
      const item = yield* itemOf(target)
      if (Option.isSome(target.commentId) && item.status !== "published" && item.authorId !== account.id) {
        return yield* new GazetteCommentNotFound({ commentId: target.commentId.value })
      }
      const refusal = flagRefusal(account.id, item.authorId)
      if (refusal !== undefined) return yield* refusal
      const at = yield* DateTime.now
      yield* tx.transaction(Effect.gen(function*() {
        yield* repo.insertFlag({ target, flaggedBy: account.id, reason, text, at })
        const counted = yield* counters.hit(
          [{ key: `gazette_flag:${account.id}`, limit: GAZETTE_FLAG_DAILY_LIMIT }],
          Duration.toMillis(GAZETTE_FLAG_WINDOW)
        )
        if (counted._tag === "Limited") {
          return yield* new GazetteFlagRateLimited({ retryAfterSeconds: counted.retryAfterSeconds })
        }
      }))
      return new GazetteFlagReceipt({ postId: target.postId, commentId: target.commentId, reason, createdAt: at })
    }).pipe(Effect.withSpan("GazetteModeration.flag"))

  /** A moderator's approve, hide or restore: the move, the flags closed, the audit row and the notice. */
  const decide = (
    actor: Actor,
    target: GazetteTarget,
    action: GazetteModeratorAction,
    why: { readonly reason: Option.Option<HideReason>; readonly note: Note }
  ) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, `${action}_gazette_item`)
      const item = yield* itemOf(target)
      const refusal = moderationRefusal(target, action, item.status)
      if (refusal !== undefined) return yield* refusal
      const to = Option.getOrThrow(moderatedStatus(action, item.status))
      const at = yield* DateTime.now
      const hiding: Option.Option<GazetteHidingRecord> = Option.map(why.reason, (reason) => ({
        by: me.id,
        reason,
        details: why.note,
        at
      }))
      const counts = yield* tx.transaction(Effect.gen(function*() {
        const hidingBefore = yield* repo.hiding(target)
        const flagsBefore = yield* repo.openFlags(target)
        if (!(yield* repo.moveStatus(target, item.status, to, hiding, at))) {
          const now = yield* itemOf(target)
          return yield* moderationRefusal(target, action, now.status) ??
            new GazetteModerationConflict({ postId: target.postId, action, status: now.status })
        }
        yield* repo.closeFlags(target, flagsClosedAs(action), me.id, at)
        const occasion: GazetteNoticeOccasion = Option.match(hiding, {
          onNone: () => ({ _tag: action === "approve" ? "approved" : "restored" }) as const,
          onSome: (h) => ({ _tag: "hidden", reason: h.reason, details: h.details }) as const
        })
        return yield* record(
          me,
          item,
          action,
          snapshot(item.status, hidingBefore, flagsBefore),
          snapshot(to, hiding, 0),
          why,
          occasion,
          at
        )
      }))
      yield* wake(counts)
      if (to === "published") yield* afterPublished(item)
      else if (item.status === "published") yield* announce(item.post)
      return new GazetteModerationOutcome({ postId: target.postId, commentId: target.commentId, status: to })
    })

  const approve: GazetteModeration["Type"]["approve"] = (actor, target, note) =>
    decide(actor, target, "approve", { reason: Option.none(), note }).pipe(
      Effect.withSpan("GazetteModeration.approve")
    )

  const hide: GazetteModeration["Type"]["hide"] = (actor, target, reason, details) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "hide_gazette_item")
      const refusal = hideDetailsRefusal(reason, details)
      if (refusal !== undefined) return yield* refusal
      return yield* decide(actor, target, "hide", { reason: Option.some(reason), note: details })
    }).pipe(Effect.withSpan("GazetteModeration.hide"))

  const restore: GazetteModeration["Type"]["restore"] = (actor, target, note) =>
    decide(actor, target, "restore", { reason: Option.none(), note }).pipe(
      Effect.withSpan("GazetteModeration.restore")
    )

  const appeal: GazetteModeration["Type"]["appeal"] = (actor, target, text) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Its author reads a hidden post; anyone else finds nothing.
      yield* gazette.get(actor, target.postId)
      const item = yield* itemOf(target)
      const refusal = appealRefusal(account.id, target, item)
      if (refusal !== undefined) return yield* refusal
      const hiding = yield* repo.hiding(target)
      // Only a moderator's hiding is appealed (it names who hid it, so that another one decides).
      if (Option.isNone(hiding)) {
        return yield* new GazetteNotAppealable({
          postId: target.postId,
          ...Option.match(target.commentId, { onNone: () => ({}), onSome: (commentId) => ({ commentId }) }),
          status: item.status
        })
      }
      return yield* repo.insertAppeal({
        target,
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
      const target: GazetteTarget = { postId: appealed.view.postId, commentId: appealed.view.commentId }
      const item = yield* Effect.orDie(itemOf(target))
      const at = yield* DateTime.now
      const restoring = decision === "restore"
      if (restoring) {
        const refusal = moderationRefusal(target, "restore", item.status)
        if (refusal !== undefined) return yield* refusal
      }
      const counts = yield* tx.transaction(Effect.gen(function*() {
        const hidingBefore = yield* repo.hiding(target)
        const flagsBefore = yield* repo.openFlags(target)
        const decided = { by: me.id, reason, at }
        if (!(yield* repo.decideAppeal(appealId, { status: restoring ? "restored" : "upheld", ...decided }))) {
          return yield* new GazetteAppealDecided({ appealId })
        }
        if (restoring) {
          if (!(yield* repo.moveStatus(target, "hidden", "published", Option.none(), at))) {
            const now = yield* Effect.orDie(itemOf(target))
            return yield* new GazetteModerationConflict({ postId: target.postId, action: "restore",
              status: now.status })
          }
          yield* repo.closeFlags(target, "dismissed", me.id, at)
        }
        return yield* record(
          me,
          item,
          restoring ? "appeal_restore" : "appeal_uphold",
          snapshot(item.status, hidingBefore, flagsBefore),
          restoring ? snapshot("published", Option.none(), 0) : snapshot(item.status, hidingBefore, flagsBefore),
          { reason: Option.none(), note: Option.some(reason) },
          restoring ? { _tag: "appeal_restored", reason } : { _tag: "appeal_upheld", reason },
          at
        )
      }))
      yield* wake(counts)
      if (restoring) yield* afterPublished(item)
      const after = yield* repo.appeal(appealId)
      return Option.getOrThrow(after).view
    }).pipe(Effect.withSpan("GazetteModeration.decideAppeal"))

  const queue: GazetteModeration["Type"]["queue"] = (actor, { cursor, limit }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "list_gazette_moderation_queue")
      const rows = yield* repo.queue(cursor, limit + 1)
      const shown = rows.slice(0, limit)
      const ids = shown.map((r) => r.itemId)
      const flags = ids.length === 0 ? [] : yield* repo.openFlagsOf(ids)
      const appeals = ids.length === 0 ? [] : yield* repo.pendingAppealsOf(ids)
      const last = shown[shown.length - 1]
      return new GazetteQueuePage({
        entries: shown.map((r) => {
          const appeal = appeals.find((a) => Option.getOrElse(a.view.commentId, () => a.view.postId) === r.itemId)
          const reasons: Array<GazetteQueueReason> = [
            ...(r.held ? ["held" as const] : []),
            ...(r.flagged ? ["flagged" as const] : []),
            ...(r.appealed ? ["appealed" as const] : [])
          ]
          return new GazetteQueueEntry({
            item: r.item,
            postId: r.postId,
            commentId: r.commentId,
            kind: r.kind,
            status: r.status,
            title: r.title,
            body: r.body,
            communityId: r.communityId,
            quartier: r.quartier,
            holdReasons: r.holdReasons,
            reasons,
            since: r.since,
            flags: flags.filter((f) => f.itemId === r.itemId).map((f) => f.flag),
            hidden: Option.map(r.hiding, (h) => new GazetteHiding({ reason: h.reason, details: h.details, at: h.at })),
            appeal: Option.map(Option.fromNullable(appeal), (a) => a.view),
            authorName: r.authorName,
            authorHistory: r.authorHistory,
            actionable: appeal === undefined || mayDecideGazetteAppeal(me.id, appeal.hiddenBy)
          })
        }),
        next: rows.length > limit && last !== undefined
          ? Option.some({ since: last.since, itemId: last.itemId })
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
