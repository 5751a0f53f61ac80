/**
 * The Gazette's immediate e-mails (and the mairie's SMS), in every app process: each asks every
 * `check` interval whether posts were published (or approved) without their immediate message yet;
 * one message per post (a unique index) makes the processes' turns harmless.
 */
import { GazetteImmediate } from "@vigie/domain/gazette/GazetteImmediate"
import { Cause, Duration, Effect, Layer } from "effect"

/** How often a process asks: a post's e-mails leave within this long of its publication. */
export const IMMEDIATE_CHECK = Duration.seconds(20)

export const run = (check: Duration.DurationInput): Effect.Effect<never, never, GazetteImmediate> =>
  Effect.gen(function*() {
    const immediate = yield* GazetteImmediate
    return yield* immediate.runOnce.pipe(
      Effect.tap((report) =>
        report.posts === 0
          ? Effect.void
          : Effect.logInfo("gazette immediate messages planned").pipe(Effect.annotateLogs({ ...report }))
      ),
      Effect.withSpan("GazetteImmediateWorker.cycle", { captureStackTrace: false }),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("gazette immediate failed", cause)
      ),
      Effect.zipRight(Effect.sleep(check)),
      Effect.forever
    )
  }).pipe(Effect.annotateLogs({ service: "GazetteImmediateWorker" })) as Effect.Effect<never, never, GazetteImmediate>

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (check: Duration.DurationInput = IMMEDIATE_CHECK): Layer.Layer<never, never, GazetteImmediate> =>
  Layer.scopedDiscard(Effect.forkScoped(run(check)))
