import { Context, DateTime, Duration, Effect, Layer, Option, Queue, Schedule } from "effect"
import { SMS_BATCH_LIMIT, SmsSender } from "../channels/SmsSender.js"
import type { SmsRejected, SmsUnavailable } from "../channels/SmsSender.js"
import type { MessageUuid } from "./InboundSms.js"
import { InboundSmsRepo } from "./InboundSmsRepo.js"
import type { ClaimedReply, SentReply } from "./InboundSmsRepo.js"

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
  /**
   * Background senders woken by dispatches (default 1). One is enough: each pass claims every due
   * reply and sends one provider call per text, and more would only take database connections and
   * CPU from the webhooks for smaller batches.
   */
  readonly senders?: number
}

const SWEEP_BATCH = 100

/**
 * Claimed replies as provider calls: one per text, each number at most once per call, at most
 * SMS_BATCH_LIMIT numbers per call.
 */
export const batches = (replies: ReadonlyArray<ClaimedReply>): Array<Array<ClaimedReply>> => {
  const byText = new Map<string, Array<Array<ClaimedReply>>>()
  for (const reply of replies) {
    const open = byText.get(reply.text) ?? []
    byText.set(reply.text, open)
    const batch = open.find((b) => b.length < SMS_BATCH_LIMIT && !b.some((r) => r.to === reply.to))
    if (batch === undefined) open.push([reply])
    else batch.push(reply)
  }
  return [...byText.values()].flat()
}

export const make = (options: SmsRepliesOptions = {}) =>
  Effect.gen(function*() {
    const repo = yield* InboundSmsRepo
    const sms = yield* SmsSender
    const lease = Duration.decode(options.lease ?? Duration.seconds(60))
    const now = DateTime.now

    /** Marks one reply failed: retried later unless refused for good or out of attempts. */
    const failed = (reply: ClaimedReply, error: SmsRejected | SmsUnavailable, at: DateTime.Utc) => {
      const retryAt = error._tag === "SmsRejected"
        ? Option.none<DateTime.Utc>()
        : replyRetryAt(reply.attempts, at, error.retryAfterSeconds)
      return Effect.logWarning("SMS reply not sent").pipe(
        Effect.annotateLogs({ messageUuid: reply.messageUuid, reason: error.reason, retry: Option.isSome(retryAt) }),
        Effect.zipRight(
          repo.markReplyFailed(reply.messageUuid, `${error._tag}: ${error.reason}`.slice(0, 500), at, retryAt)
        )
      )
    }

    /**
     * Sends one text to several numbers in one provider call, collecting the accepted ones into
     * `sent`. When the provider refuses a batch of several for good (one bad number refuses the whole
     * call, and nothing was sent), each is tried alone, so that only the bad one fails.
     */
    const sendBatch = (batch: ReadonlyArray<ClaimedReply>, sent: Array<SentReply>): Effect.Effect<void> =>
      Effect.gen(function*() {
        const outcome = yield* Effect.either(sms.send({ text: batch[0]!.text, destinations: batch.map((r) => r.to) }))
        if (outcome._tag === "Right") {
          const ids = new Map(outcome.right.accepted.map((a) => [a.destination as string, a.providerId]))
          for (const reply of batch) {
            sent.push({ messageUuid: reply.messageUuid, providerId: ids.get(reply.to) ?? "unknown" })
          }
          return
        }
        if (outcome.left._tag === "SmsRejected" && batch.length > 1) {
          return yield* Effect.forEach(batch, (reply) => sendBatch([reply], sent), { discard: true })
        }
        const at = yield* now
        yield* Effect.forEach(batch, (reply) => failed(reply, outcome.left, at), { discard: true })
      }).pipe(Effect.withSpan("SmsReplies.send", { captureStackTrace: false }))

    /**
     * One pass over what is due: `SWEEP_BATCH` replies claimed by one statement, sent as one provider
     * call per text (the join, help ... replies are the same text to many numbers), marked sent by one
     * statement. A process that dies after a send and before the marking leaves those replies leased,
     * and they go again when the lease is over: a duplicate is possible only for the batch in flight
     * at a crash, as for the delivery workers.
     */
    const sendDue = Effect.gen(function*() {
      const claimed = yield* repo.claimReplies({ now: yield* now, lease, limit: SWEEP_BATCH })
      const sent: Array<SentReply> = []
      yield* Effect.forEach(batches(claimed), (batch) => sendBatch(batch, sent), { concurrency: 4, discard: true })
      if (sent.length > 0) yield* repo.markRepliesSent(sent, yield* now)
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
    for (let i = 0; i < (options.senders ?? 1); i++) yield* Effect.forkScoped(worker)
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
