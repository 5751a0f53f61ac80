/**
 * Fan-out benchmark: how fast does posting a town-wide urgent alert write its delivery rows?
 *
 *   npm run bench:fanout                         embedded PGlite in a temp dir, 100,000 members
 *   npm run bench:fanout -- --members 300000     (any size; --communities 20 by default)
 *   DATABASE_URL=postgres://… npm run bench:fanout   a fresh database vigie_bench_<random> on that
 *                                                server, dropped at the end
 *
 * Seeds one commune set-based (generate_series), then times AlertPublisher.post (alert + message +
 * every delivery, one transaction, until COMMIT returns). Baselines in the same run, into
 * `deliveries_baseline (LIKE deliveries INCLUDING ALL)` (same columns, checks, defaults and indexes;
 * no foreign keys), with the very rows the fan-out wrote:
 *   1. multi-row INSERT: parameterized `INSERT … VALUES (…), (…)` batches of 1,000 rows sent from
 *      the client, in one transaction (the rows are fetched beforehand, outside the timing);
 *   2. server-side copy: `INSERT INTO deliveries_baseline SELECT … FROM deliveries`, the floor.
 */
import { SqlClient } from "@effect/sql"
import { embeddedDatabase, freshServerDatabase } from "./BenchDatabase.js"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgOutbox from "@vigie/adapters/sql/PgOutbox"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import * as AlertPublisherLayer from "@vigie/domain/alerts/AlertPublisher"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { DateTime, Effect, Layer, Option } from "effect"
import { argument } from "./BenchArguments.js"

const members = argument("members", 100_000)
const communities = argument("communities", 20)
const batchSize = 1_000
const insee = "33063" as InseeCode

const seconds = (ms: number) => (ms / 1000).toFixed(2)
const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en-US")

const timed = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = performance.now()
    const result = yield* self
    return [result, performance.now() - start] as const
  })

/** One commune, `communities` quartiers, `members` residents with a realistic mix, one mairie agent. */
const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
INSERT INTO communities (insee, name, perimeter)
SELECT ${insee}, 'Quartier ' || g,
  '{"type":"Polygon","coordinates":[[[-0.58,44.84],[-0.57,44.84],[-0.57,44.85],[-0.58,44.84]]]}'::jsonb
FROM generate_series(1, ${communities}) g`
  // 10 % without a phone, 5 % with an unverified one, 0.5 % suspended, every one with an e-mail but 2 %.
  yield* sql`
INSERT INTO accounts (first_name, last_name, email, phone, phone_verified, status)
SELECT 'Voisin', 'N' || g,
  CASE WHEN g % 50 = 0 THEN NULL ELSE 'voisin' || g || '@example.fr' END,
  CASE WHEN g % 10 = 0 THEN NULL ELSE '+336' || lpad(g::text, 8, '0') END,
  g % 10 <> 0 AND g % 20 <> 1,
  CASE WHEN g % 200 = 0 THEN 'suspended' ELSE 'active' END
FROM generate_series(1, ${members}) g`
  // One home membership each (5 % still pending), and a second community for 10 % of them.
  yield* sql`
WITH a AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts),
     c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM communities)
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city, verified_at)
SELECT a.id, c.id, 'resident', CASE WHEN a.n % 20 = 3 THEN 'pending_verification' ELSE 'verified' END,
  m.home, a.n || ' rue Sainte-Catherine', '33000', 'Bordeaux', now()
FROM a
CROSS JOIN LATERAL (VALUES (a.n % ${communities}, true), ((a.n + 1) % ${communities}, false)) AS m (k, home)
JOIN c ON c.k = m.k
WHERE m.home OR a.n % 10 = 4`
  // 0.2 % of the phones sent STOP; 10 % chose their preferences.
  yield* sql`
INSERT INTO sms_suppressions (phone, reason)
SELECT phone, 'stop_keyword' FROM accounts WHERE phone IS NOT NULL AND right(phone, 3)::int % 500 = 7`
  yield* sql`
INSERT INTO notification_preferences (account_id, sms, email, quiet_start, quiet_end)
SELECT id, CASE WHEN n / 10 % 10 IN (1, 2) THEN 'none' ELSE 'urgent_only' END,
  CASE WHEN n / 10 % 10 = 3 THEN 'none' ELSE 'all' END, 1320, 420
