import { Context } from "effect"
import type { Effect, Scope, Stream } from "effect"
import type { DeliveryChannel } from "./NotificationPreferences.js"

/** A hint that deliveries of these channels became due (a fan-out committed, a retry came due). */
export interface DeliveryDue {
  readonly channels: ReadonlyArray<DeliveryChannel>
}

/**
 * Wakes the delivery workers as soon as a fan-out commits, so the first SMS does not wait for a poll.
 * Only a hint: workers also poll, so a lost hint delays nothing for long. Adapters: an in-process
 * PubSub (embedded database, one process), Postgres LISTEN/NOTIFY (any number of processes).
 */
export class DeliveryWakeup extends Context.Tag("@vigie/domain/DeliveryWakeup")<
  DeliveryWakeup,
  {
    /** Call after the commit, never inside the transaction that wrote the deliveries. */
    readonly wake: (due: DeliveryDue) => Effect.Effect<void>
    readonly subscribe: Effect.Effect<Stream.Stream<DeliveryDue>, never, Scope.Scope>
  }
>() {}
