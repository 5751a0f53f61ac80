/**
 * The retention worker, in every app process: it asks the retention job to run every `check`
 * interval (the first time at start); the job itself runs at most once per period across all
 * processes (see RetentionJob and PgRetention), so the processes take turns without talking.
 */
import { RetentionJob } from "@vigie/domain/administration/RetentionJob"
import { Cause, Effect, Layer } from "effect"
import type { RetentionConfig } from "../RetentionConfig.js"

export { config } from "../RetentionConfig.js"

export const run = (retention: RetentionConfig): Effect.Effect<never, never, RetentionJob> =>
  Effect.gen(function*() {
    const job = yield* RetentionJob
    return yield* job.runOnce(retention.periods).pipe(
      Effect.withSpan("RetentionWorker.cycle", { captureStackTrace: false }),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("retention run failed", cause)
      ),
      Effect.zipRight(Effect.sleep(retention.check)),
      Effect.forever
    )
  }).pipe(Effect.annotateLogs({ service: "RetentionWorker" })) as Effect.Effect<never, never, RetentionJob>

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (retention: RetentionConfig): Layer.Layer<never, never, RetentionJob> =>
  Layer.scopedDiscard(Effect.forkScoped(run(retention)))
