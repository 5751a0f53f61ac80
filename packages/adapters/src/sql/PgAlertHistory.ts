import { SqlClient } from "@effect/sql"
import { AlertHistory } from "@vigie/domain/alerts/AlertHistory"
import { DateTime, Effect, Layer } from "effect"
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
      ),
    // One statement over the author index and the community feed index (a BitmapOr of the two).
    trustCounts: (authorId, communityId, since) =>
      sql<{ total: number; rate_recent: number; member_recent: number; community_recent: number }>`
SELECT count(*) FILTER (WHERE author_id = ${authorId})::int AS total,
       count(*) FILTER (WHERE author_id = ${authorId} AND created_at > ${
        DateTime.toDateUtc(since.rate)
      })::int AS rate_recent,
       count(*) FILTER (WHERE author_id = ${authorId} AND created_at > ${
        DateTime.toDateUtc(since.member)
      })::int AS member_recent,
       count(*) FILTER (WHERE community_id = ${communityId} AND created_at > ${
        DateTime.toDateUtc(since.community)
      })::int
         AS community_recent
FROM alerts
WHERE author_id = ${authorId} OR (community_id = ${communityId} AND created_at > ${
        DateTime.toDateUtc(since.community)
      })`.pipe(
        Effect.map((rows) => ({
          total: rows[0]?.total ?? 0,
          rateRecent: rows[0]?.rate_recent ?? 0,
          memberRecent: rows[0]?.member_recent ?? 0,
          communityRecent: rows[0]?.community_recent ?? 0
        })),
        mapFailures(),
        Effect.withSpan("PgAlertHistory.trustCounts")
      )
  })
})

export const layer = Layer.effect(AlertHistory, make)
