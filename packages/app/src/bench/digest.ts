/**
 * The Gazette's weekly digest at national scale on a real PostgreSQL server (issue 15, item 6).
 *
 *   DATABASE_URL=postgres://… npm run bench:digest                   seed (long) and measure
 *   DATABASE_URL=postgres://… npm run bench:digest -- --scale 0.01   a quick run (its own database)
 *   DATABASE_URL=postgres://… npm run bench:digest -- --reuse        keep the seeded database of an earlier run
 *   options: --posts 100000 --events 10000 (at scale 1; scaled too), --pool 4
 *
 * The database is `vigie_digest` (`vigie_digest_<scale>` below scale 1), dropped and recreated by a run
 * without --reuse, migrated by the real migrations. It is seeded by the national seed (NationalSeed.ts:
 * 300,000 members in 30,000 quartiers of 600 communes, with a small history of alerts) and then, set-based,
 * a week of the Gazette: `--posts` posts over the 7 days before the digest (a mix of kinds, 94 % published,
 * the others held, hidden or withdrawn; some closed or expired), two communications per commune (one to
 * the whole commune, one to two named quartiers), `--events` events starting over the next three weeks
 * (3 % cancelled), and Gazette choices for 30 % of the members (the others keep the defaults).
 *
 * Measured: GazetteDigests.plan (the job's planning, in its one transaction) over the production
 * repositories: wall time and the process's peak RSS (sampled every 20 ms during the planning, and
 * process.resourceUsage().maxRSS); beside it, in the same run, the baseline: a bare server-side
 * `INSERT … SELECT` of as many rows into a copy of the deliveries table (`LIKE deliveries INCLUDING ALL`,
 * same indexes), the floor of any planning that writes them. Goal (issue 15): under 60 s and a peak RSS
 * under 512 MiB at scale 1. The planning runs twice (the second after deleting the first's rows), and
 * the better time is kept, as the other benchmarks do.
 */
import { SqlClient } from "@effect/sql"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import { nextDigestAt } from "@vigie/domain/gazette/GazetteDigest"
import * as GazetteDigests from "@vigie/domain/gazette/GazetteDigests"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { DateTime, Effect, Layer, Option } from "effect"
import { argument } from "./BenchArguments.js"
import { serverDatabase } from "./BenchDatabase.js"
import { seed, type SeedShape, shapeOf } from "./NationalSeed.js"

const flag = (name: string) => process.argv.includes(`--${name}`)
const scale = (() => {
  const index = process.argv.indexOf("--scale")
  if (index < 0) return 1
  const value = Number(process.argv[index + 1])
  if (!(value > 0 && value <= 1)) throw new Error("--scale needs a number in (0, 1]")
  return value
})()
const reuse = flag("reuse")
const pool = argument("pool", 4)
const posts = Math.max(100, Math.round(argument("posts", 100_000) * scale))
const events = Math.max(20, Math.round(argument("events", 10_000) * scale))
const databaseName = scale === 1 ? "vigie_digest" : `vigie_digest_${String(scale).replace(".", "_")}`

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** The Monday 08:00 (Paris) the seeded week leads to: posts before it, events after it. */
const RUN_AT = nextDigestAt(DateTime.unsafeMake(Date.now()))

