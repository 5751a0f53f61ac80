/**
 * The veille's morning peak (issue 17, item 7): N check-ins due at the same 10:00 (Paris), claimed by
 * several workers at once under their lease, each asked exactly once, then handed to the SMS provider
 * at its configured pace by the delivery workers.
 *
 *   DATABASE_URL=postgres://… npm run bench:veille                 100,000 check-ins, 4 workers
 *   npm run bench:veille                                           the same on embedded PGlite
 *   VEILLE_BENCH_COUNT=200 npm run bench:veille                    a quick run
 *   options: --workers 4 --batch 500 (the VeilleWorker's) --rate 50 (SMS/s, the provider's pace)
 *            --seconds 8 (pacing sample)
 *
 * Measured: the time for `--workers` concurrent Veilles.runDue loops (the VeilleWorker's cycle: one
 * transaction per batch, messages, deliveries, events, states and next occurrences written
 * set-based) to queue every check-in, the check-ins per second; beside it, in the same run, the
 * baseline: one bare INSERT … SELECT of as many rows into a copy of the deliveries table, and the
 * ratio. Checked: every check-in asked once (one message, one SMS delivery and one AskPerson event
 * per veille, none twice, none left), each veille's next check-in scheduled once. Then the delivery
 * workers, paced at `--rate` SMS/s, run for `--seconds` (or until drained): the pace observed at the
 * fake provider, the time the whole peak takes at that pace, and the share of it our queueing took.
 */
import { SqlClient } from "@effect/sql"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as PgVeilleRepo from "@vigie/adapters/sql/PgVeilleRepo"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import { EmailSender } from "@vigie/domain/channels/EmailSender"
import { SmsSender } from "@vigie/domain/channels/SmsSender"
import { nextOccurrence } from "@vigie/domain/checkin/VeilleSchedule"
import * as Veilles from "@vigie/domain/checkin/Veilles"
import { Clock, Duration, Effect, Fiber, Layer } from "effect"
import * as DeliveryWorker from "../workers/DeliveryWorker.js"
import type { DeliveryWorkerConfig } from "../workers/DeliveryWorker.js"
import { plainRenderer } from "../workers/PlainTexts.js"
import * as VeilleWorker from "../workers/VeilleWorker.js"
import { voiceUnplugged } from "../Platform.js"
import { argument } from "./BenchArguments.js"
import { embeddedDatabase, freshServerDatabase } from "./BenchDatabase.js"

const count = Number(process.env["VEILLE_BENCH_COUNT"] ?? argument("count", 100_000))
const workers = argument("workers", 4)
const batch = argument("batch", VeilleWorker.VEILLE_BATCH)
const rate = argument("rate", 50)
const sampleSeconds = argument("seconds", 8)
const fmt = (n: number) => n.toLocaleString("en-US")

/** 10:00 in Paris, tomorrow or later: when every seeded check-in is due. */
const TEN = nextOccurrence({ days: [1, 2, 3, 4, 5, 6, 7], time: { hour: 10, minute: 0 } }, Date.now())!

const base = Clock.make()
const clockAt = (ms: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => ms,
  currentTimeMillis: Effect.succeed(ms),
  unsafeCurrentTimeNanos: () => BigInt(ms) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(ms) * 1_000_000n),
  sleep: base.sleep
})

/** N people in quartiers of 100, each with a daily 10:00 veille by SMS and its check-in due at TEN. */
const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const started = performance.now()
  const ten = new Date(TEN)
  const quartiers = Math.max(1, Math.ceil(count / 100))
  yield* sql`CREATE TEMP TABLE bench_quartiers AS
    SELECT k, gen_random_uuid() AS id FROM generate_series(1, ${quartiers}::int) k`
  yield* sql`INSERT INTO communities (id, insee, name, perimeter)
    SELECT id, '33080', 'Quartier ' || k, '{"type":"Polygon","coordinates":[]}'::jsonb FROM bench_quartiers`
  yield* sql`CREATE TEMP TABLE bench_people AS
    SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS veille_id FROM generate_series(1, ${count}::int) n`
  yield* sql`INSERT INTO accounts (id, first_name, last_name, phone, phone_verified)
    SELECT id, 'Personne', 'N' || n, '+3363' || lpad(n::text, 7, '0'), true FROM bench_people`
  yield* sql`INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city)
    SELECT p.id, q.id, 'resident', 'verified', true, n || ' rue des Tilleuls', '33140', 'Cadaujac'
    FROM bench_people p JOIN bench_quartiers q ON q.k = 1 + (p.n - 1) / 100`
  yield* sql`INSERT INTO veilles (id, person_id, community_id, days, local_time, channel, phone, status, consent_method,
      consent_at, created_at)
    SELECT p.veille_id, p.id, q.id, '{1,2,3,4,5,6,7}', '10:00', 'sms', '+3363' || lpad(p.n::text, 7, '0'), 'active',
      'paper', now(), now()
    FROM bench_people p JOIN bench_quartiers q ON q.k = 1 + (p.n - 1) / 100`
  yield* sql`INSERT INTO veille_checkins (veille_id, scheduled_at, phase, since, due_at, updated_at)
    SELECT veille_id, ${ten}, 'scheduled', ${ten}, ${ten}, now() FROM bench_people`
  yield* sql`ANALYZE`
  console.log(
    `seed: ${fmt(count)} veilles and check-ins due at ${ten.toISOString()}, ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`
  )
})

