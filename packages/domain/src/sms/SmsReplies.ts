import { Clock, Context, DateTime, Duration, Effect, Layer, Option, Queue, Schedule } from "effect"
import { SmsSender } from "../delivery/SmsSender.js"
import type { MessageUuid } from "./InboundSms.js"
import { InboundSmsRepo } from "./InboundSmsRepo.js"
import type { ClaimedReply } from "./InboundSmsRepo.js"

/** Attempts of one reply before it is marked failed for good. */
export const REPLY_MAX_ATTEMPTS = 5

/**
 * When a reply that the provider could not take (unreachable, throttled) is tried again: 15 s, 30 s,
 * 1 min, 2 min after attempts 1 to 4 (or the provider's Retry-After when longer); none after the
 * last attempt.
 */
export const replyRetryAt = (
  attempts: number,
  now: DateTime.Utc,
  retryAfterSeconds?: number
): Option.Option<DateTime.Utc> => {
  if (attempts >= REPLY_MAX_ATTEMPTS) return Option.none()
  const backoff = Math.min(15 * 2 ** Math.max(0, attempts - 1), 600)
  return Option.some(DateTime.addDuration(now, Duration.seconds(Math.max(backoff, retryAfterSeconds ?? 0))))
}

/**
 * Sends the gateway's replies after their transaction committed, through the SmsSender port, and
 * marks each sent or failed. `dispatch` hands one over to background senders and returns at once (the
 * webhook never waits for the provider); `sweep` sends whatever is due: replies left pending by a
 * crash, leases that expired, retries that came due. The layer sweeps once at start and then
 * periodically, so no reply stays unsent while a process runs.
 */
export class SmsReplies extends Context.Tag("@vigie/domain/SmsReplies")<
  SmsReplies,
  {
    readonly dispatch: (messageUuid: MessageUuid) => Effect.Effect<void>
    /** Sends every due reply now and waits; returns how many were attempted. */
    readonly sweep: Effect.Effect<number>
  }
>() {}

export interface SmsRepliesOptions {
  /** How often due replies are swept (default 30 s). */
  readonly sweepEvery?: Duration.DurationInput
  /** How long a sender owns a claimed reply before another may take it back (default 60 s). */
  readonly lease?: Duration.DurationInput
  /** Background senders woken by dispatches (default 2). */
  readonly senders?: number
}

const SWEEP_BATCH = 100

export const make = (options: SmsRepliesOptions = {}) =>
  Effect.gen(function*() {
    const repo = yield* InboundSmsRepo
    const sms = yield* SmsSender
    const lease = Duration.decode(options.lease ?? Duration.seconds(60))
    const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.unsafeMake(ms))

    const send = (reply: ClaimedReply) =>
      Effect.gen(function*() {
        const outcome = yield* Effect.either(sms.send({ text: reply.text, destinations: [reply.to] }))
        const at = yield* now
        if (outcome._tag === "Right") {
          const providerId = outcome.right.accepted[0]?.providerId ?? "unknown"
          return yield* repo.markReplySent(reply.messageUuid, providerId, at)
        }
        const error = outcome.left
        const retryAt = error._tag === "SmsRejected"
          ? Option.none<DateTime.Utc>()
          : replyRetryAt(reply.attempts, at, error.retryAfterSeconds)
        yield* Effect.logWarning("SMS reply not sent").pipe(
          Effect.annotateLogs({ messageUuid: reply.messageUuid, reason: error.reason, retry: Option.isSome(retryAt) })
        )
        yield* repo.markReplyFailed(reply.messageUuid, `${error._tag}: ${error.reason}`.slice(0, 500), at, retryAt)
      }).pipe(Effect.withSpan("SmsReplies.send"))

    /** One pass over what is due, `SWEEP_BATCH` replies claimed by one statement. */
    const sendDue = Effect.gen(function*() {
      const claimed = yield* repo.claimReplies({ now: yield* now, lease, limit: SWEEP_BATCH })
      yield* Effect.forEach(claimed, send, { concurrency: 4, discard: true })
      return claimed.length
    })

    const sweep = Effect.gen(function*() {
      let attempted = 0
      while (true) {
        const claimed = yield* sendDue
        attempted += claimed
        if (claimed < SWEEP_BATCH) return attempted
      }
    }).pipe(Effect.withSpan("SmsReplies.sweep"))

    const queue = yield* Effect.acquireRelease(Queue.unbounded<MessageUuid>(), Queue.shutdown)
    // A dispatch is a wake-up: the sender then claims every due reply at once (its own and those
    // dispatched meanwhile), so a burst of messages costs one claim per batch, not one per reply.
    const worker = Queue.take(queue).pipe(
      Effect.zipRight(Queue.takeAll(queue)),
      Effect.zipRight(sweep),
      Effect.catchAllCause((cause) => Effect.logError("SMS reply dispatch failed; the sweep will retry", cause)),
      Effect.forever
    )
    for (let i = 0; i < (options.senders ?? 2); i++) yield* Effect.forkScoped(worker)
    yield* sweep.pipe(
      Effect.catchAllCause((cause) => Effect.logError("SMS reply sweep failed", cause)),
      Effect.repeat(Schedule.spaced(options.sweepEvery ?? Duration.seconds(30))),
      Effect.forkScoped
    )

    return SmsReplies.of({
      dispatch: (messageUuid) => Effect.asVoid(Queue.offer(queue, messageUuid)),
      sweep
    })
  })

/** The reply senders with their background fibers (dispatch queue, sweep at start and every `sweepEvery`). */
export const layer = (options: SmsRepliesOptions = {}) => Layer.scoped(SmsReplies, make(options))
