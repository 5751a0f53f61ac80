import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices, type ChannelCounts } from "../delivery/Notices.js"
import { LiveEvents } from "../live/LiveEvents.js"
import { MemberBlocks } from "../membership/MemberBlocks.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { RateCounters } from "../shared/RateCounters.js"
import { Transactor } from "../shared/Transactor.js"
import { sensitiveSpans } from "../trust/SensitiveDescriptors.js"
import { CalendarEvent, calendarUid } from "./CalendarEvent.js"
import { EventCalendar } from "./EventCalendar.js"
import { Gazette } from "./Gazette.js"
import {
  type EventAnswer,
  GazetteComments,
  GazetteCommentView,
  GazetteEventAnswers,
  type GazetteCommentId,
  GazetteThanks,
  PostedGazetteComment
} from "./GazetteComment.js"
import { GazettePostNotFound, type InvalidGazettePost } from "./GazetteErrors.js"
import type { EvenementDetails, GazettePost, GazettePostId, GazettePostView } from "./GazettePost.js"
import { canRead, detailsRefusal, gazetteViewer } from "./GazettePolicy.js"
import { GazetteRepo } from "./GazetteRepo.js"
import {
  EventClosed,
  type EventFull,
  GazetteCommentNotFound,
  GazetteCommentRateLimited,
  type GazettePostNotOpenToReplies,
  type InvalidGazetteComment,
  NotAnEvent
} from "./GazetteSocialErrors.js"
import {
  answerRefusal,
  COMMENT_HOURLY_LIMIT,
  COMMENT_NOTICE_INTERVAL,
  COMMENT_RATE_WINDOW,
  commentNoticeRecipients,
  commentsChecked,
  commentText,
  EVENT_REMINDER_BEFORE,
  eventChangeRecipients,
  eventClosedRefusal,
  mayManageEvent,
  mayTakePart,
  repliesRefusal,
  threadParent,
  threadsFor
} from "./GazetteSocialPolicy.js"
import { GazetteSocialRepo } from "./GazetteSocialRepo.js"
import { gazetteActivityBody, gazettePostPath, type GazetteActivitySpec } from "./GazetteSocialTexts.js"

type Acting = Unauthenticated | AccountSuspended
type Reading = Acting | GazettePostNotFound
type TakingPart = Reading | GazettePostNotOpenToReplies | Forbidden
type Event = typeof EvenementDetails.Type

/** An event's new time and place, as the author's form sends them (its limit of places stays). */
export interface EventMove {
  readonly startsAt: DateTime.Utc
  readonly endsAt: Option.Option<DateTime.Utc>
  readonly place: string
}

/** An event's calendar file and the name it is downloaded under. */
export interface EventIcs {
  readonly fileName: string
  readonly body: string
}

/**
 * What members add to the Gazette's posts: comments (replies one level deep), "merci", answers to
 * events, and the events' own life (cancelled, moved, reminded the day before, as a calendar file).
 * Reading follows the post's own rule (Gazette.get): whoever may not read the post gets
 * GazettePostNotFound for all of it. Taking part needs a published post and a verified membership of
 * a quartier it reaches (GazetteSocialPolicy.mayTakePart). E-mails go through the delivery engine
 * (Notices, written inside the transaction; the workers woken after the commit); each change is told
 * live (GazetteChanged) after its commit.
 */
export class GazetteSocial extends Context.Tag("@vigie/domain/GazetteSocial")<
  GazetteSocial,
  {
    readonly comment: (
      actor: Actor,
      postId: GazettePostId,
      text: string,
      replyTo: Option.Option<GazetteCommentId>
    ) => Effect.Effect<
      PostedGazetteComment,
      TakingPart | InvalidGazetteComment | GazetteCommentNotFound | GazetteCommentRateLimited
    >
    readonly deleteComment: (
      actor: Actor,
      commentId: GazetteCommentId
    ) => Effect.Effect<GazetteComments, Acting | GazetteCommentNotFound | Forbidden>
    readonly comments: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazetteComments, Reading>
    readonly thank: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazetteThanks, TakingPart>
    readonly unthank: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazetteThanks, TakingPart>
    readonly thanks: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazetteThanks, Reading>
    readonly answer: (
      actor: Actor,
      postId: GazettePostId,
      answer: EventAnswer
    ) => Effect.Effect<GazetteEventAnswers, TakingPart | NotAnEvent | EventClosed | EventFull>
    readonly answers: (actor: Actor, postId: GazettePostId) => Effect.Effect<GazetteEventAnswers, Reading | NotAnEvent>
    readonly cancelEvent: (
      actor: Actor,
      postId: GazettePostId
    ) => Effect.Effect<GazettePostView, TakingPart | NotAnEvent | EventClosed>
    readonly moveEvent: (
      actor: Actor,
      postId: GazettePostId,
      move: EventMove
    ) => Effect.Effect<GazettePostView, TakingPart | NotAnEvent | EventClosed | InvalidGazettePost>
    /** The event as a calendar file, for whoever may read it; `publicUrl` names the site (UID, link). */
    readonly calendar: (
      actor: Actor,
      postId: GazettePostId,
      publicUrl: URL
    ) => Effect.Effect<EventIcs, Reading | NotAnEvent>
    /**
     * The day-before reminders due now, at most `limit` events: each member coming is reminded once
     * per event and start, whichever process runs it. Answers how many members were reminded.
     */
    readonly remindEvents: (limit: number) => Effect.Effect<number>
  }
