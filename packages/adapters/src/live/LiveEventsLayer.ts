import type { SqlClient } from "@effect/sql"
import type { PgClient } from "@effect/sql-pg"
import type { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Effect, Layer } from "effect"
import { DatabaseKind } from "../sql/Database"
import * as PgLiveEvents from "./PgLiveEvents"
import * as PubSubLiveEvents from "./PubSubLiveEvents"

/**
 * The live-events adapter that works on the database in use: Postgres LISTEN/NOTIFY on a real
 * server (any number of app processes), an in-process PubSub on the embedded database (one process;
 * NOTIFY does not cross connections through pglite-socket).
 */
export const layer: Layer.Layer<LiveEvents, never, DatabaseKind | PgClient.PgClient | SqlClient.SqlClient> = Layer
  .unwrapEffect(
    Effect.map(DatabaseKind, ({ kind }) => kind === "server" ? PgLiveEvents.layer : PubSubLiveEvents.layer)
  )
