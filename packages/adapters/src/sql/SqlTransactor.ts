import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Transactor } from "@vigie/domain/shared/Transactor"
import { Effect, Layer } from "effect"

/**
 * Transactions on the SqlClient. A failure of the transaction itself (BEGIN or COMMIT refused, a
 * lost connection) is a defect; the use case's own failures roll back and pass through unchanged.
 * Locks are PostgreSQL transaction-level advisory locks on the two 32-bit hashes of the namespace
 * and the key (a collision only serialises two unrelated keys), released at COMMIT or ROLLBACK.
 */
export const make = Effect.map(SqlClient.SqlClient, (sql) =>
  Transactor.of({
    transaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
      sql.withTransaction(self).pipe(
        Effect.catchIf((error): error is SqlError => error instanceof SqlError, Effect.die)
      ) as Effect.Effect<A, E, R>,
    lock: (namespace, key) =>
      sql`SELECT pg_advisory_xact_lock(hashtext(${namespace}), hashtext(${key}))`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("SqlTransactor.lock", { attributes: { namespace } })
      )
  }))

export const layer = Layer.effect(Transactor, make)