>() {}

const noCounts: ChannelCounts = { sms: 0, email: 0 }

export const make = Effect.gen(function*() {
  const gazette = yield* Gazette
  const posts = yield* GazetteRepo
  const repo = yield* GazetteSocialRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const counters = yield* RateCounters
  const live = yield* LiveEvents
  const tx = yield* Transactor
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup
  const calendars = yield* EventCalendar
  const blocks = yield* MemberBlocks
  const now = DateTime.now

  const viewerOf = (account: Account) =>
    Effect.map(memberships.listByAccount(account.id), (mine) => gazetteViewer(account, mine))

  /** The quartiers a post reaches (as Gazette reads them): its own, or those of a communication. */
  const reach = (post: GazettePost) =>
    post.communityId !== null
      ? Effect.succeed<ReadonlyArray<CommunityId>>([post.communityId])
      : post.details._tag === "communication" && post.details.communityIds.length > 0
      ? Effect.succeed(post.details.communityIds)
      : Effect.map(communities.listByCommune(post.insee), (all) => all.map((c) => c.id))

  /** The post the actor may read, with what the rules need; GazettePostNotFound otherwise. */
  const reading = (actor: Actor, postId: GazettePostId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const found = yield* posts.findById(postId)
      if (Option.isNone(found)) return yield* new GazettePostNotFound({ postId })
      const viewer = yield* viewerOf(account)
      const where = yield* reach(found.value)
      if (!canRead(viewer, { ...found.value, reach: where })) return yield* new GazettePostNotFound({ postId })
      return { account, post: found.value, viewer, where }
    })

  /**
   * As `reading`, for one who takes part: a published post, a verified member of a quartier it
   * reaches, and not blocked by its author (issue 16: the same refusal as any other, so the blocked
   * member is not told; nothing is written).
   */
  const takingPart = (actor: Actor, postId: GazettePostId, action: string) =>
    Effect.gen(function*() {
      const ctx = yield* reading(actor, postId)
      const refusal = repliesRefusal(ctx.post)
      if (refusal !== undefined) return yield* refusal
      if (!mayTakePart(ctx.viewer, { ...ctx.post, reach: ctx.where })) return yield* new Forbidden({ action })
      if (yield* blocks.isBlockedBy(ctx.account.id, ctx.post.authorId)) return yield* new Forbidden({ action })
      return ctx
    })

  const eventOf = (post: GazettePost) =>
    post.details._tag === "evenement"
      ? Effect.succeed(post.details)
      : Effect.fail(new NotAnEvent({ postId: post.id }))

  /** After a commit: wake the workers for the e-mails due now, tell the open pages. */
  const afterCommit = (post: GazettePost, written: ChannelCounts, where: ReadonlyArray<CommunityId>) =>
    Effect.gen(function*() {
      if (written.email > 0) yield* wakeup.wake({ channels: ["email"] })
      if (post.status === "published") {
        yield* live.publish({
          _tag: "GazetteChanged",
          postId: post.id,
          insee: post.insee,
          communityIds: where,
          mairie: post.kind === "communication"
        })
      }
    })

  const notify = (post: GazettePost, accountIds: ReadonlyArray<string>, spec: GazetteActivitySpec, at: DateTime.Utc) =>
    accountIds.length === 0
      ? Effect.succeed(noCounts)
      : notices.notify({
        decision: "gazette_activity",
        decisionId: post.id,
        accountIds: accountIds as ReadonlyArray<GazettePost["authorId"]>,
        body: gazetteActivityBody(spec),
        channels: ["email"]
      }, at)

  /** On a communication, its author's comments are signed as the post is ("Mairie"), not with the agent's name. */
  const signed = (post: GazettePost, authorId: GazettePost["authorId"], name: string) =>
    post.kind === "communication" && authorId === post.authorId ? post.authorName : name

  const listComments = (post: GazettePost, readerId: GazettePost["authorId"]) =>
    Effect.map(repo.comments(post.id), (rows) =>
      new GazetteComments({
        postId: post.id,
        threads: threadsFor(rows.map((r) => ({ ...r, authorName: signed(post, r.authorId, r.authorName) })), readerId)
      }))

  const comment: GazetteSocial["Type"]["comment"] = (actor, postId, text, replyTo) =>
    Effect.gen(function*() {
      const { account, post, where } = yield* takingPart(actor, postId, "comment_gazette_post")
      const checked = commentText(text)
      if (checked._tag === "InvalidGazetteComment") return yield* checked
      let parentId: GazetteCommentId | null = null
      if (Option.isSome(replyTo)) {
        const parent = yield* repo.findComment(replyTo.value)
        const visible = Option.isSome(parent) && parent.value.postId === postId && parent.value.deletedAt === null &&
          (parent.value.status === "published" ||
            (parent.value.status === "held_for_review" && parent.value.authorId === account.id))
        if (!visible || Option.isNone(parent)) return yield* new GazetteCommentNotFound({ commentId: replyTo.value })
        parentId = threadParent(parent.value)
      }
      const outcome = yield* counters.hit(
        [{ key: `gazette_comment:${account.id}`, limit: COMMENT_HOURLY_LIMIT }],
        Duration.toMillis(COMMENT_RATE_WINDOW)
      )
      if (outcome._tag === "Limited") {
        return yield* new GazetteCommentRateLimited({ retryAfterSeconds: outcome.retryAfterSeconds })
      }
      const flagged = commentsChecked(post.kind) ? sensitiveSpans(checked.text) : []
      const status = flagged.length > 0 ? "held_for_review" as const : "published" as const
      const at = yield* now
      const { row, written } = yield* tx.transaction(Effect.gen(function*() {
        const row = yield* repo.insertComment({
          postId,
          parentId,
          authorId: account.id,
          body: checked.text,
          status,
          holdReasons: flagged.length > 0 ? ["sensitive_descriptors"] : [],
          createdAt: at
        })
        const told = commentNoticeRecipients({ postAuthorId: post.authorId, commentAuthorId: account.id, status })
        if (told.length === 0) return { row, written: noCounts }
        const due = yield* repo.scheduleCommentNotice(postId, at, Duration.toMillis(COMMENT_NOTICE_INTERVAL))
        if (Option.isNone(due)) return { row, written: noCounts }
        const written = yield* notify(post, told, { kind: "comments", title: post.title }, due.value)
        // A notice due later (coalesced) is found by the workers' poll when it comes due.
        return { row, written: DateTime.greaterThan(due.value, at) ? noCounts : written }
      }))
      if (status === "published") yield* afterCommit(post, written, where)
      return new PostedGazetteComment({
        postId,
        comment: new GazetteCommentView({
          id: row.id,
          authorName: signed(post, account.id, row.authorName),
          mine: true,
          body: row.body,
          held: status === "held_for_review",
          deleted: false,
          createdAt: row.createdAt
        }),
        parentId: Option.fromNullable(parentId),
        flagged
      })
    }).pipe(Effect.withSpan("GazetteSocial.comment"))

  const deleteComment: GazetteSocial["Type"]["deleteComment"] = (actor, commentId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const found = yield* repo.findComment(commentId)
      if (Option.isNone(found) || found.value.deletedAt !== null) {
        return yield* new GazetteCommentNotFound({ commentId })
      }
      const ctx = yield* reading(actor, found.value.postId).pipe(
        Effect.catchTag("GazettePostNotFound", () => new GazetteCommentNotFound({ commentId }))
      )
      const seen = found.value.status === "published" || found.value.authorId === account.id
      if (!seen) return yield* new GazetteCommentNotFound({ commentId })
      if (found.value.authorId !== account.id) return yield* new Forbidden({ action: "delete_gazette_comment" })
      if (yield* repo.deleteComment(commentId, yield* now)) yield* afterCommit(ctx.post, noCounts, ctx.where)
      return yield* listComments(ctx.post, account.id)
    }).pipe(Effect.withSpan("GazetteSocial.deleteComment"))

  const comments: GazetteSocial["Type"]["comments"] = (actor, postId) =>
    Effect.flatMap(reading(actor, postId), ({ account, post }) => listComments(post, account.id)).pipe(
      Effect.withSpan("GazetteSocial.comments")
    )

  const thanksOf = (postId: GazettePostId, readerId: GazettePost["authorId"]) =>
    Effect.map(repo.thanks(postId), (rows) =>
      new GazetteThanks({
        postId,
        count: rows.length,
        mine: rows.some((r) => r.accountId === readerId),
        names: rows.map((r) => r.name)
      }))

  const thanking = (which: "thank" | "unthank") => (actor: Actor, postId: GazettePostId) =>
    Effect.gen(function*() {
      const { account, post, where } = yield* takingPart(actor, postId, `${which}_gazette_post`)
      const changed = which === "thank"
        ? yield* Effect.flatMap(now, (at) => repo.thank(postId, account.id, at))
        : yield* repo.unthank(postId, account.id)
      if (changed) yield* afterCommit(post, noCounts, where)
      return yield* thanksOf(postId, account.id)
    }).pipe(Effect.withSpan(`GazetteSocial.${which}`))

  const thanks: GazetteSocial["Type"]["thanks"] = (actor, postId) =>
    Effect.flatMap(reading(actor, postId), ({ account }) => thanksOf(postId, account.id)).pipe(
      Effect.withSpan("GazetteSocial.thanks")
    )

  const answersOf = (post: GazettePost, event: Event, readerId: GazettePost["authorId"]) =>
    Effect.map(repo.answers(post.id), (rows) => {
      const going = rows.filter((r) => r.answer === "going")
      return new GazetteEventAnswers({
        postId: post.id,
        going: going.length,
        maybe: rows.filter((r) => r.answer === "maybe").length,
        no: rows.filter((r) => r.answer === "no").length,
        coming: going.map((r) => r.name),
        mine: Option.fromNullable(rows.find((r) => r.accountId === readerId)?.answer),
        capacity: Option.fromNullable(event.capacity),
        placesLeft: event.capacity === undefined
          ? Option.none()
          : Option.some(Math.max(0, event.capacity - going.length)),
        cancelled: post.cancelledAt !== null
      })
    })

  const answer: GazetteSocial["Type"]["answer"] = (actor, postId, given) =>
    Effect.gen(function*() {
      const { account, post, where } = yield* takingPart(actor, postId, "answer_gazette_event")
      const event = yield* eventOf(post)
      const closed = eventClosedRefusal(postId, event, post.cancelledAt, yield* now)
      if (closed !== undefined) return yield* closed
      const changed = yield* tx.transaction(Effect.gen(function*() {
        // One answer at a time per event: the places are counted and taken under this lock, which a
        // cancellation or a move takes too (so an answer never lands on an event cancelled meanwhile).
        yield* tx.lock("gazette_event", postId)
        const fresh = yield* posts.findById(postId)
        if (Option.isSome(fresh) && fresh.value.details._tag === "evenement") {
          const closedNow = eventClosedRefusal(postId, fresh.value.details, fresh.value.cancelledAt, yield* now)
          if (closedNow !== undefined) return yield* closedNow
        }
        const rows = yield* repo.answers(postId)
        const refusal = answerRefusal({
          postId,
          capacity: event.capacity,
          answer: given,
          previous: rows.find((r) => r.accountId === account.id)?.answer,
          going: rows.filter((r) => r.answer === "going").length
        })
        if (refusal !== undefined) return yield* refusal
        return yield* repo.setAnswer(postId, account.id, given, yield* now)
      }))
      if (changed) yield* afterCommit(post, noCounts, where)
      return yield* answersOf(post, event, account.id)
    }).pipe(Effect.withSpan("GazetteSocial.answer"))

  const answers: GazetteSocial["Type"]["answers"] = (actor, postId) =>
    Effect.gen(function*() {
      const { account, post } = yield* reading(actor, postId)
      return yield* answersOf(post, yield* eventOf(post), account.id)
    }).pipe(Effect.withSpan("GazetteSocial.answers"))

  /** The event the actor manages, open still (not cancelled, not started). */
  const managed = (actor: Actor, postId: GazettePostId, action: string) =>
    Effect.gen(function*() {
      const ctx = yield* reading(actor, postId)
      const refusal = repliesRefusal(ctx.post)
      if (refusal !== undefined) return yield* refusal
      const event = yield* eventOf(ctx.post)
      if (!mayManageEvent(ctx.viewer, ctx.post)) return yield* new Forbidden({ action })
      const at = yield* now
      const closed = eventClosedRefusal(postId, event, ctx.post.cancelledAt, at)
      if (closed !== undefined) return yield* closed
      return { ...ctx, event, at }
    })

  const changeEvent = (
    actor: Actor,
    ctx: { readonly account: Account; readonly post: GazettePost; readonly where: ReadonlyArray<CommunityId> },
    write: Effect.Effect<boolean>,
    spec: GazetteActivitySpec,
    at: DateTime.Utc
  ) =>
    Effect.gen(function*() {
      const written = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("gazette_event", ctx.post.id)
        if (!(yield* write)) return yield* new EventClosed({ postId: ctx.post.id, reason: "cancelled" })
        const told = eventChangeRecipients(ctx.account.id, yield* repo.answers(ctx.post.id))
        return yield* notify(ctx.post, told, spec, at)
      }))
      yield* afterCommit(ctx.post, written, ctx.where)
      return yield* gazette.get(actor, ctx.post.id)
    })

  const cancelEvent: GazetteSocial["Type"]["cancelEvent"] = (actor, postId) =>
    Effect.gen(function*() {
      const ctx = yield* managed(actor, postId, "cancel_gazette_event")
      return yield* changeEvent(
        actor,
        ctx,
        repo.cancelEvent(postId, ctx.at),
        { kind: "cancelled", title: ctx.post.title, event: ctx.event },
        ctx.at
      )
    }).pipe(Effect.withSpan("GazetteSocial.cancelEvent"))

  const moveEvent: GazetteSocial["Type"]["moveEvent"] = (actor, postId, move) =>
    Effect.gen(function*() {
      const ctx = yield* managed(actor, postId, "move_gazette_event")
      const details: Event = {
        _tag: "evenement",
        startsAt: move.startsAt,
        place: move.place.trim(),
        ...Option.match(move.endsAt, { onNone: () => ({}), onSome: (endsAt) => ({ endsAt }) }),
        ...(ctx.event.capacity === undefined ? {} : { capacity: ctx.event.capacity })
      }
      const refusal = detailsRefusal(details, ctx.at)
      if (refusal !== undefined) return yield* refusal
      return yield* changeEvent(
        actor,
        ctx,
        repo.moveEvent(postId, details, ctx.at),
        { kind: "moved", title: ctx.post.title, event: details },
        ctx.at
      )
    }).pipe(Effect.withSpan("GazetteSocial.moveEvent"))

  const calendar: GazetteSocial["Type"]["calendar"] = (actor, postId, publicUrl) =>
    Effect.gen(function*() {
      const { post } = yield* reading(actor, postId)
      const event = yield* eventOf(post)
      const revision = yield* repo.revision(postId)
      const body = yield* calendars.toIcs(
        new CalendarEvent({
          uid: calendarUid(postId, publicUrl.href),
          title: post.title,
          description: post.body,
          place: event.place,
          startsAt: event.startsAt,
          endsAt: Option.fromNullable(event.endsAt),
          url: `${publicUrl.href.replace(/\/+$/, "")}${gazettePostPath(postId)}`,
          organizer: post.authorName,
          sequence: revision.sequence,
          status: post.cancelledAt === null ? "CONFIRMED" : "CANCELLED",
          updatedAt: revision.changedAt ?? post.createdAt
        })
      )
      return { fileName: `evenement-${DateTime.formatIso(event.startsAt).slice(0, 10)}.ics`, body }
    }).pipe(Effect.withSpan("GazetteSocial.calendar"))

  const remindEvents: GazetteSocial["Type"]["remindEvents"] = (limit) =>
    Effect.gen(function*() {
      const at = yield* now
      const { email, reminded } = yield* tx.transaction(Effect.gen(function*() {
        const due = yield* repo.claimReminders(at, DateTime.addDuration(at, EVENT_REMINDER_BEFORE), limit)
        let email = 0
        let reminded = 0
        for (const event of due) {
          reminded += event.accountIds.length
          const written = yield* notices.notify({
            decision: "gazette_activity",
            decisionId: event.postId,
            accountIds: event.accountIds,
            body: gazetteActivityBody({ kind: "reminder", title: event.title, event: event.details }),
            channels: ["email"]
          }, at)
          email += written.email
        }
        return { email, reminded }
      }))
      if (email > 0) yield* wakeup.wake({ channels: ["email"] })
      return reminded
    }).pipe(Effect.withSpan("GazetteSocial.remindEvents"))

  return GazetteSocial.of({
    comment,
    deleteComment,
    comments,
    thank: thanking("thank"),
    unthank: thanking("unthank"),
    thanks,
    answer,
    answers,
    cancelEvent,
    moveEvent,
    calendar,
    remindEvents
  })
})

export const layer = Layer.effect(GazetteSocial, make)
