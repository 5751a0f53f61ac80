import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"
import { migrations } from "./migrations/index"

/** The table where applied migrations are recorded. */
export const table = "vigie_migrations"

/** Key of the transaction-level advisory lock that serialises migration runs across processes. */
const lockKey = 7_261_001

const runner = Migrator.make({})

/**
 * Applies every pending migration, in one transaction, under a PostgreSQL advisory lock: any number of
 * processes may start at once; one migrates, the others wait and then find nothing to do.
 * Returns the migrations it applied. `PgMigrator.run` is the same runner plus a pg_dump hook, which
 * would require FileSystem, Path and CommandExecutor; it is not needed here.
 */
export const migrate: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError,
  SqlClient.SqlClient
> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(
    Effect.gen(function*() {
      yield* sql`SELECT pg_advisory_xact_lock(${lockKey})`
      // The same table the Migrator would create, but without its failing probe, which would abort
      // this enclosing transaction.
      yield* sql`CREATE TABLE IF NOT EXISTS ${sql(table)} (
  migration_id integer primary key,
  created_at timestamp with time zone not null default now(),
  name text not null
)`
      return yield* runner({ loader: Migrator.fromRecord(migrations), table })
    })
  )
}).pipe(Effect.withSpan("Migrations.migrate"))

export const layer: Layer.Layer<never, Migrator.MigrationError | SqlError, SqlClient.SqlClient> = Layer.effectDiscard(
  migrate
)
