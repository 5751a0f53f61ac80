import type { DeliveryDue } from "@vigie/domain/delivery/DeliveryWakeup"
import { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import { Effect, Layer, PubSub, Stream } from "effect"

/**
 * Worker wake-ups through an in-process PubSub: right when the posting code and the workers share one
 * process (the embedded database, where NOTIFY does not cross connections). Hints are small and
 * idempotent, so a slow subscriber loses the oldest rather than slowing the poster.
 */
export const make = Effect.gen(function*() {
  const hub = yield* PubSub.sliding<DeliveryDue>(64)
  return DeliveryWakeup.of({
    wake: (due) => Effect.asVoid(PubSub.publish(hub, due)),
    subscribe: Effect.map(PubSub.subscribe(hub), (queue) => Stream.fromQueue(queue))
  })
})

export const layer: Layer.Layer<DeliveryWakeup> = Layer.scoped(DeliveryWakeup, make)
