import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { PgClient } from "@effect/sql-pg"
import { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Either, Effect, Layer, Schema } from "effect"
import type { Duration } from "effect"
import * as PgListener from "../sql/PgListener.js"

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
  // A conversation names at most 50 members: always under the limit.
  if (
    byteLength(whole) <= MAX_PAYLOAD_BYTES || event._tag === "DeliveryProgress" ||
    event._tag === "ConversationChanged"
  ) return [whole]
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

export interface PgLiveEventsOptions {
  /** How often the LISTEN connection is checked (see PgListener). Default 2 s. */
  readonly heartbeat?: Duration.DurationInput
  /** How long building the layer waits for the first LISTEN to be in place. Default 10 s. */
  readonly startTimeout?: Duration.DurationInput
}

/**
 * Live events over PostgreSQL LISTEN/NOTIFY: every app process on one server sees every event,
 * through one watched LISTEN connection per process (PgListener).
 */
export const make = (options: PgLiveEventsOptions = {}) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const listener = yield* PgListener.listen({
      channel: CHANNEL,
      decode: (payload) => Either.mapLeft(decodeEvent(payload), (error) => new Error(error.message)),
      ...(options.heartbeat === undefined ? {} : { heartbeat: options.heartbeat }),
      ...(options.startTimeout === undefined ? {} : { startTimeout: options.startTimeout })
    })
    const publish = publishWith(sql)
    return LiveEvents.of({
      publish: (event) =>
        publish(event).pipe(
          Effect.catchAll((error) => Effect.logWarning("A live event was not published", error))
        ),
      subscribe: listener.subscribe
    })
  })

export const layerWith = (
  options: PgLiveEventsOptions
): Layer.Layer<LiveEvents, never, PgClient.PgClient | SqlClient.SqlClient> => Layer.scoped(LiveEvents, make(options))

export const layer: Layer.Layer<LiveEvents, never, PgClient.PgClient | SqlClient.SqlClient> = layerWith({})
