import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { inject } from "vitest"
import { describe, it as vitestIt, layer as effectLayer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import * as Database from "@vigie/adapters/sql/Database"
import type { DatabaseKind } from "@vigie/adapters/sql/Database"
import { inMemory } from "@vigie/adapters/sql/EmbeddedPostgres"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { Duration, Effect, Layer, Redacted } from "effect"
import * as PgliteTemplate from "./PgliteTemplate"

export type TestServices = SqlClient.SqlClient | PgClient.PgClient | DatabaseKind

export interface TestDatabase {
  readonly name: "pglite" | "postgres"
  /** A fresh, migrated database; each build of the layer gets its own. */
  readonly layer: Layer.Layer<TestServices>
}

/** Why the real-server suites do not run, or undefined when they do. */
export const postgresSkipReason: string | undefined = process.env["DATABASE_URL"]
  ? undefined
  : "DATABASE_URL is not set: suites against a real PostgreSQL server are skipped (CI sets it)"

const migrated = <E>(db: Layer.Layer<TestServices, E>): Layer.Layer<TestServices> =>
  Layer.provideMerge(Migrations.layer, db).pipe(Layer.orDie)

/** The run's migrated PGlite copy (PgliteTemplate), when the global setup made one. */
const templatePath = (): string | undefined => {
  try {
    return inject(PgliteTemplate.injectKey) || undefined
  } catch {
    // Outside a vitest worker (a script importing this support): no template, initdb as before.
    return undefined
  }
}

/** An in-memory PGlite, started from the run's migrated copy when there is one. */
const embedded = (poolSize?: number): Layer.Layer<TestServices, unknown> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.fromNullable(templatePath()).pipe(Effect.flatMap(PgliteTemplate.load), Effect.option),
      (template) =>
        Database.layer({
          dataDir: inMemory,
          ...(poolSize === undefined ? {} : { poolSize }),
          ...(template._tag === "Some" ? { loadDataDir: template.value } : {})
        })
    )
  )

/** PGlite in memory: nothing touches the disk. */
export const pglite: TestDatabase = {
  name: "pglite",
  layer: migrated(embedded())
}

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

const emptyServer = (adminUrl: string, maxConnections: number): Layer.Layer<TestServices, unknown> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const name = `vigie_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`
      const admin = yield* PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
        Effect.provide(Reactivity.layer)
      )
      yield* Effect.acquireRelease(
        admin`CREATE DATABASE ${admin(name)}`,
        () => admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.pipe(Effect.orDie)
      )
      return Database.layer({ url: Redacted.make(withDatabase(adminUrl, name)), maxConnections })
    })
  )

/**
 * A real PostgreSQL server: a database `vigie_t_<random>` created through an admin connection
 * from `adminUrl`, dropped `WITH (FORCE)` when the layer is released.
 */
export const postgres = (adminUrl: string, maxConnections = 4): TestDatabase => ({
  name: "postgres",
  layer: migrated(emptyServer(adminUrl, maxConnections))
})

/** Every database the suites run against here: PGlite always, a real server when DATABASE_URL is set. */
export const databases: ReadonlyArray<TestDatabase> = postgresSkipReason === undefined
  ? [pglite, postgres(process.env["DATABASE_URL"]!)]
  : [pglite]

/** The same databases, empty (not migrated): for a test of one migration on rows written before it. */
export const emptyDatabases: ReadonlyArray<TestDatabase> = [
  { name: "pglite", layer: Database.layer({ dataDir: inMemory }).pipe(Layer.orDie) },
  ...(postgresSkipReason === undefined
    ? [{ name: "postgres" as const, layer: emptyServer(process.env["DATABASE_URL"]!, 4).pipe(Layer.orDie) }]
    : [])
]

/** The same databases with a pool of `size` connections: for tests that prove no connection is held. */
export const databasesWithPool = (size: number): ReadonlyArray<TestDatabase> => [
  { name: "pglite", layer: migrated(embedded(size)) },
  ...(postgresSkipReason === undefined ? [postgres(process.env["DATABASE_URL"]!, size)] : [])
]

export interface EachDatabaseOptions {
  readonly timeout?: Duration.DurationInput
}

/**
 * Runs the suite once per database (`<name> [pglite]`, `<name> [postgres]`), each on its own fresh,
 * migrated database shared by the suite's tests. Tests run with the live clock.
 */
export const describeEachDatabase = (
  name: string,
  suite: (it: Vitest.MethodsNonLive<TestServices, true>, db: TestDatabase) => void,
  options: EachDatabaseOptions = {}
): void => {
  for (const db of databases) {
    effectLayer(db.layer, { excludeTestServices: true, timeout: options.timeout ?? Duration.seconds(60) })(
      `${name} [${db.name}]`,
      (it) => suite(it, db)
    )
  }
  // Only where no server is configured, with the reason in the title; never in CI (vitest.setup.ts
  // refuses to run there without DATABASE_URL).
  if (postgresSkipReason !== undefined) {
    describe.skip(`${name} [postgres]: ${postgresSkipReason}`, () => {
      vitestIt("runs against a real PostgreSQL server", () => {})
    })
  }
}
