import type { Array as Arr, Exit, Scope } from "effect"
import { Chunk, Deferred, Effect, Queue } from "effect"

/** An input waiting for the next batch, with the place its result goes. */
interface Waiting<I, A, E> {
  readonly input: I
  readonly done: Deferred.Deferred<A, E>
}

/**
 * One statement for the calls of many fibers: the inputs that any fiber gives while earlier batches
 * are running wait together and go to `run` as one batch (at most `maxBatchSize`), with at most
 * `inFlight` batches running at once, so one batch runs while the next gathers. `run` answers each
 * input of its batch with an exit, in the batch's order; when it fails as a whole, every input of the
 * batch gets that failure. Effect batches the requests of one fiber (`Effect.all` with `batching`);
 * this shares one statement between concurrent webhooks or inbox handlers. Unlike `dataLoader` of
 * @effect/experimental, which cuts a batch every fixed window, the batches grow with the load and a
 * lone call waits for no timer. A call costs one Deferred and one queue offer, no request resolver
 * (measured by `npm run bench:webhooks`: the resolver machinery halved the inbound webhook's rate).
 * Stops with its scope.
 */
export const acrossFibers = <I, A, E>(
  run: (batch: Arr.NonEmptyReadonlyArray<I>) => Effect.Effect<ReadonlyArray<Exit.Exit<A, E>>>,
  options: { readonly maxBatchSize: number; readonly inFlight: number }
): Effect.Effect<(input: I) => Effect.Effect<A, E>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const waiting = yield* Effect.acquireRelease(Queue.unbounded<Waiting<I, A, E>>(), Queue.shutdown)
    const runner = Queue.takeBetween(waiting, 1, options.maxBatchSize).pipe(
      Effect.flatMap((chunk) => {
        const batch = Chunk.toReadonlyArray(chunk) as Arr.NonEmptyReadonlyArray<Waiting<I, A, E>>
        return run(batch.map((w) => w.input) as unknown as Arr.NonEmptyReadonlyArray<I>).pipe(
          Effect.flatMap((exits) =>
            Effect.forEach(batch, (w, i) => Deferred.done(w.done, exits[i]!), { discard: true })
          ),
          Effect.catchAllCause((cause) =>
            Effect.forEach(batch, (w) => Deferred.failCause(w.done, cause), { discard: true })
          )
        )
      }),
      Effect.forever
    )
    for (let i = 0; i < options.inFlight; i++) yield* Effect.forkScoped(runner)
    return (input: I) =>
      Deferred.make<A, E>().pipe(
        Effect.tap((done) => Queue.offer(waiting, { input, done })),
        Effect.flatMap(Deferred.await)
      )
  })
