import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as Database from "@vigie/adapters/sql/Database"
import { DatabaseKind } from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { migrations } from "@vigie/adapters/sql/migrations/index"
import { Effect, Exit, Layer } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"

describeEachDatabase("Database", (it, db) => {
  it.effect("has applied the migrations, and applying them again changes nothing", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const before = yield* sql<{ name: string }>`SELECT name FROM vigie_migrations ORDER BY migration_id`
      const expected = Object.keys(migrations).map((key) => key.replace(/^\d+_/, ""))
      assert.isAbove(expected.length, 0)
      assert.deepStrictEqual(before.map((row) => row.name), expected)
      assert.deepStrictEqual(yield* Migrations.migrate, [])
      assert.deepStrictEqual(yield* Migrations.migrate, [])
      const after = yield* sql<{ count: string }>`SELECT count(*) AS count FROM vigie_migrations`
      assert.strictEqual(after[0]?.count, String(expected.length))
    }))

  it.effect("lets concurrent migration runs through one at a time", () =>
    Effect.gen(function*() {
      const runs = yield* Effect.all([Migrations.migrate, Migrations.migrate, Migrations.migrate], {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(runs, [[], [], []])
    }))

  it.effect("rolls back a transaction that fails", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE rollback_probe (id integer primary key)`
      const exit = yield* sql.withTransaction(
        Effect.gen(function*() {
          yield* sql`INSERT INTO rollback_probe (id) VALUES (1)`
          return yield* Effect.fail("boom" as const)
        })
      ).pipe(Effect.exit)
      assert.deepStrictEqual(exit, Exit.fail("boom"))
      const rows = yield* sql`SELECT id FROM rollback_probe`
      assert.strictEqual(rows.length, 0)
    }))

  it.effect("reports its kind", () =>
    Effect.gen(function*() {
      const { kind } = yield* DatabaseKind
      assert.strictEqual(kind, db.name === "pglite" ? "embedded" : "server")
    }))
})

describe("embedded Database on a data directory", () => {
  it.live("keeps its data when reopened", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-pglite-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const database = Database.layer({ dataDir: join(dir, "nested", "pglite") })
      const session = <A, E>(self: Effect.Effect<A, E, SqlClient.SqlClient>) =>
        Effect.scoped(Layer.build(database).pipe(Effect.flatMap((ctx) => Effect.provide(self, ctx))))

      yield* session(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* Migrations.migrate
        yield* sql`CREATE TABLE kept (note text not null)`
        yield* sql`INSERT INTO kept (note) VALUES ('still here')`
      }))
      const reopened = yield* session(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const applied = yield* Migrations.migrate
        const rows = yield* sql<{ note: string }>`SELECT note FROM kept`
        return { applied, notes: rows.map((row) => row.note) }
      }))
      assert.deepStrictEqual(reopened, { applied: [], notes: ["still here"] })
    }).pipe(Effect.scoped), 60_000)
})
