import { SqlClient } from "@effect/sql"
import { expect } from "@effect/vitest"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import { Array as Arr, Effect } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"

describeEachDatabase("SqlTransactor.lock", (it) => {
  it.effect("serialises read-then-write transactions on one key: 6 at once all count, none is lost", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const tx = yield* SqlTransactor.make
      yield* sql`CREATE TABLE lock_probe (key text PRIMARY KEY, n integer NOT NULL)`
      yield* sql`INSERT INTO lock_probe VALUES ('a', 0), ('b', 0)`
      const bump = (key: string) =>
        tx.transaction(Effect.gen(function*() {
          yield* tx.lock("probe", key)
          const [row] = yield* sql<{ n: number }>`SELECT n FROM lock_probe WHERE key = ${key}`
          // Without the lock, every transaction would read the same count here and write it back + 1.
          yield* Effect.sleep("20 millis")
          yield* sql`UPDATE lock_probe SET n = ${row!.n + 1} WHERE key = ${key}`
        }))
      yield* Effect.all([...Arr.makeBy(6, () => bump("a")), ...Arr.makeBy(3, () => bump("b"))], {
        concurrency: "unbounded"
      }).pipe(Effect.orDie)
      const rows = yield* sql<{ key: string; n: number }>`SELECT key, n FROM lock_probe ORDER BY key`
      expect(rows).toStrictEqual([{ key: "a", n: 6 }, { key: "b", n: 3 }])
      // Released at commit: the key can be taken again at once.
      yield* bump("a").pipe(Effect.orDie)
    }))
})