const gazetteSeed = (shape: SeedShape) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const runAt = DateTime.toDateUtc(RUN_AT)
    const started = performance.now()
    const parts = Math.max(1, Math.min(10, Math.round(posts / 10_000)))
    const kinds = ["annonce", "annonce", "annonce", "entraide", "entraide", "covoiturage", "perdu_trouve",
      "perdu_trouve", "vie_du_quartier", "vie_du_quartier", "vie_du_quartier", "compte_rendu"]
    for (let i = 0; i < parts; i++) {
      const lo = Math.floor((posts * i) / parts) + 1
      const hi = Math.floor((posts * (i + 1)) / parts)
      yield* sql`
INSERT INTO gazette_posts (kind, community_id, insee, author_id, title, body, details, status, state, outcome, closed_at,
  created_at, expires_at)
SELECT s.kind, q.id, q.insee, m.account_id, 'Annonce de démonstration n° ' || s.g,
  repeat('Un texte de voisin, assez long pour un extrait. ', 1 + s.g % 6), jsonb_build_object('_tag', s.kind),
  CASE WHEN s.g % 100 < 94 THEN 'published' WHEN s.g % 100 < 97 THEN 'held_for_review'
       WHEN s.g % 100 < 99 THEN 'hidden' ELSE 'withdrawn' END,
  CASE WHEN s.g % 25 = 0 AND s.kind <> 'vie_du_quartier' AND s.kind <> 'compte_rendu' THEN 'closed' ELSE 'open' END,
  CASE WHEN s.g % 25 = 0 AND s.kind <> 'vie_du_quartier' AND s.kind <> 'compte_rendu' THEN 'fait' END,
  CASE WHEN s.g % 25 = 0 AND s.kind <> 'vie_du_quartier' AND s.kind <> 'compte_rendu' THEN s.at END,
  s.at,
  CASE WHEN s.kind IN ('annonce', 'entraide', 'covoiturage', 'perdu_trouve')
       THEN s.at + CASE WHEN s.g % 40 = 0 THEN interval '1 hour' ELSE interval '30 days' END END
FROM (
  SELECT g, (${kinds}::text[])[1 + g % ${kinds.length}::int] AS kind,
    ${runAt}::timestamptz - ((g * 7919) % 10080) * interval '1 minute' - interval '1 minute' AS at
  FROM generate_series(${lo}::int, ${hi}::int) g
) s
JOIN bench_members m ON m.n = 1 + (s.g::bigint * 2654435761 % ${shape.members}::int)::int
JOIN bench_quartiers q ON q.k = m.k`
      process.stderr.write(`\r  seed gazette posts ${hi}/${posts}   `)
    }
    process.stderr.write("\r" + " ".repeat(60) + "\r")
    yield* sql`
INSERT INTO gazette_posts (kind, community_id, insee, author_id, title, body, details, status, created_at)
SELECT 'evenement', q.id, q.insee, m.account_id, 'Événement n° ' || g, 'Venez nombreux.',
  jsonb_build_object('_tag', 'evenement', 'place', 'Salle des fêtes',
    'startsAt', to_char((${runAt}::timestamptz + ((g * 7919) % 30240) * interval '1 minute') AT TIME ZONE 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  'published', ${runAt}::timestamptz - ((g * 104729) % 20000) * interval '1 minute' - interval '1 minute'
FROM generate_series(1, ${events}::int) g
JOIN bench_members m ON m.n = 1 + (g::bigint * 2654435761 % ${shape.members}::int)::int
JOIN bench_quartiers q ON q.k = m.k`
    yield* sql`UPDATE gazette_posts SET cancelled_at = created_at WHERE kind = 'evenement' AND hashtext(id::text) % 33 = 0`
    yield* sql`
INSERT INTO gazette_posts (kind, community_id, insee, author_id, title, body, details, status, created_at)
SELECT 'communication', NULL, c.insee, c.agent_id, 'Communication de la mairie n° ' || c.k || '-' || t,
  'Travaux de voirie la semaine prochaine.', jsonb_build_object('_tag', 'communication', 'communityIds', '[]'::jsonb),
  'published', ${runAt}::timestamptz - (1 + c.k % 5) * interval '1 day' - t * interval '1 hour'
FROM bench_communes c CROSS JOIN generate_series(1, 2) t`
    yield* sql`
INSERT INTO gazette_post_targets (post_id, community_id)
SELECT p.id, q.id FROM gazette_posts p
JOIN LATERAL (SELECT id FROM bench_quartiers q WHERE q.insee = p.insee ORDER BY k LIMIT 2) q ON true
WHERE p.kind = 'communication' AND p.title LIKE '%-2'`
    // Choices of 30 % of the members: the digest for everything, nothing at all, or a few topics.
    yield* sql`
INSERT INTO gazette_preferences (account_id, communication, perdu_trouve, entraide, annonce, covoiturage, evenement,
  vie_du_quartier, compte_rendu, mairie_sms)
SELECT account_id,
  CASE WHEN n % 10 IN (0, 3) THEN 'weekly' WHEN n % 10 = 6 THEN 'none' ELSE 'immediate' END,
  CASE WHEN n % 10 = 0 THEN 'weekly' WHEN n % 10 = 6 THEN 'none' ELSE 'immediate' END,
  CASE WHEN n % 10 = 6 THEN 'none' ELSE 'weekly' END,
  CASE WHEN n % 10 IN (0, 3) THEN 'weekly' WHEN n % 10 = 6 THEN 'none' ELSE 'immediate' END,
  CASE WHEN n % 10 = 0 THEN 'weekly' ELSE 'none' END,
  CASE WHEN n % 10 = 6 THEN 'none' ELSE 'weekly' END,
  CASE WHEN n % 10 IN (0, 3) THEN 'weekly' ELSE 'none' END,
  CASE WHEN n % 10 = 0 THEN 'weekly' ELSE 'none' END,
  n % 10 = 3
FROM bench_members WHERE n % 10 IN (0, 3, 6)`
    yield* sql`VACUUM (ANALYZE) gazette_posts, gazette_post_targets, gazette_preferences`
    const [counts] = yield* sql<{ posts: number; choices: number }>`
      SELECT (SELECT count(*)::int FROM gazette_posts) AS posts, (SELECT count(*)::int FROM gazette_preferences) AS choices`
    console.log(
      `  seed gazette: ${counts!.posts.toLocaleString("en-US")} posts and events, ` +
        `${counts!.choices.toLocaleString("en-US")} members' choices, ${seconds(performance.now() - started)}`
    )
    yield* sql`CREATE TABLE bench_digest_seed (run_at timestamptz NOT NULL)`
    yield* sql`INSERT INTO bench_digest_seed VALUES (${runAt})`
  })

