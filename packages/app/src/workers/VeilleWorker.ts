/**
 * The veille's check-ins (issue 17), in every app process and in the worker process: each claims the
 * check-ins whose deadline passed (FOR UPDATE SKIP LOCKED, under a lease: Veilles.runDue) and moves
 * each one step (ask, remind, alert the veilleurs, the référent, the CCAS, close), the whole batch in
 * one transaction with its messages (asks and reminders written set-based). A process that dies leaves its claims to the others after the lease.
 */
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Duration, Effect, Layer } from "effect"
import * as WorkerLoop from "./WorkerLoop.js"

/** How often a process looks for due check-ins: a check-in leaves within this long of its time. */
export const VEILLE_POLL = Duration.seconds(15)

/**
 * Check-ins claimed per cycle, moved in one transaction (their SMS, events, states and next
 * occurrences written set-based); a cycle that found a full batch runs again at once.
 */
export const VEILLE_BATCH = 500

export const loop = (
  poll: Duration.DurationInput = VEILLE_POLL,
  batch = VEILLE_BATCH
): WorkerLoop.WorkerLoop<Veilles> => ({
  name: "veille",
  cycle: Effect.flatMap(Veilles, (veilles) => veilles.runDue(batch)).pipe(
    Effect.withSpan("VeilleWorker.cycle", { captureStackTrace: false })
  ),
  woken: Effect.never,
  poll
})

export const run = (poll?: Duration.DurationInput, batch?: number): Effect.Effect<never, never, Veilles> =>
  WorkerLoop.forever(loop(poll, batch)).pipe(Effect.annotateLogs({ service: "VeilleWorker" }))

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (poll?: Duration.DurationInput, batch?: number): Layer.Layer<never, never, Veilles> =>
  Layer.scopedDiscard(Effect.forkScoped(run(poll, batch)))