FROM (SELECT id, substr(last_name, 2)::int AS n FROM accounts) a WHERE n % 10 = 5`
  const [agent] = yield* sql<{ id: AccountId }>`
INSERT INTO accounts (first_name, last_name, email) VALUES ('Agent', 'Mairie', 'mairie@example.fr') RETURNING id`
  yield* sql`INSERT INTO staff_roles (account_id, role, insee) VALUES (${agent!.id}, 'mairie_agent', ${insee})`
  yield* sql`ANALYZE`
  return agent!.id
})

const columns = [
  "message_id",
  "alert_id",
  "account_id",
  "channel",
  "destination",
  "next_attempt_at",
  "created_at",
  "updated_at"
] as const

const bench = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const alerts = yield* AlertPublisher
  yield* Migrations.migrate
  const [author, seedMs] = yield* timed(seed)
  console.log(`seeded ${members.toLocaleString("en-US")} members in ${communities} communities in ${seconds(seedMs)} s`)

  const [posted, fanOutMs] = yield* timed(alerts.post({
    scope: { _tag: "Commune", insee, communityIds: Option.none() },
    authorId: author,
    origin: "mairie",
    category: "water_or_power_cut",
    urgency: "urgent",
    text: "Coupure d'eau générale ce matin de 8 h à 12 h.",
    place: Option.none(),
    sharedWithAuthorities: false,
    status: "published"
  }, yield* DateTime.now))
  const peakAfterFanOut = process.resourceUsage().maxRSS * 1024
  const fanOut = Option.getOrThrow(posted.fanOut)
  const rows = fanOut.sms + fanOut.email

  yield* sql`CREATE TABLE deliveries_baseline (LIKE deliveries INCLUDING ALL)`
  const values = yield* sql<Record<(typeof columns)[number], unknown>>`
    SELECT ${sql.literal(columns.join(", "))} FROM deliveries ORDER BY id`
  const [, multiRowMs] = yield* timed(sql.withTransaction(Effect.gen(function*() {
    for (let i = 0; i < values.length; i += batchSize) {
      yield* sql`INSERT INTO deliveries_baseline ${sql.insert(values.slice(i, i + batchSize))}`
    }
  })))
  yield* sql`TRUNCATE deliveries_baseline`
  const [, copyMs] = yield* timed(sql`
    INSERT INTO deliveries_baseline (${sql.literal(columns.join(", "))})
    SELECT ${sql.literal(columns.join(", "))} FROM deliveries`)

  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
  console.log(
    `fan-out (AlertPublisher.post, one transaction): ${rows.toLocaleString("en-US")} rows ` +
      `(${fanOut.sms.toLocaleString("en-US")} SMS, ${fanOut.email.toLocaleString("en-US")} e-mail) in ${
        seconds(fanOutMs)
      } s ` +
      `= ${perSecond(rows, fanOutMs)} rows/s`
  )
  console.log(
    `baseline, multi-row INSERT (${batchSize} rows × ${columns.length} parameters per statement): ` +
      `${seconds(multiRowMs)} s = ${perSecond(values.length, multiRowMs)} rows/s`
  )
  console.log(
    `baseline, INSERT … SELECT copy on the server: ${seconds(copyMs)} s = ${perSecond(values.length, copyMs)} rows/s`
  )
  console.log(
    `ratio fan-out / multi-row INSERT: ${(multiRowMs / fanOutMs).toFixed(2)}×; ` +
      `fan-out / server-side copy: ${(copyMs / fanOutMs).toFixed(2)}×`
  )
  console.log(
    `peak RSS (maxRSS) up to the end of the fan-out: ${mb(peakAfterFanOut)}; at the end, after the ` +
      `client-side baseline held every row in memory: ${mb(process.resourceUsage().maxRSS * 1024)}`
  )
})

const url = process.env["DATABASE_URL"]
const database = url ? freshServerDatabase(url, 4) : embeddedDatabase

Effect.runPromise(
  bench.pipe(
    Effect.provide(AlertPublisherLayer.layer.pipe(
      Layer.provide(Layer.mergeAll(PgAlertRepo.layer, PgOutbox.layer, SqlTransactor.layer)),
      Layer.provideMerge(database)
    )),
    Effect.scoped
  )
).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
