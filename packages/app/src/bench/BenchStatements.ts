import { createRequire } from "node:module"
import { SqlClient } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Actor } from "@vigie/domain/accounts/CurrentActor"
import type { SessionId } from "@vigie/domain/accounts/Session"
import { Effect, Option } from "effect"

/** A statement the driver (node-postgres under @effect/sql-pg) sent, with its parameters. */
export interface Statement {
  readonly text: string
  readonly values: ReadonlyArray<unknown>
}

let captured: Array<Statement> | undefined
let sent = 0
const pgClient =
  (createRequire(import.meta.url)("pg") as { Client: { prototype: { query: (...args: Array<unknown>) => unknown } } })
    .Client
const query = pgClient.prototype.query
// Installed once, when a bench first imports this module: every statement is counted, and recorded
// while `capturing` runs (what --explain replays).
pgClient.prototype.query = function(this: unknown, ...args: Array<unknown>) {
  sent++
  const [first, second] = args
  if (captured !== undefined) {
    if (typeof first === "string") captured.push({ text: first, values: Array.isArray(second) ? second : [] })
    else if (typeof first === "object" && first !== null && "text" in first) {
      const config = first as { text: string; values?: ReadonlyArray<unknown> }
      captured.push({ text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) })
    }
  }
  return query.apply(this, args)
}

/** Statements sent by this process since it started, counted at the driver: statements per request. */
export const statementsSent = (): number => sent

/** `self`'s result and the statements it sent. */
export const capturingWith = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => (captured = [])),
    (list) => Effect.map(self, (a) => [a, list as ReadonlyArray<Statement>] as const),
    () => Effect.sync(() => (captured = undefined))
  )

/** The statements `self` sent. */
export const capturing = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.map(capturingWith(self), ([, list]) => list)

/** EXPLAIN (ANALYZE, BUFFERS) of a statement the driver sent (a SELECT or WITH), with the same parameters. */
export const explainStatement = (title: string, statement: Statement | undefined) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (statement === undefined || !/^\s*(SELECT|WITH)/i.test(statement.text)) return
    const plan = yield* sql.unsafe<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
      statement.values as Array<unknown>
    )
    console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${title}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}\n`)
  })

/** An account as a session's look-up loads it, for each request of a bench. */
export const actorOf = (accountId: AccountId) =>
  Effect.gen(function*() {
    const accounts = yield* AccountRepo
    const account = Option.getOrThrow(yield* accounts.findById(accountId))
    return { _tag: "Authenticated", account, sessionId: crypto.randomUUID() as SessionId } satisfies Actor
  })

/** The baseline of every request figure: one round trip through the same pool. */
export const selectOne = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`)
