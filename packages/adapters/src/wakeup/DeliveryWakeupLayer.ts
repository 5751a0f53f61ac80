import type { SqlClient } from "@effect/sql"
import type { PgClient } from "@effect/sql-pg"
import type { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import { Effect, Layer } from "effect"
import { DatabaseKind } from "../sql/Database.js"
import * as PgDeliveryWakeup from "./PgDeliveryWakeup.js"
import * as PubSubDeliveryWakeup from "./PubSubDeliveryWakeup.js"

/**
 * The wake-up adapter that works on the database in use: LISTEN/NOTIFY on a real server (any number
 * of processes), an in-process PubSub on the embedded database (one process).
 */
export const layer: Layer.Layer<DeliveryWakeup, never, DatabaseKind | PgClient.PgClient | SqlClient.SqlClient> = Layer
  .unwrapEffect(
    Effect.map(DatabaseKind, ({ kind }) => kind === "server" ? PgDeliveryWakeup.layer : PubSubDeliveryWakeup.layer)
  )