/** Deletes what a planning wrote, so that the next one plans the same week again. */
const forget = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM deliveries WHERE gazette_digest_id IS NOT NULL`
  yield* sql`DELETE FROM messages WHERE kind = 'gazette_digest'`
  yield* sql`DELETE FROM gazette_digests`
  yield* sql`DELETE FROM gazette_digest_runs`
  yield* sql`VACUUM (ANALYZE) deliveries, messages, gazette_digests`
})

/** Runs `self`, sampling this process's RSS every 20 ms: its time and the peak seen. */
const measured = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    let peak = process.memoryUsage.rss()
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
    const started = performance.now()
    const result = yield* Effect.ensuring(self, Effect.sync(() => clearInterval(timer)))
    const ms = performance.now() - started
    peak = Math.max(peak, process.memoryUsage.rss())
    return { result, ms, peak }
  })

const measure = (runAt: DateTime.Utc) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const digests = yield* GazetteDigests.GazetteDigests
    const rssBefore = process.memoryUsage.rss()
    const runs: Array<{ ms: number; peak: number; deliveries: number; messages: number; groups: number }> = []
    for (let i = 0; i < 2; i++) {
      yield* forget
      const { ms, peak, result } = yield* measured(digests.plan(runAt))
      const report = Option.getOrThrow(result)
      runs.push({ ms, peak, ...report })
      console.log(
        `  planning ${i + 1}: ${seconds(ms)}, ${report.groups.toLocaleString("en-US")} groups, ` +
          `${report.messages.toLocaleString("en-US")} messages, ${
            report.deliveries.toLocaleString("en-US")
          } deliveries, ` +
          `peak RSS ${mib(peak)}`
      )
    }
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b))
    // Baseline: the same number of rows written by one bare INSERT … SELECT into a copy of deliveries.
    yield* sql`DROP TABLE IF EXISTS bench_deliveries_copy`
    yield* sql`CREATE TABLE bench_deliveries_copy (LIKE deliveries INCLUDING ALL)`
    const baseline = yield* measured(sql`
INSERT INTO bench_deliveries_copy (message_id, gazette_digest_id, account_id, channel, destination, next_attempt_at,
  created_at, updated_at)
SELECT message_id, gazette_digest_id, account_id, channel, destination, next_attempt_at, created_at, updated_at
FROM deliveries WHERE gazette_digest_id IS NOT NULL`)
    yield* sql`DROP TABLE bench_deliveries_copy`
    const maxRss = process.resourceUsage().maxRSS * 1024
    console.log([
      "",
      `digest planning (best of 2): ${seconds(best.ms)} for ${best.deliveries.toLocaleString("en-US")} deliveries ` +
      `in ${best.messages.toLocaleString("en-US")} messages (${best.groups.toLocaleString("en-US")} groups)`,
      `baseline, bare INSERT … SELECT of as many rows: ${seconds(baseline.ms)}; ratio ${
        (best.ms / Math.max(1, baseline.ms)).toFixed(1)
      }×`,
      `peak RSS during planning: ${mib(best.peak)} (before: ${mib(rssBefore)}; process maxRSS ${mib(maxRss)}); ` +
      `ratio to the RSS before ${(best.peak / rssBefore).toFixed(2)}×`,
      `goal at scale 1: under 60 s (${best.ms < 60_000 ? "met" : "missed"}) and a peak RSS under 512 MiB (${
        Math.max(best.peak, maxRss) < 512 * 1024 * 1024 ? "met" : "missed"
      })${scale === 1 ? "" : ` — this run is at scale ${scale}`}`
    ].join("\n"))
  })

const run = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [seeded] = yield* sql<{ run_at: Date }>`
SELECT run_at FROM bench_digest_seed WHERE to_regclass('bench_digest_seed') IS NOT NULL`.pipe(
    Effect.catchAll(() => Effect.succeed([]))
  )
  if (seeded !== undefined) {
    console.log(`database ${databaseName} reused`)
    return yield* measure(DateTime.unsafeFromDate(seeded.run_at))
  }
  const shape: SeedShape = { ...shapeOf(scale, 1), alerts: 1_000 }
  console.log(`database ${databaseName}: seeding ${JSON.stringify(shape)}, ${posts} posts, ${events} events`)
  yield* seed(shape)
  yield* gazetteSeed(shape)
  return yield* measure(RUN_AT)
})

const services = GazetteDigests.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(
    PgGazetteDigestRepo.layer,
    SqlTransactor.layer,
    PubSubDeliveryWakeup.layer,
    PublicUrl.layer("https://vigie.example.fr")
  ))
)

const bench = (url: string) =>
  Effect.gen(function*() {
    // Only this bench's own database, by its fixed name.
    const database = yield* serverDatabase(url, { name: databaseName, reuse, maxConnections: pool })
    yield* Migrations.migrate.pipe(Effect.provide(database))
    yield* run.pipe(Effect.provide(services.pipe(Layer.provideMerge(database))))
  })

const url = process.env["DATABASE_URL"]
if (url === undefined || url === "") {
  console.error(
    "bench:digest needs a real PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).\n" +
      `It creates its own database (${databaseName}) there.`
  )
  process.exit(2)
}
Effect.runPromise(bench(url)).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