/** `workers` loops of runDue at 10:00 until none claims anything more. */
const claimAll = Effect.gen(function*() {
  const veilles = yield* Veilles.Veilles
  const started = performance.now()
  const loop = Effect.gen(function*() {
    let asked = 0
    for (;;) {
      const report = yield* veilles.runDue(batch)
      asked += report.moved
      if (report.claimed === 0) return asked
    }
  }).pipe(Effect.withClock(clockAt(TEN)))
  const asked = yield* Effect.all(Array.from({ length: workers }, () => loop), { concurrency: "unbounded" })
  const ms = performance.now() - started
  console.log(
    `queue all (claim and ask): ${fmt(asked.reduce((a, b) => a + b, 0))} check-ins by ${workers} workers ` +
      `(${asked.map(fmt).join(" + ")}) in ${(ms / 1000).toFixed(2)} s = ${fmt(Math.round(count / (ms / 1000)))}/s`
  )
  return ms
})

/** The same number of rows written by one bare INSERT … SELECT into a copy of deliveries. */
const baseline = (queueMs: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`DROP TABLE IF EXISTS bench_deliveries_copy`
    yield* sql`CREATE TABLE bench_deliveries_copy (LIKE deliveries INCLUDING ALL)`
    const started = performance.now()
    yield* sql`
INSERT INTO bench_deliveries_copy (message_id, veille_id, account_id, channel, destination, next_attempt_at,
  created_at, updated_at)
SELECT message_id, veille_id, account_id, channel, destination, next_attempt_at, created_at, updated_at
FROM deliveries WHERE veille_id IS NOT NULL`
    const ms = performance.now() - started
    yield* sql`DROP TABLE bench_deliveries_copy`
    console.log(
      `baseline, bare INSERT … SELECT of as many rows into a copy of deliveries: ${(ms / 1000).toFixed(2)} s; ` +
        `ratio ${(queueMs / Math.max(1, ms)).toFixed(1)}×`
    )
  })

const verify = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [r] = yield* sql<
    { asked: number; left: number; twice: number; never: number; next: number; sms: number; events: number }
  >`
SELECT (SELECT count(*) FROM veille_checkins WHERE phase = 'asked')::int AS asked,
       (SELECT count(*) FROM veille_checkins WHERE phase = 'scheduled' AND scheduled_at <= ${new Date(
    TEN
  )})::int AS left,
       (SELECT count(*) FROM (SELECT veille_id FROM deliveries WHERE veille_id IS NOT NULL
          GROUP BY veille_id HAVING count(*) > 1) t)::int AS twice,
       (SELECT count(*) FROM veilles v WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.veille_id = v.id))::int AS never,
       (SELECT count(*) FROM veille_checkins WHERE phase = 'scheduled' AND scheduled_at > ${new Date(
    TEN
  )})::int AS next,
       (SELECT count(*) FROM deliveries WHERE veille_id IS NOT NULL AND channel = 'sms')::int AS sms,
       (SELECT count(*) FROM veille_events WHERE kind = 'AskPerson')::int AS events`
  const exact = r!.asked === count && r!.left === 0 && r!.twice === 0 && r!.never === 0 && r!.next === count &&
    r!.sms === count && r!.events === count
  console.log(
    `exactly once: ${exact ? "yes" : "NO"} (asked ${fmt(r!.asked)}, left ${r!.left}, asked twice ${r!.twice}, ` +
      `never asked ${r!.never}, next check-ins scheduled ${fmt(r!.next)}, SMS deliveries ${fmt(r!.sms)}, ` +
      `AskPerson events ${fmt(r!.events)})`
  )
  if (!exact) return yield* Effect.die("the check-ins were not asked exactly once")
})

