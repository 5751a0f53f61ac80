import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Reactivity from "@effect/experimental/Reactivity"
import { PgClient } from "@effect/sql-pg"
import * as Database from "@vigie/adapters/sql/Database"
import { Effect, Layer, Redacted } from "effect"

/**
 * The bench's own database `name` on the server of `url`: dropped (WITH FORCE) and created again, unless
 * `reuse` and it exists (a seeded database kept from an earlier run). Only that database, by its name;
 * the admin connection is closed once it is done. The layer of a pool of `maxConnections` on it, built
 * anew wherever it is provided (not dropped at the end).
 */
export const serverDatabase = (
  url: string,
  options: { readonly name: string; readonly reuse: boolean; readonly maxConnections: number }
) =>
  Effect.gen(function*() {
    const admin = yield* PgClient.make({ url: Redacted.make(url), maxConnections: 1 }).pipe(
      Effect.provide(Reactivity.layer)
    )
    const [exists] = yield* admin<{ ok: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ${options.name}) AS ok`
    if (!options.reuse || exists?.ok !== true) {
      yield* admin`DROP DATABASE IF EXISTS ${admin(options.name)} WITH (FORCE)`
      yield* admin`CREATE DATABASE ${admin(options.name)}`
    }
    const target = new URL(url)
    target.pathname = `/${options.name}`
    return Database.layer({ url: Redacted.make(target.toString()), maxConnections: options.maxConnections })
  }).pipe(Effect.scoped)

/** A fresh database on the server of `url`, dropped (WITH FORCE) when the scope closes. */
export const freshServerDatabase = (url: string, maxConnections: number) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const name = `vigie_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`
    const admin = yield* PgClient.make({ url: Redacted.make(url), maxConnections: 1 }).pipe(
      Effect.provide(Reactivity.layer)
    )
    yield* Effect.acquireRelease(
      admin`CREATE DATABASE ${admin(name)}`,
      () => admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.pipe(Effect.orDie)
    )
    const target = new URL(url)
    target.pathname = `/${name}`
    console.log(`database: PostgreSQL server, fresh database ${name}`)
    return Database.layer({ url: Redacted.make(target.toString()), maxConnections })
  }))

/**
 * Embedded PGlite in a temporary directory (its name starting with `prefix`), removed when the scope
 * closes (one connection, as in production).
 */
export const embeddedDatabaseIn = (prefix: string) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), prefix))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    )
    console.log(`database: embedded PGlite in ${dir}`)
    return Database.layer({ dataDir: join(dir, "pglite") })
  }))

/** Embedded PGlite in a temporary directory, removed when the scope closes (one connection, as in production). */
export const embeddedDatabase = embeddedDatabaseIn("vigie-bench-")
