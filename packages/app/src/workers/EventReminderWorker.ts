/**
 * The Gazette's event reminders, in every app process: every `every` interval (the first time at
 * start) it sends the day-before reminders that are due (GazetteSocial.remindEvents), in rounds of
 * ROUND events until none is left. Each member coming is reminded once per event and start whichever
 * process gets there first (the reminders' table records who was reminded, in the same transaction).
 */
import { GazetteSocial } from "@vigie/domain/gazette/GazetteSocial"
import { Cause, Duration, Effect, Layer } from "effect"

/** Events per round: a round is one transaction. */
export const ROUND = 200
export const EVERY = Duration.minutes(10)

/** One pass: rounds until a round reminds nobody. Answers how many members were reminded. */
export const runOnce: Effect.Effect<number, never, GazetteSocial> = Effect.gen(function*() {
  const social = yield* GazetteSocial
  let total = 0
  for (;;) {
    const reminded = yield* social.remindEvents(ROUND)
    total += reminded
    if (reminded === 0) return total
  }
})

export const run = (every: Duration.Duration = EVERY): Effect.Effect<never, never, GazetteSocial> =>
  runOnce.pipe(
    Effect.withSpan("EventReminderWorker.cycle", { captureStackTrace: false }),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("event reminders failed", cause)
    ),
    Effect.zipRight(Effect.sleep(every)),
    Effect.forever,
    Effect.annotateLogs({ service: "EventReminderWorker" })
  ) as Effect.Effect<never, never, GazetteSocial>

/** The worker as a layer: started with it, stopped when it is released. */
export const layer = (every?: Duration.Duration): Layer.Layer<never, never, GazetteSocial> =>
  Layer.scopedDiscard(Effect.forkScoped(run(every)))
