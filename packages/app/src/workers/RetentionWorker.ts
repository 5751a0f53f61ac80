/**
 * The retention worker, in every app process: it asks the retention job to run every `check`
 * interval (the first time at start); the job itself runs at most once per period across all
 * processes (see RetentionJob and PgRetention), so the processes take turns without talking. Each
 * cycle also runs the Gazette's clock (GazetteExpiry: expired posts, 3-day reminders), which is
 * idempotent whoever runs it, and deletes the conversations inactive for 2 years (issue 16: at most
 * RETENTION_CONVERSATIONS a cycle, whoever runs it).
 */
import { RetentionJob } from "@vigie/domain/administration/RetentionJob"
import { GazetteExpiry } from "@vigie/domain/gazette/GazetteExpiry"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { Cause, Effect, Layer } from "effect"
import type { RetentionConfig } from "../RetentionConfig.js"

export { config } from "../RetentionConfig.js"

/** At most this many inactive conversations deleted per cycle. */
export const RETENTION_CONVERSATIONS = 10_000

export const run = (
  retention: RetentionConfig
): Effect.Effect<never, never, RetentionJob | GazetteExpiry | Messaging> =>
  Effect.gen(function*() {
    const job = yield* RetentionJob
    const gazette = yield* GazetteExpiry
    const messaging = yield* Messaging
    // Each part logs its own failure: a failed retention run does not keep the Gazette's clock from running.
    const logged = (what: string) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.catchAllCause(
        self,
        (cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError(`${what} run failed`, cause)
      )
    return yield* logged("retention")(job.runOnce(retention.periods)).pipe(
      Effect.zipRight(logged("gazette expiry")(gazette.runOnce)),
      Effect.zipRight(logged("conversation retention")(messaging.purgeInactive(RETENTION_CONVERSATIONS))),
      Effect.withSpan("RetentionWorker.cycle", { captureStackTrace: false }),
      Effect.zipRight(Effect.sleep(retention.check)),
      Effect.forever
    )
  }).pipe(Effect.annotateLogs({ service: "RetentionWorker" })) as Effect.Effect<
    never,
    never,
    RetentionJob | GazetteExpiry | Messaging
  >

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (
  retention: RetentionConfig
): Layer.Layer<never, never, RetentionJob | GazetteExpiry | Messaging> =>
  Layer.scopedDiscard(Effect.forkScoped(run(retention)))
