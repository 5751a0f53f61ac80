import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { HoldReason } from "../trust/TrustPolicy.js"
import type { CommentStatus, EventAnswer, GazetteCommentId } from "./GazetteComment.js"
import type { EvenementDetails, GazettePostId } from "./GazettePost.js"
import type { CommentRow } from "./GazetteSocialPolicy.js"

/** A comment to write, decided by the use case. */
export interface NewGazetteComment {
  readonly postId: GazettePostId
  readonly parentId: GazetteCommentId | null
  readonly authorId: AccountId
  readonly body: string
  readonly status: CommentStatus
  readonly holdReasons: ReadonlyArray<HoldReason>
  readonly createdAt: DateTime.Utc
}

/** A stored comment, as the rules need it. */
export interface StoredComment {
  readonly id: GazetteCommentId
  readonly postId: GazettePostId
  readonly parentId: GazetteCommentId | null
  readonly authorId: AccountId
  readonly status: CommentStatus
  readonly deletedAt: DateTime.Utc | null
}

/** One member's answer to an event, with their display name. */
export interface AnswerRow {
  readonly accountId: AccountId
  readonly name: string
  readonly answer: EventAnswer
  readonly at: DateTime.Utc
}

/** One member's "merci", with their display name. */
export interface ThanksRow {
  readonly accountId: AccountId
  readonly name: string
  readonly at: DateTime.Utc
}

/** What an event's calendar file needs beyond the post: its sequence and when it last changed. */
export interface EventRevision {
  readonly sequence: number
  readonly changedAt: DateTime.Utc | null
}

/** An event whose day-before reminder is due, and those coming to it who were just recorded as reminded. */
export interface DueReminder {
  readonly postId: GazettePostId
  readonly title: string
  readonly details: typeof EvenementDetails.Type
  readonly accountIds: ReadonlyArray<AccountId>
}

/**
 * Persistence of what members add to Gazette posts (tables gazette_comments, gazette_thanks,
 * gazette_event_answers, gazette_comment_notices, gazette_event_reminders, and the event columns of
 * gazette_posts). Names are display names ("Chloé M.", "Ancien membre" once erased). Writes that
 * race (thanks, answers, notices, reminders) are single statements or run under the use case's lock.
 */
export class GazetteSocialRepo extends Context.Tag("@vigie/domain/GazetteSocialRepo")<
  GazetteSocialRepo,
  {
    readonly insertComment: (comment: NewGazetteComment) => Effect.Effect<CommentRow>
    readonly findComment: (id: GazetteCommentId) => Effect.Effect<Option.Option<StoredComment>>
    /** Every comment of a post, deleted and held ones included (the policy decides who sees what). */
    readonly comments: (postId: GazettePostId) => Effect.Effect<ReadonlyArray<CommentRow>>
    /** Marks a comment deleted and forgets its text; false when it was deleted already. */
    readonly deleteComment: (id: GazetteCommentId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** The authors of the post's published comments that are not deleted. */
    readonly commenters: (postId: GazettePostId) => Effect.Effect<ReadonlyArray<AccountId>>
    /**
     * Coalesces the e-mails about new comments on a post, atomically: answers when the next one is
     * to go (now when none went out in the last `intervalMillis`, else an hour after the last one),
     * or none when one already waits to go out, which tells of this comment too.
     */
    readonly scheduleCommentNotice: (
      postId: GazettePostId,
      now: DateTime.Utc,
      intervalMillis: number
    ) => Effect.Effect<Option.Option<DateTime.Utc>>
    /** Idempotent; true when it changed something. */
    readonly thank: (postId: GazettePostId, accountId: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly unthank: (postId: GazettePostId, accountId: AccountId) => Effect.Effect<boolean>
    /** Oldest first. */
    readonly thanks: (postId: GazettePostId) => Effect.Effect<ReadonlyArray<ThanksRow>>
    /** Oldest answer first. */
    readonly answers: (postId: GazettePostId) => Effect.Effect<ReadonlyArray<AnswerRow>>
    /** Sets (or changes) a member's answer; true when it changed something. Run under the event's lock. */
    readonly setAnswer: (
      postId: GazettePostId,
      accountId: AccountId,
      answer: EventAnswer,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
    readonly revision: (postId: GazettePostId) => Effect.Effect<EventRevision>
    /** Cancels a published event not cancelled yet, raising its sequence; false otherwise. */
    readonly cancelEvent: (postId: GazettePostId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Gives a published event not cancelled new details (time, place), raising its sequence; false otherwise. */
    readonly moveEvent: (
      postId: GazettePostId,
      details: typeof EvenementDetails.Type,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
    /**
     * For each published, not cancelled event starting in (now, until] (at most `limit`), records as
     * reminded, for its current start, every member who answers "j'y serai" and was not reminded of
     * it yet (one row per event, member and start: whoever runs it, each is reminded once), and
     * answers them. Run in the transaction that writes the reminders.
     */
    readonly claimReminders: (
      now: DateTime.Utc,
      until: DateTime.Utc,
      limit: number
    ) => Effect.Effect<ReadonlyArray<DueReminder>>
  }
>() {}
