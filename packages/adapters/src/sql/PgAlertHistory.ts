import { SqlClient } from "@effect/sql"
import { AlertHistory } from "@vigie/domain/alerts/AlertHistory"
import { Effect, Layer } from "effect"
import { mapFailures } from "./SqlFailure"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return AlertHistory.of({
    countByAuthor: (authorId, since) =>
      sql<{ total: number; recent: number }>`
SELECT count(*)::int AS total, count(*) FILTER (WHERE created_at > ${new Date(since.epochMillis)})::int AS recent
FROM alerts WHERE author_id = ${authorId}`.pipe(
        Effect.map((rows) => ({ total: rows[0]?.total ?? 0, recent: rows[0]?.recent ?? 0 })),
        mapFailures(),
        Effect.withSpan("PgAlertHistory.countByAuthor")
      )
  })
})

export const layer = Layer.effect(AlertHistory, make)
