import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Effect, Layer, PubSub, Stream } from "effect"

/**
 * Live events through an in-process PubSub: right for one process (the embedded database, where
 * NOTIFY does not cross connections). A slow listener loses the oldest events rather than slowing
 * publishers: live events are hints to refetch, never the record.
 */
export const make = Effect.gen(function*() {
  const hub = yield* PubSub.sliding<LiveEvent>(1024)
  return LiveEvents.of({
    publish: (event) => Effect.asVoid(PubSub.publish(hub, event)),
    subscribe: Effect.map(PubSub.subscribe(hub), (queue) => Stream.fromQueue(queue))
  })
})

export const layer = Layer.scoped(LiveEvents, make)
