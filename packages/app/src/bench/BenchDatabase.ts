import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Reactivity from "@effect/experimental/Reactivity"
import { PgClient } from "@effect/sql-pg"
import * as Database from "@vigie/adapters/sql/Database"
import { Effect, Layer, Redacted } from "effect"

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

/** Embedded PGlite in a temporary directory, removed when the scope closes (one connection, as in production). */
export const embeddedDatabase = Layer.unwrapScoped(Effect.gen(function*() {
  const dir = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-bench-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  console.log(`database: embedded PGlite in ${dir}`)
  return Database.layer({ dataDir: join(dir, "pglite") })
}))
