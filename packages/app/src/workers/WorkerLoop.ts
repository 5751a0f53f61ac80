/**
 * The one loop of the workers that drain a table under leases (the delivery workers, the inbox
 * workers): claim a batch and process it, again at once while the claim found work, else wait for a
 * wake-up or the poll. A failing cycle (the database restarting, a killed connection) is logged and
 * tried again after the poll, so a worker outlives it. Interrupting the loop (its scope closing)
 * stops it between cycles; a cycle that must not stop halfway makes itself uninterruptible.
 */
import { Cause, Effect } from "effect"
import type { Duration } from "effect"

/** What a cycle reports: how many rows it claimed (0: nothing was due), and counts for the log. */
export interface CycleReport {
  readonly claimed: number
}

/** One kind of worker loop. */
export interface WorkerLoop<R> {
  /** Names the loop in the logs ("delivery": "delivery cycle", "delivery cycle failed ..."). */
  readonly name: string
  /** Claims due rows under a lease and processes them. */
  readonly cycle: Effect.Effect<CycleReport, never, R>
  /** Waits for the next wake-up hint (one given since the last wait counts). */
  readonly woken: Effect.Effect<void>
  /** The fallback poll: retries coming due, expired leases, rows of other processes, a lost hint. */
  readonly poll: Duration.DurationInput
  /** Annotations of this loop's log lines (the channel of a delivery loop). */
  readonly annotations?: Readonly<Record<string, unknown>>
}

/** Runs one loop until interrupted. */
export const forever = <R>(loop: WorkerLoop<R>): Effect.Effect<never, never, R> => {
  const idle = Effect.race(loop.woken, Effect.sleep(loop.poll))
  return loop.cycle.pipe(
    Effect.flatMap((report) =>
      report.claimed === 0
        ? idle
        : Effect.logDebug(`${loop.name} cycle`).pipe(Effect.annotateLogs({ ...loop.annotations, ...report }))
    ),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause)
        : Effect.logWarning(`${loop.name} cycle failed; retrying after the poll interval`, cause).pipe(
          Effect.annotateLogs({ ...loop.annotations }),
          Effect.zipRight(Effect.sleep(loop.poll))
        )
    ),
    Effect.forever
  )
}

/** Runs every loop at once, each with `forever`, until interrupted. */
export const all = <R>(loops: ReadonlyArray<WorkerLoop<R>>): Effect.Effect<never, never, R> =>
  Effect.all(loops.map(forever), { concurrency: "unbounded", discard: true }).pipe(Effect.zipRight(Effect.never))

/** `count` copies of one loop (they share its wake-ups: a hint wakes one of them). */
export const times = <R>(count: number, loop: WorkerLoop<R>): ReadonlyArray<WorkerLoop<R>> =>
  Array.from({ length: count }, () => loop)
