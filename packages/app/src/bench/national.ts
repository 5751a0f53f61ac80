/**
 * National-scale benchmark on a real PostgreSQL server (issue 18, item 5).
 *
 *   DATABASE_URL=postgres://… npm run bench:national                 seed (long) and measure
 *   DATABASE_URL=postgres://… npm run bench:national -- --reuse      keep the seeded database of an earlier run
 *   DATABASE_URL=postgres://… npm run bench:national -- --scale 0.01 a quick run (its own database)
 *   options: --explain (EXPLAIN (ANALYZE, BUFFERS) of the feed and the statistics), --requests 5000,
 *            --concurrency 32, --pool 10, --posts 200, --delivery-days 90, --skip-town (no 300,000 town alert),
 *            --retention (a month of deliveries aged out: UPDATE, DELETE, batched DELETE, and dropping a
 *            monthly partition of a partitioned copy; several minutes), --only a,b,c,d,e (some of them),
 *            --database vigie_… (another database than the default name below; dropped and recreated too
 *            unless --reuse), --feed-parts (each statement of a feed request alone, and the feed statement
 *            without decoding its rows: where a request's time and this process's CPU go)
 *
 * The database is `vigie_national` (`vigie_national_<scale>` below scale 1), created by this bench and
 * dropped and recreated by a run without --reuse; the real migrations (Migrations.migrate) make its
 * schema the production one, and run on a reused database too, so a new index is measured on the
 * next --reuse run. The seed (NationalSeed.ts) is set-based and prints each step's time.
 *
 * Measured through the use cases the RPC handlers call (Alerts.feed, Alerts.post, TownAlerts.preview
 * and confirm, CommuneStatistics.get, ModerationQueue.queue), over the production repositories and
 * the same pool, without the HTTP and RPC layers: each request also loads its account by id, as
 * the session look-up of a real request does. The baseline beside each figure is `SELECT 1` through
 * the same pool at the same concurrency (the cost of a round trip, the floor of any request); for
 * the town alert, the floor is a server-side `INSERT … SELECT` of the same rows into a copy of the
 * deliveries table (`LIKE deliveries INCLUDING ALL`: same indexes), as bench:fanout measures it.
 */
import { SqlClient } from "@effect/sql"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { CommuneStatisticsService } from "@vigie/domain/mairie/CommuneStatistics"
import { TownAlerts } from "@vigie/domain/mairie/TownAlerts"
import { ModerationQueue } from "@vigie/domain/moderation/ModerationQueue"
import { Effect, Layer, Option, Redacted } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Platform from "../Platform.js"
import * as MairieHandlers from "../rpc/MairieHandlers.js"
import { argument } from "./BenchArguments.js"
import {
  actorOf,
  capturing,
  capturingWith,
  explainStatement,
  selectOne,
  type Statement,
  statementsSent
} from "./BenchStatements.js"
import { serverDatabase } from "./BenchDatabase.js"
import * as BenchPlatform from "./BenchPlatform.js"
import { line as printLine, load, ratio as printRatio, type Run } from "./BenchLoad.js"
import { seed, type SeedShape, shapeOf } from "./NationalSeed.js"

const flag = (name: string) => process.argv.includes(`--${name}`)
const scaleArgument = (): number => {
  const index = process.argv.indexOf("--scale")
  if (index < 0) return 1
  const value = Number(process.argv[index + 1])
  if (!(value > 0 && value <= 1)) throw new Error("--scale needs a number in (0, 1]")
  return value
}

const scale = scaleArgument()
const reuse = flag("reuse")
const explain = flag("explain")
const skipTown = flag("skip-town")
const retention = flag("retention")
const feedParts = flag("feed-parts")
/** `--only a,d`: the measurements to run (a feed, b posting, c town alert, d statistics, e moderation queue). */
const only = (() => {
  const index = process.argv.indexOf("--only")
  return index < 0 ? undefined : new Set((process.argv[index + 1] ?? "").split(","))
})()
const runs = (section: string) => only === undefined || only.has(section)
const requests = argument("requests", 5_000)
const concurrency = argument("concurrency", 32)
const pool = argument("pool", 10)
const posts = argument("posts", 200)
const deliveryDays = argument("delivery-days", 90)
/** `--database NAME`: another database than the scale's default, e.g. for a profile beside a helper's run. */
const databaseName = (() => {
  const index = process.argv.indexOf("--database")
  if (index < 0) return scale === 1 ? "vigie_national" : `vigie_national_${String(scale).replace(".", "_")}`
  const name = process.argv[index + 1] ?? ""
  if (!/^vigie_[a-z0-9_]+$/.test(name)) throw new Error("--database needs a name vigie_… (lower case, digits, _)")
  return name
})()

