import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../accounts/Account.js"

/**
 * A message to one or several people through the delivery engine (kind 'notice'): its already
 * rendered text and the channels to try. `sms` goes to an account's verified phone unless it said
 * STOP; `email` to its address. An erased account, or one with neither, receives nothing (the web
 * app still shows the state). `decisionId` is the recorded decision the notice tells of, a moderation
 * audit entry (`decision` "moderation", the default) or a change of a quartier by the mairie
 * ("community_change"), or a decision on a quartier proposal ("community_proposal", its id), or a Gazette
 * post whose author is told something (its expiry soon: "gazette", the post's id), or what happened
 * on a Gazette post that others are told of ("gazette_activity", the post's id: new comments,
 * "retrouvé", an event cancelled, moved or coming), or a conversation whose messages wait unread
 * ("conversation", its id): it is kept on the message and its deliveries.
 */
export interface Notice {
  readonly decisionId: string
  readonly decision?:
    | "moderation"
    | "community_change"
    | "community_proposal"
    | "gazette"
    | "gazette_activity"
    | "conversation"
  readonly accountIds: ReadonlyArray<AccountId>
  readonly body: string
  readonly channels: ReadonlyArray<"sms" | "email">
}

/**
 * What held-back deliveries are about: the caller's subject, by kind and id (the delivery engine knows
 * no feature). Only alerts are withheld today, by moderation hiding them.
 */
export interface HeldSubject {
  readonly kind: "alert"
  readonly id: string
}

/** Deliveries written or moved, per channel: what the workers are to be woken for after the commit. */
export interface ChannelCounts {
  readonly sms: number
  readonly email: number
}

/**
 * What the delivery context does for a decision taken elsewhere (moderation today): send a notice,
 * hold back the deliveries of a subject not sent yet, and give them back. Every call is meant to run
 * inside the caller's transaction, next to the decision it goes with; the caller wakes the workers
 * after the commit with the counts returned.
 */
export class Notices extends Context.Tag("@vigie/domain/Notices")<
  Notices,
  {
    /**
     * Writes the notice's message and its deliveries, at once: a notice answers the person's own
     * action, so quiet hours and alert preferences do not apply (STOP does). No message at all when
     * there is nowhere to send it.
     */
    readonly notify: (notice: Notice, at: DateTime.Utc) => Effect.Effect<ChannelCounts>
    /**
     * Holds back the subject's deliveries not sent yet (queued, retrying, or waiting for the end of
     * quiet hours): they become `withheld`, so no worker sends them. Returns how many.
     */
    readonly withhold: (subject: HeldSubject, at: DateTime.Utc) => Effect.Effect<number>
    /** Gives the subject's withheld deliveries back to the workers (`pending`, due now at the latest). */
    readonly release: (subject: HeldSubject, at: DateTime.Utc) => Effect.Effect<ChannelCounts>
  }
>() {}
