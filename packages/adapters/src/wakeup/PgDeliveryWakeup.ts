import { SqlClient } from "@effect/sql"
import type { PgClient } from "@effect/sql-pg"
import { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import { DeliveryChannel } from "@vigie/domain/delivery/NotificationPreferences"
import { Effect, Either, Layer, Schema } from "effect"
import * as PgListener from "../sql/PgListener.js"

/** The channel worker wake-ups travel on, apart from live events. */
export const CHANNEL = "vigie_wakeup"

const DeliveryDueJson = Schema.parseJson(Schema.Struct({ channels: Schema.Array(DeliveryChannel) }))
const encode = Schema.encodeSync(DeliveryDueJson)
const decode = Schema.decodeUnknownEither(DeliveryDueJson)

/**
 * Worker wake-ups over PostgreSQL LISTEN/NOTIFY: a fan-out committed by any app process wakes the
 * workers of every process at once (through one watched LISTEN connection each, see PgListener).
 * A lost hint only means waiting for the workers' poll.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const listener = yield* PgListener.listen({
    channel: CHANNEL,
    decode: (payload) => Either.mapLeft(decode(payload), (error) => new Error(error.message))
  })
  return DeliveryWakeup.of({
    wake: (due) =>
      sql`SELECT pg_notify(${CHANNEL}, ${encode(due)})`.pipe(
        Effect.asVoid,
        Effect.catchAll((error) => Effect.logWarning("A worker wake-up was not sent; the poll will do", error))
      ),
    subscribe: listener.subscribe
  })
})

export const layer: Layer.Layer<DeliveryWakeup, never, PgClient.PgClient | SqlClient.SqlClient> = Layer.scoped(
  DeliveryWakeup,
  make
)