const line = (name: string, run: Run) => printLine(name, run, { width: 52, p95: false })

const ratio = (name: string, run: Run, baseline: Run) =>
  printRatio(name, run, baseline, `, CPU per call ${(run.cpuMs / baseline.cpuMs).toFixed(1)}× the baseline's`)

const measure = (shape: SeedShape) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const alerts = yield* Alerts
    const towns = yield* TownAlerts
    const statistics = yield* CommuneStatisticsService
    const moderation = yield* ModerationQueue
    const [sizes] = yield* sql<{ alerts: string; deliveries: string; memberships: string }>`
SELECT pg_size_pretty(pg_total_relation_size('alerts')) AS alerts,
  pg_size_pretty(pg_total_relation_size('deliveries')) AS deliveries,
  pg_size_pretty(pg_total_relation_size('memberships')) AS memberships`
    const [counts] = yield* sql<{ alerts: number; deliveries: number }>`
SELECT (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM deliveries)::int AS deliveries`
    console.log(
      `\ndatabase: ${counts!.alerts.toLocaleString("en-US")} alerts (${sizes!.alerts} with indexes), ` +
        `${counts!.deliveries.toLocaleString("en-US")} deliveries (${sizes!.deliveries}), memberships ${
          sizes!.memberships
        }; pool ${pool} connections`
    )

    const statsRuns = 30
    const oneBaseline = yield* load(statsRuns, 1, () => selectOne)
    if (runs("a")) {
      // a) Feeds: random members (verified or not), the first page as the web app asks it (20).
      const sample = yield* sql<{ account_id: AccountId }>`
  SELECT m.account_id FROM bench_members m JOIN accounts a ON a.id = m.account_id AND a.status = 'active'
  WHERE m.n IN (SELECT 1 + (random() * ${shape.members - 1})::int FROM generate_series(1, 2000))`
      console.log(
        `\na) feed reads (ListAlerts → Alerts.feed, page of 20, account loaded per request), ${requests} requests, ${concurrency} in flight`
      )
      const baseline = yield* load(requests, concurrency, () => selectOne)
      line("baseline: SELECT 1, same pool, same concurrency", baseline)
      const feedPage = (i: number) =>
        Effect.flatMap(actorOf(sample[i % sample.length]!.account_id), (actor) =>
          alerts.feed(actor, { before: Option.none(), beforeId: Option.none(), limit: 20 }))
      // Warm-up: the first requests load the plans and the pages a long-running server has in memory.
      yield* load(Math.min(500, requests), concurrency, feedPage)
      const sentBefore = statementsSent()
      const feed = yield* load(requests, concurrency, feedPage)
      line("feed, first page", feed)
      console.log(
        `  ${
          ((statementsSent() - sentBefore) / requests).toFixed(1)
        } statements per request (the account's load included)`
      )
      ratio("feed / SELECT 1", feed, baseline)
      if (feedParts) {
        // Where a feed request's time goes: each of its statements alone, through the same pool at the
        // same concurrency, and the feed statement without the decoding of its rows.
        const memberships = yield* MembershipRepo
        const repo = yield* AlertRepo
        const actors = yield* Effect.forEach(sample.slice(0, 200), (m) =>
          actorOf(m.account_id))
        const readers = yield* Effect.forEach(actors, (actor) =>
          Effect.map(memberships.listByAccount(actor.account.id), (mine) => {
            const verified = mine.filter((m) =>
              m.status === "verified"
            ).map((m) => m.communityId)
            return {
              accountId: actor.account.id,
              moderator: false,
              verifiedCommunities: verified,
              staffCommunes: [],
              communityIds: verified
            }
          }))
        const page = { before: Option.none(), limit: 21 }
        const raw = (yield* capturing(repo.feed(readers[0]!, page))).find((s) =>
          s.text.includes("ORDER BY")
        )!
        console.log("  the parts of a feed request, each alone:")
        line(
          "account by id (the session's load)",
          yield* load(requests, concurrency, (i) => actorOf(sample[i % sample.length]!.account_id))
        )
        line(
          "memberships of the account",
          yield* load(requests, concurrency, (i) => memberships.listByAccount(actors[i % actors.length]!.account.id))
        )
        line(
          "AlertRepo.feed (rows decoded)",
          yield* load(requests, concurrency, (i) => repo.feed(readers[i % readers.length]!, page))
        )
        line(
          "the feed statement, rows not decoded",
          yield* load(requests, concurrency, () => sql.unsafe(raw.text, raw.values as Array<unknown>))
        )
      }
      const sequential = yield* load(Math.min(500, requests), 1, feedPage)
      line("feed, first page, one at a time", sequential)
      // The next page of the member with the most verified memberships in the largest commune.
      if (explain) {
        const [big] = yield* sql<{ account_id: AccountId }>`SELECT account_id FROM bench_members WHERE n = 2`
        const actor = yield* actorOf(big!.account_id)
        const isFeed = (s: Statement) => s.text.includes("ORDER BY a.created_at DESC, a.id DESC")
        const bigFeed = yield* capturing(
          alerts.feed(actor, { before: Option.none(), beforeId: Option.none(), limit: 20 })
        )
        yield* explainStatement("feed, first page, a member of the largest commune", bigFeed.find(isFeed))
        const [small] = yield* sql<
          { account_id: AccountId }
        >`SELECT account_id FROM bench_members WHERE n = ${shape.members - 1}`
        const smallActor = yield* actorOf(small!.account_id)
        const smallFeed = yield* capturing(
          alerts.feed(smallActor, { before: Option.none(), beforeId: Option.none(), limit: 20 })
        )
        yield* explainStatement("feed, first page, a member of a small commune", smallFeed.find(isFeed))
      }
    }

    if (runs("d")) {
      // d) Statistics of the largest commune, as its mairie agent opens the dashboard.
      const [bigCommune] = yield* sql<{ insee: InseeCode; name: string; agent_id: AccountId; members: number }>`
  SELECT c.insee, c.name, c.agent_id,
    (SELECT count(*) FROM memberships m JOIN communities q ON q.id = m.community_id WHERE q.insee = c.insee AND m.status = 'verified')::int AS members
  FROM bench_communes c WHERE c.k = 0`
      const agent = yield* actorOf(bigCommune!.agent_id)
      console.log(
        `\nd) mairie statistics (CommuneStatistics.get) of ${bigCommune!.name} (${bigCommune!.insee}), ${
          bigCommune!.members.toLocaleString("en-US")
        } verified members, ${statsRuns} runs one at a time`
      )
      line("baseline: SELECT 1, one at a time", oneBaseline)
      yield* statistics.get(agent, bigCommune!.insee)
      const stats = yield* load(statsRuns, 1, () => statistics.get(agent, bigCommune!.insee))
      line("statistics", stats)
      ratio("statistics / SELECT 1", stats, oneBaseline)
      if (explain) {
        // The snapshot's three statements run concurrently; each is replayed alone.
        const statements = yield* capturing(statistics.get(agent, bigCommune!.insee))
        // Only the snapshot's own statements (the platform's background fibers send theirs meanwhile).
        const own = statements.filter((s) => s.text.includes("interval '30 days'"))
        for (const [i, s] of own.entries()) {
          yield* explainStatement(`statistics statement ${i + 1} of ${own.length}`, s)
        }
      }
    }

    if (runs("e")) {
      // e) The moderators' queue, first page and counts.
      const [moderatorRow] = yield* sql<
        { account_id: AccountId }
      >`SELECT account_id FROM staff_roles WHERE role = 'moderator' LIMIT 1`
      const moderator = yield* actorOf(moderatorRow!.account_id)
      console.log(`\ne) moderation queue (ModerationQueue.queue, first page of 50), ${statsRuns} runs one at a time`)
      const queue = yield* load(statsRuns, 1, () =>
        moderation.queue(moderator, { kind: Option.none(), offset: Option.none(), limit: 50 }))
      line("moderation queue", queue)
      line("baseline: SELECT 1, one at a time", oneBaseline)
      ratio("queue / SELECT 1", queue, oneBaseline)
    }

    if (runs("b")) {
      // b) Posting: distinct members (the rate rule counts per author) post to their home quartier.
      const authors = yield* sql<{ account_id: AccountId; community_id: CommunityId }>`
  SELECT m.account_id, q.id AS community_id FROM bench_members m JOIN bench_quartiers q ON q.k = m.k
  JOIN memberships mb ON mb.account_id = m.account_id AND mb.community_id = q.id AND mb.status = 'verified'
  JOIN accounts a ON a.id = m.account_id AND a.status = 'active'
  ORDER BY random() LIMIT ${posts * 2}`
      console.log(
        `\nb) posting an alert (Alerts.post: rate rule, trust policy, insert, fan-out, commit), ${posts} posts`
      )
      yield* sql`CREATE TABLE IF NOT EXISTS bench_commits (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL DEFAULT now())`
      const commitBaseline = yield* load(posts, 1, () =>
        sql.withTransaction(sql`INSERT INTO bench_commits DEFAULT VALUES`))
      line("baseline: one-row INSERT and COMMIT, one at a time", commitBaseline)
      let heldOrPublished = { published: 0, held: 0 }
      const postOne = (i: number) =>
        Effect.gen(function*() {
          const author = authors[i]!
          const actor = yield* actorOf(author.account_id)
          const alert = yield* alerts.post(actor, {
            scope: { _tag: "Community", communityId: author.community_id },
            category: "suspicious_vehicle",
            urgency: i % 3 === 0 ? "urgent" : "info",
            text: `Banc d'essai national ${crypto.randomUUID()}`,
            place: Option.none(),
            sharedWithAuthorities: false
          })
          if (alert.status === "published") {
            heldOrPublished = { ...heldOrPublished, published: heldOrPublished.published + 1 }
          } else heldOrPublished = { ...heldOrPublished, held: heldOrPublished.held + 1 }
        })
      const posted = yield* load(posts, 1, postOne)
      line("post, one at a time", posted)
      ratio("post / INSERT+COMMIT", posted, commitBaseline)
      const postedConcurrently = yield* load(posts, 8, (i) =>
        postOne(posts + i))
      line("post, 8 at a time", postedConcurrently)
      console.log(
        `  (${heldOrPublished.published} published and fanned out, ${heldOrPublished.held} held by the trust policy)`
      )
    }

    // c) A town alert to every member: all 300,000 join a quartier of the second commune for it.
    if (!skipTown && runs("c")) {
      yield* townAlert(shape, towns)
    }
    if (retention) {
      yield* retentionChoices
    }
  })

