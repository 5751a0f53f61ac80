import type { IncomingMessage, Server, ServerResponse } from "node:http"
import { Context, Deferred, Duration, Effect, Option, Schedule, Stream } from "effect"
import type { Scope } from "effect"

/**
 * Completed when the server begins to shut down: endless responses (the live-event stream) end
 * then, so that they do not hold the shutdown while the other requests finish.
 */
export class ShuttingDown extends Context.Tag("@vigie/app/ShuttingDown")<ShuttingDown, Deferred.Deferred<void>>() {}

/** Ends a stream when the server shuts down (a no-op where no ShuttingDown is provided, e.g. in tests). */
export const endOnShutdown =
  (signal: Option.Option<Deferred.Deferred<void>>) =>
  <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Option.match(signal, { onNone: () => stream, onSome: (d) => Stream.interruptWhen(stream, Deferred.await(d)) })

/** Counts the requests a Node server is answering. Call it before the server listens. */
export const track = (server: Server): { readonly inFlight: () => number } => {
  const open = new Set<ServerResponse>()
  server.prependListener("request", (_request, response: ServerResponse) => {
    open.add(response)
    response.once("close", () => open.delete(response))
  })
  return { inFlight: () => open.size }
}

/**
 * The socket listens before the routes are attached (the rest of the platform is built meanwhile), and
 * Node hands a request that arrives then to no handler: the client would wait until its own timeout.
 * Until the routes answer, this answers 503 `{"status":"starting"}` with `Retry-After: 1` (probes and
 * proxies retry). Call it before the server listens; `done` removes it once the server is built.
 */
export const answerWhileStarting = (server: Server): { readonly done: () => void } => {
  const before = server.listenerCount("request")
  const starting = (_request: IncomingMessage, response: ServerResponse) => {
    // A listener added after this one: the routes are attached and answer this request themselves.
    if (server.listenerCount("request") > before + 1) return
    response.writeHead(503, { "content-type": "application/json", "retry-after": "1" })
    response.end(JSON.stringify({ status: "starting" }))
  }
  server.on("request", starting)
  return { done: () => void server.off("request", starting) }
}

/**
 * On release of the scope: first let requests already on the wire be read (`settle`: bytes a client
 * sent just before the signal may not have become a request yet, and closing now would cut them),
 * then stop accepting connections (idle keep-alive ones close), signal ShuttingDown, wait up to
 * `grace` for the requests in flight to finish, then close what remains.
 * Add it after the server's layers are built, so it runs before they are released.
 */
export const drainOnRelease = (
  server: Server,
  tracked: { readonly inFlight: () => number },
  signal: Deferred.Deferred<void>,
  grace: Duration.DurationInput = Duration.seconds(10),
  settle: Duration.DurationInput = Duration.seconds(1)
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.addFinalizer(() =>
    Effect.gen(function*() {
      yield* Effect.sleep(settle)
      server.close()
      yield* Deferred.succeed(signal, undefined)
      yield* Effect.sync(tracked.inFlight).pipe(
        Effect.repeat({ until: (n) => n === 0, schedule: Schedule.spaced(Duration.millis(20)) }),
        Effect.timeout(grace),
        Effect.ignore
      )
      server.closeAllConnections()
    })
  )
