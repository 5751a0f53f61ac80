/**
 * The inbox workers: they handle the inbound SMS the webhook recorded. Each loop claims due messages
 * under a lease (each the oldest unhandled message of its sender, so one sender's messages go one at
 * a time and in order), hands each to the SMS gateway (one transaction per message), and records a
 * failed handling for a retry, or dead once out of attempts (InboxPolicy). Woken by the webhook of
 * this process and by a poll, which also takes back the leases of dead workers and the messages
 * recorded by other processes: a message recorded and never handled (a crash) is handled at the next
 * poll of any process.
 */
import { defaultInboxConfig, inboxExhausted, inboxRetryAt } from "@vigie/domain/sms/InboxPolicy"
import type { InboxConfig } from "@vigie/domain/sms/InboxPolicy"
import { InboxWakeup } from "@vigie/domain/sms/InboxWakeup"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import type { InboxClaim } from "@vigie/domain/sms/InboundSmsRepo"
import { SmsGateway } from "@vigie/domain/sms/SmsGateway"
import { Cause, Config, DateTime, Duration, Effect, Layer, Option } from "effect"
import * as WorkerLoop from "./WorkerLoop.js"

/**
 * From the environment, every value optional: `INBOX_LEASE` ("30 seconds"), `INBOX_POLL`
 * ("1 second"), `INBOX_CLAIM_LIMIT` (200), `INBOX_CONCURRENCY` (200), `INBOX_LOOPS` (1).
 */
export const config: Config.Config<InboxConfig> = Config.all({
  lease: Config.duration("INBOX_LEASE").pipe(Config.withDefault(Duration.decode(defaultInboxConfig.lease))),
  poll: Config.duration("INBOX_POLL").pipe(Config.withDefault(Duration.decode(defaultInboxConfig.poll))),
  claimLimit: Config.integer("INBOX_CLAIM_LIMIT").pipe(Config.withDefault(defaultInboxConfig.claimLimit)),
  concurrency: Config.integer("INBOX_CONCURRENCY").pipe(Config.withDefault(defaultInboxConfig.concurrency)),
  loops: Config.integer("INBOX_LOOPS").pipe(Config.withDefault(defaultInboxConfig.loops))
}).pipe(
  Config.validate({
    message: "INBOX_CLAIM_LIMIT, INBOX_CONCURRENCY and INBOX_LOOPS must be at least 1",
    validation: (c) => c.claimLimit >= 1 && c.concurrency >= 1 && c.loops >= 1
  })
)

/** What one claim came to, for the log and the tests. */
export interface InboxReport {
  readonly claimed: number
  readonly handled: number
  /** Claims that another worker had taken back meanwhile (this one's lease ran out): nothing done. */
  readonly lost: number
  readonly retried: number
  readonly dead: number
}

/** A failure's reason as kept on the message: the error's message and its causes' (the database's words). */
const reasonOf = (cause: Cause.Cause<unknown>): string => {
  const parts: Array<string> = []
  let error: unknown = Cause.squash(cause)
  for (let depth = 0; depth < 4 && error !== undefined && error !== null; depth++) {
    parts.push(error instanceof Error ? error.message : String(error))
    error = error instanceof Error ? error.cause : undefined
  }
  return parts.join(": ").slice(0, 1000)
}

/** One claimed message: handled, or its failure recorded. Uninterruptible: a stopping worker finishes it. */
const handleOne = (claim: InboxClaim) =>
  Effect.gen(function*() {
    const gateway = yield* SmsGateway
    const repo = yield* InboundSmsRepo
    if (inboxExhausted(claim.attempts)) {
      yield* Effect.logError("Inbound SMS dead: its lease expired on its last attempt").pipe(
        Effect.annotateLogs({ messageUuid: claim.sms.messageUuid, attempts: claim.attempts })
      )
      yield* repo.markInboxFailed(
        claim,
        `lease expired on ${claim.attempts - 1} attempts: out of attempts`,
        Option.none()
      )
      return "dead" as const
    }
    return yield* gateway.handle(claim).pipe(
      Effect.map((result) => result._tag === "Handled" ? "handled" as const : "lost" as const),
      Effect.catchAllCause((cause) =>
        Effect.gen(function*() {
          const retryAt = inboxRetryAt(claim.attempts, yield* DateTime.now)
          yield* Effect.logError(
            Option.isSome(retryAt) ? "Inbound SMS not handled; retried later" : "Inbound SMS dead",
            cause
          ).pipe(
            Effect.annotateLogs({ messageUuid: claim.sms.messageUuid, attempts: claim.attempts })
          )
          yield* repo.markInboxFailed(claim, reasonOf(cause), retryAt)
          return Option.isSome(retryAt) ? "retried" as const : "dead" as const
        })
      )
    )
  }).pipe(Effect.uninterruptible)

/** One claim, start to finish: returns what it did (claimed 0: nothing was due). */
export const cycle = (
  inboxConfig: InboxConfig = defaultInboxConfig
): Effect.Effect<InboxReport, never, SmsGateway | InboundSmsRepo> =>
  Effect.gen(function*() {
    const repo = yield* InboundSmsRepo
    const claims = yield* repo.claimInbox({
      now: yield* DateTime.now,
      lease: Duration.decode(inboxConfig.lease),
      limit: inboxConfig.claimLimit
    })
    const results = yield* Effect.forEach(claims, handleOne, { concurrency: inboxConfig.concurrency })
    return {
      claimed: claims.length,
      handled: results.filter((r) => r === "handled").length,
      lost: results.filter((r) => r === "lost").length,
      retried: results.filter((r) => r === "retried").length,
      dead: results.filter((r) => r === "dead").length
    }
  }).pipe(Effect.withSpan("InboxWorker.cycle", { captureStackTrace: false }))

/**
 * Claims and handles until nothing is due (what a poll does; the tests await the inbox with it).
 * Messages leased by another worker, or waiting for a retry, are not due: they stay.
 */
export const drain = (
  inboxConfig: InboxConfig = defaultInboxConfig
): Effect.Effect<InboxReport, never, SmsGateway | InboundSmsRepo> =>
  Effect.gen(function*() {
    const total = { claimed: 0, handled: 0, lost: 0, retried: 0, dead: 0 }
    while (true) {
      const report = yield* cycle(inboxConfig)
      total.claimed += report.claimed
      total.handled += report.handled
      total.lost += report.lost
      total.retried += report.retried
      total.dead += report.dead
      if (report.claimed === 0) return total
    }
  })

/**
 * Runs the inbox worker until interrupted: `loops` claim loops (WorkerLoop), each claiming while
 * anything is due, then waiting for a wake-up or the poll. A failing database is logged and retried
 * after the poll interval.
 */
export const run = (
  inboxConfig: InboxConfig = defaultInboxConfig
): Effect.Effect<never, never, SmsGateway | InboundSmsRepo | InboxWakeup> =>
  Effect.gen(function*() {
    const wakeup = yield* InboxWakeup
    return yield* WorkerLoop.all(WorkerLoop.times(inboxConfig.loops, {
      name: "inbox",
      cycle: cycle(inboxConfig),
      woken: wakeup.woken,
      poll: inboxConfig.poll
    }))
  }).pipe(Effect.annotateLogs({ service: "InboxWorker" }))

/** The worker as a layer: started with it, stopped when it is released (the messages in flight finish). */
export const layer = (
  inboxConfig: InboxConfig = defaultInboxConfig
): Layer.Layer<never, never, SmsGateway | InboundSmsRepo | InboxWakeup> =>
  Layer.scopedDiscard(Effect.forkScoped(run(inboxConfig)))