/**
 * Ageing out the oldest month of seeded deliveries, four ways, each on the same rows and rolled back
 * (then VACUUM) so that a --reuse run finds the same table: the anonymising UPDATE in one statement
 * (retention before it went by batches of 5,000, see PgRetention), one DELETE, DELETEs of 10,000
 * rows at a time (each its own transaction in production; here their sum), and, on a copy of the
 * table partitioned by month, DETACH PARTITION then DROP TABLE of that month.
 */
const retentionChoices = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [window] = yield* sql<{ from_month: Date; to_month: Date; rows: number; total: number }>`
SELECT date_trunc('month', min(created_at)) AS from_month,
  date_trunc('month', min(created_at)) + interval '1 month' AS to_month,
  count(*) FILTER (WHERE created_at < date_trunc('month', (SELECT min(created_at) FROM deliveries)) + interval '1 month')::int AS rows,
  count(*)::int AS total
FROM deliveries`
  const { from_month: from, rows, to_month: to, total } = window!
  console.log(
    `\nretention: the deliveries of ${from.toISOString().slice(0, 7)}: ${rows.toLocaleString("en-US")} rows of ${
      total.toLocaleString("en-US")
    }`
  )
  const rolledBack = <A, E, R>(self: Effect.Effect<A, E, R>) =>
    sql.withTransaction(Effect.zipRight(self, Effect.fail("rollback" as const))).pipe(
      Effect.catchIf((e): e is "rollback" => e === "rollback", () => Effect.void)
    )
  const time = <A, E, R>(label: string, self: Effect.Effect<A, E, R>) =>
    Effect.gen(function*() {
      const started = performance.now()
      yield* self
      const seconds = (performance.now() - started) / 1000
      console.log(`  ${label.padEnd(60)} ${seconds.toFixed(2).padStart(7)} s`)
      return seconds
    })
  yield* time(
    "anonymising UPDATE, one statement (retention before batches)",
    rolledBack(sql`
UPDATE deliveries SET destination = '', last_error = NULL
WHERE created_at < ${to} AND destination <> ''
  AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')`)
  )
  yield* sql`VACUUM deliveries`
  const deleted = yield* time("DELETE, one statement", rolledBack(sql`DELETE FROM deliveries WHERE created_at < ${to}`))
  yield* sql`VACUUM deliveries`
  const batched = yield* time(
    "DELETE by 10,000 rows (sum of the batches)",
    rolledBack(Effect.gen(function*() {
      for (;;) {
        const done = yield* sql`
DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE created_at < ${to} LIMIT 10000) RETURNING 1 AS one`
        if (done.length < 10_000) break
      }
    }))
  )
  yield* sql`VACUUM deliveries`
  yield* sql`DROP TABLE IF EXISTS bench_deliveries_by_month`
  yield* sql`
CREATE TABLE bench_deliveries_by_month (LIKE deliveries INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
PARTITION BY RANGE (created_at)`
  const [months] = yield* sql<{ first: Date; last: Date }>`
SELECT date_trunc('month', min(created_at)) AS first, date_trunc('month', max(created_at)) AS last FROM deliveries`
  const monthAfter = (m: Date) => new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1))
  const partition = (m: Date) => `bench_deliveries_${m.toISOString().slice(0, 7).replace("-", "_")}`
  for (let m = new Date(months!.first); m <= months!.last; m = monthAfter(m)) {
    yield* sql.unsafe(
      `CREATE TABLE ${partition(m)} PARTITION OF bench_deliveries_by_month
       FOR VALUES FROM ('${m.toISOString()}') TO ('${monthAfter(m).toISOString()}')`
    )
  }
  yield* sql`ALTER TABLE bench_deliveries_by_month ADD PRIMARY KEY (id, created_at)`
  yield* sql`CREATE UNIQUE INDEX ON bench_deliveries_by_month (message_id, account_id, channel, created_at)`
  yield* sql`CREATE INDEX ON bench_deliveries_by_month (account_id)`
  yield* sql`CREATE INDEX ON bench_deliveries_by_month (next_attempt_at) WHERE status IN ('pending', 'sending')`
  yield* time(
    "(copying the table into monthly partitions, not retention)",
    sql`INSERT INTO bench_deliveries_by_month SELECT * FROM deliveries`
  )
  const dropped = yield* time(
    "partitioned by month: DETACH PARTITION + DROP TABLE",
    rolledBack(Effect.gen(function*() {
      yield* sql.unsafe(`ALTER TABLE bench_deliveries_by_month DETACH PARTITION ${partition(from)}`)
      yield* sql.unsafe(`DROP TABLE ${partition(from)}`)
    }))
  )
  yield* sql`DROP TABLE bench_deliveries_by_month`
  console.log(
    `  → one DELETE / partition drop: ${(deleted / dropped).toFixed(0)}×; batched DELETE / partition drop: ${
      (batched / dropped).toFixed(0)
    }×`
  )
})

