import { SqlClient, SqlSchema } from "@effect/sql"
import { AlertId } from "@vigie/domain/alerts/Alert"
import { AppealId, QueueCounts, QueueItemKind } from "@vigie/domain/moderation/ModeratedAlert"
import { ModerationQueueRepo } from "@vigie/domain/moderation/ModerationQueueRepo"
import type { QueueEntry } from "@vigie/domain/moderation/ModerationQueueRepo"
import { Effect, Layer, Option, Schema } from "effect"
import { Time } from "./PgModerationRows"
import { mapFailures } from "./SqlFailure"

/**
 * The queue's four sections in one statement, in queue order: held alerts, published residents'
 * alerts nobody reviewed (town alerts are the mairie's and police's own, never reviewed), alerts
 * with open flags (since their first open flag), and pending appeals of alerts still hidden. Each
 * section reads its partial index; whether an alert was reviewed is moderation's own `alert_moderation`
 * (no row: not reviewed).
 */
const queueEntries = `
WITH entries AS (
  SELECT 1 AS section, 'held' AS kind, a.id AS alert_id, a.created_at AS since, NULL::uuid AS appeal_id
  FROM alerts a WHERE a.status = 'held_for_review'
  UNION ALL
  SELECT 2, 'unreviewed', a.id, a.created_at, NULL
  FROM alerts a LEFT JOIN alert_moderation m ON m.alert_id = a.id
  WHERE a.status = 'published' AND a.origin IN ('web', 'sms') AND m.reviewed_at IS NULL
  UNION ALL
  SELECT 3, 'flagged', f.alert_id, min(f.created_at), NULL
  FROM moderation_flags f WHERE f.status = 'open' AND f.target_kind = 'alert'
  GROUP BY f.alert_id
  UNION ALL
  SELECT 4, 'appeal', p.alert_id, p.created_at, p.id
  FROM moderation_appeals p JOIN alerts a ON a.id = p.alert_id
  WHERE p.status = 'pending' AND a.status = 'hidden'
)`

const QueueRow = Schema.Struct({ kind: QueueItemKind, alert_id: AlertId, since: Time,
  appeal_id: Schema.NullOr(AppealId) })
const CountsRow = Schema.Struct({
  held: Schema.NonNegativeInt,
  unreviewed: Schema.NonNegativeInt,
  flagged: Schema.NonNegativeInt,
  appeal: Schema.NonNegativeInt
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const queue = SqlSchema.findAll({
    Request: Schema.Any,
    Result: QueueRow,
    execute: (
      { kind, limit, offset }: { readonly kind: string | null; readonly offset: number; readonly limit: number }
    ) =>
      sql`${sql.literal(queueEntries)}
SELECT kind, alert_id, since, appeal_id FROM entries
WHERE ${kind}::text IS NULL OR kind = ${kind}::text
ORDER BY section, since, alert_id
OFFSET ${offset} LIMIT ${limit}`
  })

  const counts = SqlSchema.single({
    Request: Schema.Void,
    Result: CountsRow,
    execute: () =>
      sql`${sql.literal(queueEntries)}
SELECT count(*) FILTER (WHERE kind = 'held')::int AS held, count(*) FILTER (WHERE kind = 'unreviewed')::int AS unreviewed,
       count(*) FILTER (WHERE kind = 'flagged')::int AS flagged, count(*) FILTER (WHERE kind = 'appeal')::int AS appeal
FROM entries`
  })

  return ModerationQueueRepo.of({
    queue: ({ kind, limit, offset }) =>
      queue({ kind: Option.getOrNull(kind), offset, limit }).pipe(
        Effect.map((rows) =>
          rows.map((r): QueueEntry => ({
            kind: r.kind,
            alertId: r.alert_id,
            since: r.since,
            appealId: Option.fromNullable(r.appeal_id)
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgModerationQueueRepo.queue")
      ),
    queueCounts: counts(undefined).pipe(
      Effect.map((row) => new QueueCounts(row)),
      mapFailures(),
      Effect.withSpan("PgModerationQueueRepo.queueCounts")
    )
  })
})

export const layer = Layer.effect(ModerationQueueRepo, make)
