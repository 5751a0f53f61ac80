import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Config, Context, Effect, Layer, Option } from "effect"
import type { ConfigError, Redacted } from "effect"
import * as EmbeddedPostgres from "./EmbeddedPostgres"
import type { EmbeddedPostgresError } from "./EmbeddedPostgres"
import { serverPool } from "./PreparedStatements"

/**
 * Which kind of PostgreSQL the process talks to. A real server delivers LISTEN/NOTIFY across
 * processes; the embedded one (PGlite behind pglite-socket) does not, so live events and worker
 * wake-ups use an in-process PubSub there.
 */
export class DatabaseKind extends Context.Tag("@vigie/adapters/DatabaseKind")<
  DatabaseKind,
  { readonly kind: "embedded" | "server" }
>() {}

export type DatabaseOptions =
  | {
    /** A real PostgreSQL server. */
    readonly url: Redacted.Redacted
    readonly maxConnections?: number
  }
  | {
    /** Embedded PostgreSQL: a PGlite data directory, or `EmbeddedPostgres.inMemory`. */
    readonly dataDir: string
    /** Connections to the embedded backend; default 1 (see below). */
    readonly poolSize?: number
    /** Start from this saved data directory (EmbeddedPostgresServer.dump) instead of an empty one. */
    readonly loadDataDir?: Blob
  }

export type Database = PgClient.PgClient | SqlClient.SqlClient | DatabaseKind

const applicationName = "vigie"

export const layer = (
  options: DatabaseOptions
): Layer.Layer<Database, SqlError | EmbeddedPostgresError> => {
  if ("url" in options) {
    // Its statements are prepared once per connection (PreparedStatements).
    return Layer.merge(
      PgClient.layerFromPool({
        acquire: serverPool({ url: options.url, maxConnections: options.maxConnections, applicationName }),
        applicationName
      }),
      Layer.succeed(DatabaseKind, { kind: "server" })
    )
  }
  // One connection: pglite-socket runs every connection on one backend and keeps a connection's
  // messages together only inside a transaction; outside one it interleaves the extended-protocol
  // messages (Parse, Bind, Execute) of concurrent connections, which clobbers the unnamed prepared
  // statement ("bind message supplies 4 parameters, but prepared statement requires 5"). With one
  // connection, statements simply queue, which is all one embedded backend can do anyway.
  const poolSize = options.poolSize ?? 1
  const client = Layer.unwrapScoped(
    Effect.map(
      EmbeddedPostgres.make({
        dataDir: options.dataDir,
        maxConnections: poolSize + 2,
        loadDataDir: options.loadDataDir
      }),
      (server) =>
        PgClient.layer({
          host: server.host,
          port: server.port,
          username: server.username,
          database: server.database,
          maxConnections: poolSize,
          applicationName
        })
    )
  )
  return Layer.merge(client, Layer.succeed(DatabaseKind, { kind: "embedded" }))
}

/** `DATABASE_URL` (a real server) when set; otherwise embedded PostgreSQL in `<VIGIE_DATA_DIR>/pglite`. */
export const config: Config.Config<DatabaseOptions> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  dataDir: Config.string("VIGIE_DATA_DIR").pipe(Config.withDefault(".data"))
}).pipe(
  Config.map(({ dataDir, url }): DatabaseOptions =>
    Option.match(url, {
      onNone: () => ({ dataDir: `${dataDir}/pglite` }),
      onSome: (url) => ({ url })
    })
  )
)

export const layerFromConfig: Layer.Layer<Database, ConfigError.ConfigError | SqlError | EmbeddedPostgresError> = Layer
  .unwrapEffect(Effect.map(config, layer))