/**
 * A town alert to `members` recipients, through TownAlerts.preview then confirm (timed to its
 * commit). For the measurement every seeded member is given a (non-home) verified membership in a
 * quartier of the second commune, with their real contact details and preferences; after it, the alert,
 * its deliveries and those memberships are removed, so that a --reuse run starts from the same data.
 */
const townAlert = (shape: SeedShape, towns: TownAlerts["Type"]) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [commune] = yield* sql<{ insee: InseeCode; name: string; agent_id: AccountId }>`
SELECT insee, name, agent_id FROM bench_communes WHERE k = 1`
    yield* cleanTown(commune!.insee)
    yield* sql`
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city, verified_at)
SELECT m.account_id, q.id, 'resident', 'verified', false, 'Banc d''essai', '75001', 'Ville', now()
FROM bench_members m
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r, count(*) OVER () AS n FROM communities WHERE insee = ${
      commune!.insee
    }) q ON q.r = m.n % q.n
ON CONFLICT (account_id, community_id) DO NOTHING`
    // Vacuumed too, as old memberships are: the fan-out reads them from the index alone.
    yield* sql`VACUUM (ANALYZE) memberships`
    yield* sql`
INSERT INTO commune_budgets (insee, monthly_sms_segments) VALUES (${commune!.insee}, 100000000)
ON CONFLICT (insee) DO UPDATE SET monthly_sms_segments = 100000000`
    const agent = yield* actorOf(commune!.agent_id)
    const previewStarted = performance.now()
    const preview = yield* towns.preview(agent, {
      insee: commune!.insee,
      communityIds: Option.none(),
      category: "water_or_power_cut",
      urgency: "urgent",
      text: "Coupure d'eau générale ce matin de 8 h à 12 h.",
      place: Option.none()
    })
    const previewMs = performance.now() - previewStarted
    console.log(
      `\nc) town alert of ${commune!.name} to ${shape.members.toLocaleString("en-US")} members (TownAlerts.confirm): ` +
        `${(preview.sms + preview.email).toLocaleString("en-US")} rows planned (${
          preview.sms.toLocaleString("en-US")
        } SMS, ${preview.email.toLocaleString("en-US")} e-mail)`
    )
    console.log(
      `  preview (the fan-out's audience, counted, without writing): ${(previewMs / 1000).toFixed(2)} s`
    )
    const started = performance.now()
    let fanOutStatement: Statement | undefined
    const sent = yield* towns.confirm(agent, preview.previewToken, false).pipe(
      capturingWith,
      Effect.map(([result, sentStatements]) => {
        fanOutStatement = sentStatements.find((st) => st.text.includes("INSERT INTO deliveries"))
        return result
      })
    )
    const confirmMs = performance.now() - started
    const rows = sent.sms + sent.email
    const columns = "alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at"
    // Floor 1, as bench:fanout: into an empty copy of the table (same indexes, but small ones).
    yield* sql`DROP TABLE IF EXISTS deliveries_baseline`
    yield* sql`CREATE TABLE deliveries_baseline (LIKE deliveries INCLUDING ALL)`
    const emptyStarted = performance.now()
    yield* sql.unsafe(
      `INSERT INTO deliveries_baseline (message_id, ${columns}) SELECT message_id, ${columns} FROM deliveries WHERE alert_id = $1`,
      [sent.alert.id]
    )
    const emptyMs = performance.now() - emptyStarted
    yield* sql`DROP TABLE deliveries_baseline`
    // Floor 2: the same rows into the deliveries table itself (its indexes hold millions of rows),
    // under a second message of the alert, rolled back.
    let fullMs = 0
    yield* sql.withTransaction(Effect.gen(function*() {
      const [message] = yield* sql<{ id: string }>`
INSERT INTO messages (alert_id, kind, created_at) VALUES (${sent.alert.id}, 'followup', now()) RETURNING id`
      const fullStarted = performance.now()
      yield* sql.unsafe(
        `INSERT INTO deliveries (message_id, ${columns}) SELECT $2::uuid, ${columns} FROM deliveries WHERE alert_id = $1`,
        [sent.alert.id, message!.id]
      )
      fullMs = performance.now() - fullStarted
      return yield* Effect.fail("rollback" as const)
    })).pipe(Effect.catchIf((e): e is "rollback" => e === "rollback", () => Effect.void))
    if (explain && fanOutStatement !== undefined) {
      const statement = fanOutStatement
      // The fan-out statement again under a closing message of the alert ($8), its plan with the times.
      yield* sql.withTransaction(Effect.gen(function*() {
        const [message] = yield* sql<{ id: string }>`
INSERT INTO messages (alert_id, kind, created_at) VALUES (${sent.alert.id}, 'closing', now()) RETURNING id`
        const values = [...statement.values]
        values[7] = message!.id
        const plan = yield* sql.unsafe<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
          values as Array<unknown>
        )
        console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): the town alert's fan-out, rolled back\n${
          plan.map((r) => r["QUERY PLAN"]).join("\n")
        }\n`)
        return yield* Effect.fail("rollback" as const)
      })).pipe(Effect.catchIf((e): e is "rollback" =>
        e === "rollback", () => Effect.void))
    }
    console.log(
      `  confirm to commit: ${(confirmMs / 1000).toFixed(2)} s for ${rows.toLocaleString("en-US")} rows ` +
        `(${Math.round(rows / (confirmMs / 1000)).toLocaleString("en-US")} rows/s)`
    )
    console.log(
      `  floor 1, server-side INSERT … SELECT of the same rows into an empty copy (same indexes): ${
        (emptyMs / 1000).toFixed(2)
      } s`
    )
    console.log(
      `  floor 2, the same INSERT … SELECT into the deliveries table itself (rolled back): ${
        (fullMs / 1000).toFixed(2)
      } s`
    )
    console.log(
      `  → town alert / floor 1: ${(confirmMs / emptyMs).toFixed(2)}×; town alert / floor 2: ${
        (confirmMs / fullMs).toFixed(2)
      }×`
    )
    yield* cleanTown(commune!.insee)
  })

/** Removes what the town alert measurement added (its alerts, deliveries and the extra memberships). */
const cleanTown = (insee: InseeCode) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
WITH gone AS (SELECT alert_id FROM town_alerts WHERE insee = ${insee})
DELETE FROM deliveries WHERE alert_id IN (SELECT alert_id FROM gone)`
    yield* sql`DELETE FROM town_alerts WHERE insee = ${insee}`
    yield* sql`DELETE FROM town_alert_previews WHERE insee = ${insee}`
    yield* sql`DELETE FROM messages WHERE alert_id IN (SELECT id FROM alerts WHERE insee = ${insee} AND origin = 'mairie'
      AND text = 'Coupure d''eau générale ce matin de 8 h à 12 h.')`
    yield* sql`DELETE FROM alerts WHERE insee = ${insee} AND origin = 'mairie' AND text = 'Coupure d''eau générale ce matin de 8 h à 12 h.'`
    yield* sql`DELETE FROM memberships WHERE address_line1 = 'Banc d''essai'`
    // What autovacuum would do after such a delete, so that the next run's plans see the same tables.
    yield* sql`VACUUM (ANALYZE) memberships, deliveries, messages, alerts`
  })

