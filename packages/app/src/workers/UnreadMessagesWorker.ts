/**
 * The unread-message e-mails (issue 16), in every app process: each asks every `check` interval for
 * the members whose message waits unread for 15 minutes; the repository marks each one taken in the
 * statement that finds it, so the processes' turns never send one twice (at most one per
 * conversation a day).
 */
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { Cause, Duration, Effect, Layer } from "effect"

/** How often a process asks. */
export const UNREAD_CHECK = Duration.seconds(60)
/** At most this many e-mails written per turn. */
export const UNREAD_BATCH = 500

export const run = (check: Duration.DurationInput): Effect.Effect<never, never, Messaging> =>
  Effect.gen(function*() {
    const messaging = yield* Messaging
    return yield* messaging.remindUnread(UNREAD_BATCH).pipe(
      Effect.tap((written) =>
        written === 0 ? Effect.void : Effect.logInfo("unread message e-mails written").pipe(
          Effect.annotateLogs({ written })
        )
      ),
      Effect.withSpan("UnreadMessagesWorker.cycle", { captureStackTrace: false }),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("unread e-mails failed", cause)
      ),
      Effect.zipRight(Effect.sleep(check)),
      Effect.forever
    )
  }).pipe(Effect.annotateLogs({ service: "UnreadMessagesWorker" })) as Effect.Effect<never, never, Messaging>

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (check: Duration.DurationInput = UNREAD_CHECK): Layer.Layer<never, never, Messaging> =>
  Layer.scopedDiscard(Effect.forkScoped(run(check)))
