/**
 * Pending deliveries written straight into the tables, set-based, for the delivery benchmarks and the
 * worker fault tests: one community, one author, one alert and its message, then `count` rows.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

export interface SeedOptions {
  readonly sms: number
  readonly email: number
  /** First number of the destinations, so that several seeds never share one. */
  readonly offset?: number
  /** Delay before the rows are due, in seconds (negative: already overdue). */
  readonly dueInSeconds?: number
  readonly text?: string
}

export interface Seeded {
  readonly alertId: string
  readonly messageId: string
}

/** `+336` and 8 digits: the phone of seed number `n`. */
export const seedPhone = (n: number): string => `+336${String(n).padStart(8, "0")}`

export const seedDeliveries = (options: SeedOptions): Effect.Effect<Seeded, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const offset = options.offset ?? 0
    const [row] = yield* sql<{ alert_id: string; message_id: string }>`
WITH community AS (
  INSERT INTO communities (insee, name, perimeter)
  VALUES ('33063', 'Quartier Saint-Pierre',
    '{"type":"Polygon","coordinates":[[[-0.58,44.84],[-0.57,44.84],[-0.57,44.85],[-0.58,44.84]]]}'::jsonb)
  RETURNING id
), author AS (
  INSERT INTO accounts (first_name, last_name) VALUES ('Auteur', 'Banc') RETURNING id
), alert AS (
  INSERT INTO alerts (scope_kind, community_id, insee, author_id, origin, category, urgency, text, status, created_at)
  SELECT 'community', community.id, '33063', author.id, 'web', 'burglary', 'urgent',
    ${options.text ?? "Tentative de cambriolage rue des Lilas, deux individus repérés."}, 'published', now()
  FROM community, author
  RETURNING id
)
INSERT INTO messages (alert_id, kind, created_at) SELECT id, 'alert', now() FROM alert
RETURNING alert_id, id AS message_id`
    const due = options.dueInSeconds ?? -1
    yield* sql`
INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
SELECT ${row!.message_id}::uuid, ${row!.alert_id}::uuid, gen_random_uuid(), ch.channel,
  CASE WHEN ch.channel = 'sms' THEN '+336' || lpad((${offset}::int + g)::text, 8, '0')
       ELSE 'voisin' || (${offset}::int + g) || '@example.fr' END,
  now() + make_interval(secs => ${due}::int), now(), now()
FROM (VALUES ('sms', ${options.sms}::int), ('email', ${options.email}::int)) AS ch (channel, n)
CROSS JOIN LATERAL generate_series(1, ch.n) g`
    return { alertId: row!.alert_id, messageId: row!.message_id }
  })

/** Deliveries per status. */
export const statusCounts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<
    { status: string; n: number }
  >`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<string, number>>
})
