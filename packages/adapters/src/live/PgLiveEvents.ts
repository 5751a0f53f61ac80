import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Cause, Clock, Deferred, Duration, Effect, Either, Layer, PubSub, Ref, Schedule, Schema, Stream } from "effect"

/** The one channel every app process listens to. */
export const CHANNEL = "vigie_live"

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999

const encodeEvent = Schema.encodeSync(Schema.parseJson(LiveEvent))
const decodeEvent = Schema.decodeUnknownEither(Schema.parseJson(LiveEvent))

const byteLength = (text: string): number => new TextEncoder().encode(text).length

/**
 * The NOTIFY payloads of one event, each under PostgreSQL's 8000-byte limit. An event naming many
 * communities (a town alert to a whole commune: up to 500 ids, about 19 kB) is split into events
 * naming fewer; readers only test membership, so the split changes nothing for them.
 */
export const payloadsOf = (event: LiveEvent): ReadonlyArray<string> => {
  const whole = encodeEvent(event)
  if (byteLength(whole) <= MAX_PAYLOAD_BYTES || event._tag === "DeliveryProgress") return [whole]
  const half = Math.ceil(event.communityIds.length / 2)
  if (half === event.communityIds.length) return [whole]
  return [
    ...payloadsOf({ ...event, communityIds: event.communityIds.slice(0, half) }),
    ...payloadsOf({ ...event, communityIds: event.communityIds.slice(half) })
  ]
}

/**
 * Publishes through whatever connection the SqlClient uses at that point: inside
 * `sql.withTransaction` (or the Transactor), on the transaction's own connection, so PostgreSQL
 * delivers the event only if that transaction commits, and nothing when it rolls back.
 * `PgClient.notify` is not used: in @effect/sql-pg 0.53 it sends `NOTIFY ch, $1`, which fails.
 */
export const publishWith = (sql: SqlClient.SqlClient) => (event: LiveEvent): Effect.Effect<void, SqlError> =>
  Effect.forEach(payloadsOf(event), (payload) => sql`SELECT pg_notify(${CHANNEL}, ${payload})`, { discard: true }).pipe(
    Effect.withSpan("PgLiveEvents.publish", { attributes: { tag: event._tag } })
  )

/** `publishWith` for code that has a SqlClient in context: a repository writing in a transaction. */
export const publishInTransaction = (event: LiveEvent): Effect.Effect<void, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => publishWith(sql)(event))

/** Heartbeats: our own payloads on the channel, told apart from events by their first characters. */
const HEARTBEAT_PREFIX = "hb:"

export interface PgLiveEventsOptions {
  /**
   * How often the listening connection is checked by a heartbeat NOTIFY sent to itself. It is
   * declared lost, and replaced, after three intervals without any notification. Default 2 s.
   */
  readonly heartbeat?: Duration.DurationInput
  /** How long building the layer waits for the first LISTEN to be in place. Default 10 s. */
  readonly startTimeout?: Duration.DurationInput
}

class ListenLost extends Error {
  constructor(readonly silentMillis: number) {
    super(`no notification on the LISTEN connection for ${silentMillis} ms`)
  }
}

/**
 * Live events over PostgreSQL LISTEN/NOTIFY: every app process on one server sees every event.
 * Each process holds one LISTEN connection (PgClient.listen), shared by all its subscribers through a
 * sliding PubSub (a slow reader loses the oldest events: they are hints to refetch, never the record).
 *
 * PgClient.listen does not notice a lost connection (sql-pg swallows the listen client's errors and
 * the stream just goes quiet), so a heartbeat watches it: the process NOTIFYs itself every interval
 * and, after three intervals of silence, drops the LISTEN connection and opens a new one, with
 * backoff. Events sent while no LISTEN was in place are lost, as with any NOTIFY.
 */
export const make = (options: PgLiveEventsOptions = {}) =>
  Effect.gen(function*() {
    const pg = yield* PgClient.PgClient
    const sql = yield* SqlClient.SqlClient
    const interval = Duration.decode(options.heartbeat ?? Duration.seconds(2))
    const hub = yield* PubSub.sliding<LiveEvent>(1024)
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
          yield* Either.match(decodeEvent(payload), {
            onLeft: (error) =>
              Effect.logWarning("Dropped a live event that does not decode").pipe(
                Effect.annotateLogs({ payload: payload.slice(0, 200), error: error.message.slice(0, 500) })
              ),
            onRight: (event) => PubSub.publish(hub, event)
          })
        })
      const listening = pg.listen(CHANNEL).pipe(
        Stream.runForEach(onPayload),
        Effect.zipRight(Effect.fail(new ListenLost(0)))
      )
      const watchdog = Effect.gen(function*() {
        const started = yield* Deferred.isDone(ready)
        yield* sql`SELECT pg_notify(${CHANNEL}, ${HEARTBEAT_PREFIX + processId})`.pipe(
          Effect.catchAll((error) => Effect.logWarning("Live events heartbeat not sent", error))
        )
        yield* Effect.sleep(started ? interval : Duration.min(interval, Duration.millis(100)))
        const silent = (yield* Clock.currentTimeMillis) - (yield* Ref.get(lastSeen))
        if (started && silent > 3 * Duration.toMillis(interval)) return yield* Effect.fail(new ListenLost(silent))
      }).pipe(Effect.forever)
      return yield* Effect.raceFirst(listening, watchdog)
    })

    yield* session.pipe(
      Effect.catchAllCause((cause) =>
        Effect.logWarning("Live events: the LISTEN connection was lost; listening again", Cause.squash(cause))
      ),
      Effect.repeat(Schedule.exponential(Duration.millis(100)).pipe(
        Schedule.union(Schedule.spaced(Duration.seconds(5)))
      )),
      Effect.forkScoped
    )
    yield* Deferred.await(ready).pipe(
      Effect.timeoutFail({
        duration: options.startTimeout ?? Duration.seconds(10),
        onTimeout: () => new ListenLost(-1)
      }),
      Effect.orDie
    )

    const publish = publishWith(sql)
    return LiveEvents.of({
      publish: (event) =>
        publish(event).pipe(
          Effect.catchAll((error) => Effect.logWarning("A live event was not published", error))
        ),
      subscribe: Effect.map(PubSub.subscribe(hub), (queue) => Stream.fromQueue(queue))
    })
  })

export const layerWith = (options: PgLiveEventsOptions): Layer.Layer<LiveEvents, never, PgClient.PgClient | SqlClient.SqlClient> =>
  Layer.scoped(LiveEvents, make(options))

export const layer: Layer.Layer<LiveEvents, never, PgClient.PgClient | SqlClient.SqlClient> = layerWith({})
