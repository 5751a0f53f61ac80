/**
 * The figures an operator watches, read for the metrics scrape (the app's telemetry turns them into
 * gauges): the delivery queue, the inbound SMS backlog and the communes' SMS budgets this month. Each
 * is one statement on an index made for it (deliveries_claim, inbound_sms_inbox, town_alerts_commune),
 * read at most once per 5 s per process. The queue's counts grow with the queue: 90–150 ms with 510,000
 * rows queued (PostgreSQL 15), about a millisecond for an ordinary queue.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"

/** One channel's queue: rows waiting (pending or sending), those due now, and the age of the oldest due one. */
export interface QueueFigures {
  readonly channel: string
  readonly queued: number
  readonly due: number
  /** Seconds since the oldest due row came due; 0 when none is due. */
  readonly oldestDueSeconds: number
}

/** A commune's SMS budget this month (Europe/Paris months), in billed SMS parts. */
export interface BudgetFigures {
  readonly insee: string
  readonly usedSegments: number
  readonly monthlySegments: number
}

export interface OperationalFigures {
  readonly queues: ReadonlyArray<QueueFigures>
  /** Inbound SMS recorded and not handled yet (pending or being handled). */
  readonly inboundBacklog: number
  /** Seconds since the oldest unhandled inbound SMS arrived; 0 when there is none. */
  readonly inboundOldestSeconds: number
  /** Communes that spent SMS this month only: the others use nothing. */
  readonly budgets: ReadonlyArray<BudgetFigures>
}

const QueueRow = Schema.Struct({
  channel: Schema.String,
  queued: Schema.Number,
  due: Schema.Number,
  oldest_due_seconds: Schema.Number
})
const InboundRow = Schema.Struct({ backlog: Schema.Number, oldest_seconds: Schema.Number })
const BudgetRow = Schema.Struct({ insee: Schema.String, used: Schema.Number, monthly: Schema.Number })

/** Rows of our own statements that do not decode are a bug, not a database failure. */
const rowsOf = <A, I>(schema: Schema.Schema<A, I>) => (rows: unknown) =>
  Effect.orDie(Schema.decodeUnknown(Schema.Array(schema))(rows))

/**
 * Reads the figures. `defaultMonthlySegments` is the budget of communes without one of their own
 * (TOWN_SMS_MONTHLY_BUDGET).
 */
export const read = (
  defaultMonthlySegments: number
): Effect.Effect<OperationalFigures, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const queues = yield* sql`
SELECT channel,
       count(*)::float8 AS queued,
       (count(*) FILTER (WHERE next_attempt_at <= now()))::float8 AS due,
       coalesce(extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now())), 0)::float8
         AS oldest_due_seconds
FROM deliveries
WHERE status IN ('pending', 'sending')
GROUP BY channel`.pipe(Effect.flatMap(rowsOf(QueueRow)))
    const inbound = yield* sql`
SELECT count(*)::float8 AS backlog,
       coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS oldest_seconds
FROM inbound_sms
WHERE handling IN ('pending', 'handling')`.pipe(Effect.flatMap(rowsOf(InboundRow)))
    const budgets = yield* sql`
WITH month AS (
  SELECT (date_trunc('month', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris') AS start
), used AS (
  SELECT insee, sum(billed_segments) AS used FROM (
    SELECT insee, billed_segments FROM town_alerts, month WHERE created_at >= month.start
    UNION ALL
    SELECT insee, billed_segments FROM referent_bulletins, month WHERE created_at >= month.start
  ) spent GROUP BY insee
)
SELECT used.insee, used.used::float8 AS used,
       coalesce(b.monthly_sms_segments, ${defaultMonthlySegments})::float8 AS monthly
FROM used LEFT JOIN commune_budgets b ON b.insee = used.insee`.pipe(Effect.flatMap(rowsOf(BudgetRow)))
    return {
      queues: queues.map((q) => ({
        channel: q.channel,
        queued: q.queued,
        due: q.due,
        oldestDueSeconds: Math.max(0, q.oldest_due_seconds)
      })),
      inboundBacklog: inbound[0]?.backlog ?? 0,
      inboundOldestSeconds: Math.max(0, inbound[0]?.oldest_seconds ?? 0),
      budgets: budgets.map((b) => ({ insee: b.insee, usedSegments: b.used, monthlySegments: b.monthly }))
    }
  }).pipe(Effect.withSpan("PgOperationalFigures.read"))
