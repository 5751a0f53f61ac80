import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Transactor } from "@vigie/domain/shared/Transactor"
import { Effect, Layer } from "effect"

/**
 * Transactions on the SqlClient. A failure of the transaction itself (BEGIN or COMMIT refused, a
 * lost connection) is a defect; the use case's own failures roll back and pass through unchanged.
 */
export const make = Effect.map(SqlClient.SqlClient, (sql) =>
  Transactor.of({
    transaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
      sql.withTransaction(self).pipe(
        Effect.catchIf((error): error is SqlError => error instanceof SqlError, Effect.die)
      ) as Effect.Effect<A, E, R>
  }))

export const layer = Layer.effect(Transactor, make)