const bench = (url: string) =>
  Effect.gen(function*() {
    // Only this bench's own database, by its fixed name.
    const database = yield* serverDatabase(url, { name: databaseName, reuse, maxConnections: pool })
    // Migrated before the platform starts (its receipt sweeper reads a table of the migrations).
    yield* Migrations.migrate.pipe(Effect.provide(database))
    yield* run.pipe(Effect.provide(platform.pipe(Layer.provideMerge(database))))
  })

const run = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [seeded] = yield* sql<{ shape: SeedShape; seconds: number }>`
SELECT shape, seconds FROM bench_national_seed WHERE to_regclass('bench_national_seed') IS NOT NULL`.pipe(
    Effect.catchAll(() => Effect.succeed([]))
  )
  let shape: SeedShape
  if (seeded !== undefined) {
    shape = seeded.shape
    console.log(
      `database ${databaseName} reused: seeded earlier in ${seeded.seconds.toFixed(0)} s (${JSON.stringify(shape)})`
    )
  } else {
    shape = shapeOf(scale, deliveryDays)
    console.log(`database ${databaseName}: seeding ${JSON.stringify(shape)}`)
    const seconds = yield* seed(shape)
    console.log(`seeded in ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min)`)
  }
  yield* measure(shape)
})

const platform = Layer.unwrapEffect(Effect.sync(() => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-bench-national-"))
  const ports = BenchPlatform.ports({
    directory: dir,
    secrets: NodeSecrets.layerWith(Redacted.make(crypto.getRandomValues(new Uint8Array(32)))),
    publicUrl: new URL("https://vigie.example.fr")
  })
  return MairieHandlers.services.pipe(Layer.provideMerge(Platform.useCases), Layer.provideMerge(ports))
}))

const url = process.env["DATABASE_URL"]
if (url === undefined || url === "") {
  console.error(
    "bench:national needs a real PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).\n" +
      `It creates its own database (${databaseName}) there; the embedded PGlite is not meant for this scale.`
  )
  process.exit(2)
}
Effect.runPromise(bench(url)).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