/** The delivery workers at `rate` SMS/s for the sample: the pace the fake provider sees. */
const pace = (queueMs: number) =>
  Effect.gen(function*() {
    // The check-ins were asked at a 10:00 to come; the delivery workers run on the real clock.
    yield* Effect.flatMap(
      SqlClient.SqlClient,
      (sql) => sql`UPDATE deliveries SET next_attempt_at = now() WHERE veille_id IS NOT NULL`
    )
    const sends: Array<{ at: number; n: number }> = []
    const senders = Layer.mergeAll(
      Layer.succeed(SmsSender, {
        send: (b) =>
          Effect.sync(() => {
            sends.push({ at: performance.now(), n: b.destinations.length })
            return {
              accepted: b.destinations.map((destination, i) => ({ destination, providerId: `v${sends.length}-${i}` }))
            }
          })
      }),
      Layer.succeed(EmailSender, {
        send: (b) => Effect.succeed(b.map((m) => ({ _tag: "Accepted" as const, to: m.to, providerId: "e" })))
      })
    )
    const config: DeliveryWorkerConfig = {
      ...DeliveryWorker.defaultConfig,
      poll: Duration.millis(50),
      sms: { ...DeliveryWorker.defaultConfig.sms, ratePerSecond: rate }
    }
    const fiber = yield* Effect.fork(
      Effect.scoped(DeliveryWorker.run(yield* plainRenderer, config)).pipe(
        Effect.provide(senders)
      )
    )
    const until = performance.now() + sampleSeconds * 1000
    while (performance.now() < until && sends.reduce((a, s) => a + s.n, 0) < count) yield* Effect.sleep("100 millis")
    yield* Fiber.interrupt(fiber)
    const handed = sends.reduce((a, s) => a + s.n, 0)
    const first = sends[0]
    const last = sends[sends.length - 1]
    const observed = first === undefined || last === undefined || last.at === first.at
      ? 0
      : (handed - first.n) / ((last.at - first.at) / 1000)
    const projected = observed > 0 ? count / observed : Infinity
    const configured = count / rate
    console.log(
      [
        `provider pace: configured ${rate} SMS/s; observed at the provider ${observed.toFixed(2)} SMS/s ` +
        `(${fmt(handed)} SMS handed in the ${sampleSeconds} s sample, ${sends.length} calls)`,
        `projected: the whole peak of ${fmt(count)} at the observed pace takes ${(projected / 60).toFixed(1)} min ` +
        `(${(configured / 60).toFixed(1)} min at the configured pace; Plivo queues a message at most 3 h: ${
          projected <= 3 * 3600 ? "within" : "BEYOND, raise the rate"
        })`,
        `our part: queueing took ${(queueMs / 1000).toFixed(2)} s = ${
          (100 * queueMs / 1000 / configured).toFixed(2)
        }% of the provider's time at ${rate}/s; the provider is the bottleneck: ${
          queueMs / 1000 < configured ? "yes" : "NO"
        }`
      ].join("\n")
    )
  })

const program = Effect.gen(function*() {
  console.log(`bench:veille — ${fmt(count)} check-ins, ${workers} workers, batches of ${batch}, provider ${rate} SMS/s`)
  yield* seed
  const queueMs = yield* claimAll
  yield* verify
  yield* baseline(queueMs)
  yield* pace(queueMs)
})

const url = process.env["DATABASE_URL"]
const database = url === undefined || url === "" ? embeddedDatabase : freshServerDatabase(url, workers + 2)
const layer = Layer.mergeAll(
  Veilles.layer.pipe(Layer.provide(Layer.mergeAll(PgVeilleRepo.layer, SqlTransactor.layer, voiceUnplugged))),
  PgDeliveryRepo.layer,
  PgPacer.layer,
  PgAlertRepo.layer,
  PgReferentBulletins.layer,
  PgGazetteDigestRepo.layer,
  PgGazetteImmediateRepo.layer,
  PubSubDeliveryWakeup.layer
).pipe(Layer.provideMerge(Migrations.layer), Layer.provideMerge(database))

Effect.runPromise(program.pipe(Effect.provide(layer), Effect.scoped)).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
