import { readFile } from "node:fs/promises"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import * as EmbeddedPostgres from "@vigie/adapters/sql/EmbeddedPostgres"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { Effect } from "effect"

/**
 * One migrated PGlite data directory for the whole run. initdb and 35 migrations cost PGlite about
 * 1.8 s per database; loading this copy costs about 0.4 s, and the suites open hundreds of databases.
 * The global setup builds it once (`build`) and hands its path to the test processes (`inject`);
 * each test database then starts from it (`load`) and still runs the migrator, which finds nothing to do.
 */
export const injectKey = "vigiePgliteTemplate"

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the migrated PGlite tarball, "" when the run has none. */
    vigiePgliteTemplate: string
  }
}

/** A fresh in-memory PGlite, migrated, saved as an uncompressed tarball. */
export const build: Effect.Effect<Blob, unknown> = Effect.gen(function*() {
  const server = yield* EmbeddedPostgres.make({ dataDir: EmbeddedPostgres.inMemory, maxConnections: 3 })
  const client = yield* PgClient.make({
    host: server.host,
    port: server.port,
    username: server.username,
    database: server.database,
    maxConnections: 1
  }).pipe(Effect.provide(Reactivity.layer))
  yield* Migrations.migrate.pipe(Effect.provideService(SqlClient.SqlClient, client))
  return yield* server.dump
}).pipe(Effect.scoped)

let loaded: Promise<Blob> | undefined

/** The template at `path`, read once per test process. */
export const load = (path: string): Effect.Effect<Blob> =>
  Effect.promise(() => {
    loaded ??= readFile(path).then((bytes) => new Blob([bytes]))
    return loaded
  })
