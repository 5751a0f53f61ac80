import { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect, Redacted } from "effect"
import Pg from "pg"

/** How many statement texts one connection keeps prepared; past that, new texts run unnamed. */
export const PREPARED_PER_CONNECTION = 400

/**
 * Makes every statement with parameters that `client` runs a named prepared statement of its
 * connection: the server parses it once per connection, and after its first executions PostgreSQL
 * may keep a generic plan instead of planning each call (`plan_cache_mode` auto: custom plans for the
 * first five, then the generic one unless it is estimated dearer). A conversation list of 30 took
 * about 1.4 ms to plan and as long to run on the bench:messages data; planned once, the statement
 * alone served 1,085 instead of 896 per second. node-postgres keeps the names per connection
 * (`connection.parsedStatements`); a statement that fails to parse is parsed again next time.
 * Statements without parameters (migrations, LISTEN, several statements in one text) keep the simple
 * protocol. At most `limit` texts per connection are named, so that statements built with a varying
 * number of parameters cannot fill the server's memory.
 */
export const prepareStatements = (client: Pg.ClientBase, limit = PREPARED_PER_CONNECTION): void => {
  const names = new Map<string, string>()
  const query = client.query.bind(client) as (...args: Array<unknown>) => unknown
  const prepared = (...args: Array<unknown>): unknown => {
    const [text, values] = args
    if (typeof text === "string" && Array.isArray(values) && values.length > 0) {
      let name = names.get(text)
      if (name === undefined && names.size < limit) {
        name = `vigie_${names.size + 1}`
        names.set(text, name)
      }
      if (name !== undefined) return query({ name, text, values }, ...args.slice(2))
    }
    return query(...args)
  }
  Object.assign(client, { query: prepared })
}

/**
 * A node-postgres pool on a real server whose connections prepare their statements
 * (`prepareStatements`). Only for a real server: the embedded PGlite runs every connection on one
 * backend, where one connection's statement names would meet another's.
 */
export const serverPool = (options: {
  readonly url: Redacted.Redacted
  readonly maxConnections?: number | undefined
  readonly applicationName: string
}) =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const pool = new Pg.Pool({
        connectionString: Redacted.value(options.url),
        max: options.maxConnections ?? 10,
        application_name: options.applicationName
      })
      pool.on("error", () => {})
      pool.on("connect", (client) => prepareStatements(client))
      return Effect.tryPromise({
        try: () => pool.query("SELECT 1"),
        catch: (cause) => new SqlError({ cause, message: "PgClient: Failed to connect" })
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(5),
          onTimeout: () =>
            new SqlError({ cause: new Error("Connection timed out"), message: "PgClient: Connection timed out" })
        }),
        Effect.tapError(() => Effect.promise(() => pool.end().catch(() => {}))),
        Effect.as(pool)
      )
    }),
    (pool) => Effect.promise(() => pool.end()).pipe(Effect.interruptible, Effect.timeoutOption(1000))
  )
