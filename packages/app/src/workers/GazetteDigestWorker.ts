/**
 * The Gazette's Monday digest, in every app process: each asks every `check` interval (the first
 * time at start) whether a digest is due (Monday 08:00, Paris); the week is planned at most once
 * across all processes (GazetteDigests claims it in the planning's transaction), so the processes
 * take turns without talking, as the retention worker does.
 */
import { GazetteDigests } from "@vigie/domain/gazette/GazetteDigests"
import { Cause, Duration, Effect, Layer, Option } from "effect"

/** How often a process asks: a digest goes out within this long of Monday 08:00. */
export const DIGEST_CHECK = Duration.minutes(2)

export const run = (check: Duration.DurationInput): Effect.Effect<never, never, GazetteDigests> =>
  Effect.gen(function*() {
    const digests = yield* GazetteDigests
    return yield* digests.runDue.pipe(
      Effect.tap((report) =>
        Option.match(report, {
          onNone: () => Effect.void,
          onSome: (r) => Effect.logInfo("gazette digest planned").pipe(Effect.annotateLogs({ ...r }))
        })
      ),
      Effect.withSpan("GazetteDigestWorker.cycle", { captureStackTrace: false }),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("gazette digest failed", cause)
      ),
      Effect.zipRight(Effect.sleep(check)),
      Effect.forever
    )
  }).pipe(Effect.annotateLogs({ service: "GazetteDigestWorker" })) as Effect.Effect<never, never, GazetteDigests>

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (check: Duration.DurationInput = DIGEST_CHECK): Layer.Layer<never, never, GazetteDigests> =>
  Layer.scopedDiscard(Effect.forkScoped(run(check)))
