import type { Request } from "effect"
import { Chunk, Deferred, Effect, Queue, RequestResolver } from "effect"
import type { Scope } from "effect"

/** A request waiting for the next batch, with the place its result goes. */
interface Waiting<A extends Request.Request<unknown, unknown>> {
  readonly request: A
  readonly done: Deferred.Deferred<Request.Request.Success<A>, Request.Request.Error<A>>
}

/**
 * A batched resolver shared by concurrent fibers: the requests that any fiber makes while earlier
 * batches are running wait together and go to `self` as one batch (at most `maxBatchSize`), with at
 * most `inFlight` batches running at once, so one batch runs while the next gathers. Effect batches
 * the requests of one fiber (`Effect.all` with `batching`); this shares one statement between the
 * requests of many (concurrent webhooks, concurrent inbox handlers). Unlike `dataLoader` of
 * @effect/experimental, which cuts a batch every fixed window, the batches grow with the load and a
 * lone request waits for no timer. Stops with its scope.
 */
export const acrossFibers = <A extends Request.Request<unknown, unknown>>(
  self: RequestResolver.RequestResolver<A>,
  options: { readonly maxBatchSize: number; readonly inFlight: number }
): Effect.Effect<RequestResolver.RequestResolver<A>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const waiting = yield* Effect.acquireRelease(Queue.unbounded<Waiting<A>>(), Queue.shutdown)
    const runner = Queue.takeBetween(waiting, 1, options.maxBatchSize).pipe(
      Effect.flatMap((batch) =>
        Effect.forEach(
          Chunk.toReadonlyArray(batch),
          ({ done, request }) =>
            Effect.request(request, self).pipe(Effect.exit, Effect.flatMap((exit) => Deferred.done(done, exit))),
          { batching: true, concurrency: "unbounded", discard: true }
        )
      ),
      Effect.withRequestCaching(false),
      Effect.forever
    )
    for (let i = 0; i < options.inFlight; i++) yield* Effect.forkScoped(runner)
    return RequestResolver.fromEffect((request: A) =>
      Deferred.make<Request.Request.Success<A>, Request.Request.Error<A>>().pipe(
        Effect.tap((done) => Queue.offer(waiting, { request, done })),
        Effect.flatMap(Deferred.await)
      )
    )
  })
