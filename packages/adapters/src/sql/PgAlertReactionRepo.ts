import { SqlClient } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { AlertId } from "@vigie/domain/alerts/Alert"
import { ReactionKind } from "@vigie/domain/alerts/AlertReaction"
import { AlertReactionRepo } from "@vigie/domain/alerts/AlertReactionRepo"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const ReactionRow = Schema.Struct({
  account_id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  kind: ReactionKind,
  created_at: Schema.DateTimeUtcFromDate
})

const CountRow = Schema.Struct({ alert_id: AlertId, going: Schema.NonNegativeInt, seen: Schema.NonNegativeInt })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  return AlertReactionRepo.of({
    mark: (alertId, accountId, kind, now) =>
      sql`
INSERT INTO alert_reactions (alert_id, account_id, kind, created_at)
VALUES (${alertId}, ${accountId}, ${kind}, ${DateTime.toDateUtc(now)})
ON CONFLICT (alert_id, account_id, kind) DO NOTHING
RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgAlertReactionRepo.mark")
      ),
    unmark: (alertId, accountId, kind) =>
      sql`
DELETE FROM alert_reactions WHERE alert_id = ${alertId} AND account_id = ${accountId} AND kind = ${kind}
RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgAlertReactionRepo.unmark")
      ),
    list: (alertId) =>
      sql`
SELECT r.account_id, a.first_name, a.last_name, r.kind, r.created_at
FROM alert_reactions r JOIN accounts a ON a.id = r.account_id
WHERE r.alert_id = ${alertId} AND a.status <> 'erased'
ORDER BY r.created_at, r.account_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(ReactionRow))),
        Effect.map((rows) =>
          rows.map((r) => ({
            accountId: r.account_id,
            firstName: r.first_name,
            lastName: r.last_name,
            kind: r.kind,
            at: r.created_at
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgAlertReactionRepo.list")
      ),
    counts: (alertIds) =>
      (alertIds.length === 0
        ? Effect.succeed([])
        : sql`
SELECT r.alert_id,
       count(*) FILTER (WHERE r.kind = 'going')::int AS going,
       count(*) FILTER (WHERE r.kind = 'seen')::int AS seen
FROM alert_reactions r JOIN accounts a ON a.id = r.account_id
WHERE r.alert_id = ANY (${alertIds}::uuid[]) AND a.status <> 'erased'
GROUP BY r.alert_id`.pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(CountRow))))).pipe(
          Effect.map((rows) => rows.map((r) => ({ alertId: r.alert_id, going: r.going, seen: r.seen }))),
          mapFailures(),
          Effect.withSpan("PgAlertReactionRepo.counts")
        )
  })
})

export const layer = Layer.effect(AlertReactionRepo, make)
