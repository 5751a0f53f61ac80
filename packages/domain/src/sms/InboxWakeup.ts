import { Context, Effect, Layer, Queue } from "effect"

/**
 * Wakes this process's inbox workers as soon as the webhook recorded a message, so that it does not
 * wait for a poll. Only a hint (several wake-ups before a claim make one): the workers also poll,
 * which picks up messages recorded by other processes, retries and expired leases.
 */
export class InboxWakeup extends Context.Tag("@vigie/domain/InboxWakeup")<
  InboxWakeup,
  {
    /** Call after the message's commit. */
    readonly wake: Effect.Effect<void>
    /** Waits for the next wake-up (one given since the last wait counts). */
    readonly woken: Effect.Effect<void>
  }
>() {}

/** In-process wake-ups: a sliding queue of one. */
export const layer = Layer.effect(
  InboxWakeup,
  Effect.map(
    Queue.sliding<void>(1),
    (queue) => InboxWakeup.of({ wake: Effect.asVoid(Queue.offer(queue, undefined)), woken: Queue.take(queue) })
  )
)
