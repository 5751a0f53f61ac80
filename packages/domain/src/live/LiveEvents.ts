import { Context } from "effect"
import type { Effect, Scope, Stream } from "effect"
import type { LiveEvent } from "./LiveEvent.js"

/**
 * The bus of live events. Adapters: Postgres LISTEN/NOTIFY (any number of processes on one server)
 * and an in-process PubSub (embedded database, one process).
 */
export class LiveEvents extends Context.Tag("@vigie/domain/LiveEvents")<
  LiveEvents,
  {
    readonly publish: (event: LiveEvent) => Effect.Effect<void>
    readonly subscribe: Effect.Effect<Stream.Stream<LiveEvent>, never, Scope.Scope>
  }
>() {}
