import { SqlClient } from "@effect/sql"
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import type Pg from "pg"
import { describe, it as vitestIt } from "vitest"
import { prepareStatements } from "../../src/sql/PreparedStatements"
import { describeEachDatabase } from "../support/TestDatabase"

/** A stand-in for a node-postgres client that records how `query` was called. */
const recording = () => {
  const calls: Array<ReadonlyArray<unknown>> = []
  const client = { query: (...args: Array<unknown>) => calls.push(args) } as unknown as Pg.ClientBase
  return { client, calls }
}

describe("prepareStatements", () => {
  vitestIt("names each text with parameters once, keeps the callback, and leaves the rest unnamed", () => {
    const { calls, client } = recording()
    prepareStatements(client, 2)
    const callback = () => {}
    client.query("SELECT $1::int", [1], callback)
    client.query("SELECT $1::int", [2], callback)
    client.query("SELECT $1::text", ["a"])
    client.query("SELECT 1")
    client.query("SELECT 2", [])
    client.query("SELECT $1::date", ["2026-12-06"])
    expect(calls).toEqual([
      [{ name: "vigie_1", text: "SELECT $1::int", values: [1] }, callback],
      [{ name: "vigie_1", text: "SELECT $1::int", values: [2] }, callback],
      [{ name: "vigie_2", text: "SELECT $1::text", values: ["a"] }],
      ["SELECT 1"],
      ["SELECT 2", []],
      // Past the limit: unnamed, as node-postgres runs it by default.
      ["SELECT $1::date", ["2026-12-06"]]
    ])
  })
})

describeEachDatabase("prepared statements", (it, db) => {
  it.effect("a statement with parameters is prepared once on a server's connection, and still answers", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // One transaction: one connection, whose prepared statements the server lists.
      const { answers, prepared } = yield* sql.withTransaction(Effect.gen(function*() {
        const first = yield* sql<{ n: number }>`SELECT ${41}::int + 1 AS n`
        const second = yield* sql<{ n: number }>`SELECT ${1}::int + 1 AS n`
        const rows = yield* sql<{ name: string; statement: string }>`
SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%::int + 1 AS n'`
        return { answers: [first[0]!.n, second[0]!.n], prepared: rows }
      }))
      expect(answers).toEqual([42, 2])
      if (db.name === "postgres") {
        expect(prepared).toHaveLength(1)
        expect(prepared[0]!.name).toMatch(/^vigie_\d+$/)
      } else {
        // The embedded backend is shared by its connections: nothing is named there.
        expect(prepared).toEqual([])
      }
    }))
})
