import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import type { Scope } from "effect"
import { Cause, Clock, Deferred, Duration, Effect, Either, PubSub, Ref, Schedule, Stream } from "effect"

/** Heartbeats: our own payloads on the channel, told apart from messages by their first characters. */
const HEARTBEAT_PREFIX = "hb:"

export interface PgListenerOptions<A> {
  /** The NOTIFY channel. */
  readonly channel: string
  /** Reads one payload; a Left is logged and dropped. */
  readonly decode: (payload: string) => Either.Either<A, Error>
  /**
   * How often the listening connection is checked by a heartbeat NOTIFY sent to itself. It is
   * declared lost, and replaced, after three intervals without any notification. Default 2 s.
   */
  readonly heartbeat?: Duration.DurationInput
  /** How long building the listener waits for the first LISTEN to be in place. Default 10 s. */
  readonly startTimeout?: Duration.DurationInput
}

class ListenLost extends Error {
  constructor(readonly silentMillis: number) {
    super(`no notification on the LISTEN connection for ${silentMillis} ms`)
  }
}

/**
 * One LISTEN connection on `channel` for this process, shared by every subscriber through a sliding
 * PubSub (a slow reader loses the oldest messages: NOTIFY messages are hints, never the record).
 *
 * PgClient.listen does not notice a lost connection (sql-pg 0.53 swallows the listen client's errors
 * and the stream just goes quiet), so a heartbeat watches it: the process NOTIFYs itself every
 * interval and, after three intervals of silence, drops the LISTEN connection and opens a new one,
 * with backoff. Messages sent while no LISTEN was in place are lost, as with any NOTIFY.
 * Building it waits until the first LISTEN is in place.
 */
export const listen = <A>(
  options: PgListenerOptions<A>
): Effect.Effect<
  { readonly subscribe: Effect.Effect<Stream.Stream<A>, never, Scope.Scope> },
  never,
  PgClient.PgClient | SqlClient.SqlClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const pg = yield* PgClient.PgClient
    const sql = yield* SqlClient.SqlClient
    const channel = options.channel
    const interval = Duration.decode(options.heartbeat ?? Duration.seconds(2))
    const hub = yield* PubSub.sliding<A>(1024)
    const ready = yield* Deferred.make<void>()
    const processId = crypto.randomUUID()

    const session = Effect.gen(function*() {
      const lastSeen = yield* Ref.make(yield* Clock.currentTimeMillis)
      const onPayload = (payload: string) =>
        Effect.gen(function*() {
          yield* Ref.set(lastSeen, yield* Clock.currentTimeMillis)
          if (payload.startsWith(HEARTBEAT_PREFIX)) {
            if (payload === `${HEARTBEAT_PREFIX}${processId}`) yield* Deferred.succeed(ready, undefined)
            return
          }
          yield* Either.match(options.decode(payload), {
            onLeft: (error) =>
              Effect.logWarning(`Dropped a ${channel} message that does not decode`).pipe(
                Effect.annotateLogs({ payload: payload.slice(0, 200), error: error.message.slice(0, 500) })
              ),
            onRight: (message) => PubSub.publish(hub, message)
          })
        })
      const listening = pg.listen(channel).pipe(
        Stream.runForEach(onPayload),
        Effect.zipRight(Effect.fail(new ListenLost(0)))
      )
      const watchdog = Effect.gen(function*() {
        const started = yield* Deferred.isDone(ready)
        yield* sql`SELECT pg_notify(${channel}, ${HEARTBEAT_PREFIX + processId})`.pipe(
          Effect.catchAll((error) => Effect.logWarning(`${channel}: heartbeat not sent`, error))
        )
        yield* Effect.sleep(started ? interval : Duration.min(interval, Duration.millis(100)))
        const silent = (yield* Clock.currentTimeMillis) - (yield* Ref.get(lastSeen))
        if (started && silent > 3 * Duration.toMillis(interval)) return yield* Effect.fail(new ListenLost(silent))
      }).pipe(Effect.forever)
      return yield* Effect.raceFirst(listening, watchdog)
    })

    yield* session.pipe(
      Effect.catchAllCause((cause) =>
        Effect.logWarning(`${channel}: the LISTEN connection was lost; listening again`, Cause.squash(cause))
      ),
      Effect.repeat(
        Schedule.exponential(Duration.millis(100)).pipe(
          Schedule.union(Schedule.spaced(Duration.seconds(5)))
        )
      ),
      Effect.forkScoped
    )
    yield* Deferred.await(ready).pipe(
      Effect.timeoutFail({
        duration: options.startTimeout ?? Duration.seconds(10),
        onTimeout: () => new ListenLost(-1)
      }),
      Effect.orDie
    )
    return { subscribe: Effect.map(PubSub.subscribe(hub), (queue) => Stream.fromQueue(queue)) }
  })
