/**
 * Delivery workers as separate processes (`node --import tsx packages/app/src/workers/main.ts`) on one
 * real PostgreSQL server, sending through the real Plivo SDK to a fake Plivo in this process, which
 * counts every SMS it accepts per number. These need a real server: PGlite behind pglite-socket
 * serves only the process that embeds it, so other processes cannot share its database. They run
 * wherever DATABASE_URL is set (CI sets it) and are skipped, with this reason, elsewhere.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"
import { SqlClient } from "@effect/sql"
import { assert, describe, it as vitestIt, layer } from "@effect/vitest"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { postgres, postgresSkipReason } from "@vigie/adapters/test/support/TestDatabase"
import { Duration, Effect } from "effect"
import type { Scope } from "effect"
import { seedDeliveries, seedPhone, statusCounts } from "../support/DeliverySeed.js"
import { drained, rows, truncateDeliveries, until } from "./Support.js"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const adminUrl = process.env["DATABASE_URL"]

interface Worker {
  readonly process: ChildProcess
  readonly output: () => string
}

/** The URL of the suite's fresh database, on the server of DATABASE_URL. */
const databaseUrl = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ name: string }>`SELECT current_database() AS name`
  const url = new URL(adminUrl!)
  url.pathname = `/${row!.name}`
  return url.toString()
})

/** Starts one worker process; SIGKILLed when the scope closes if it still runs. */
const startWorker = (
  fake: FakePlivo.FakePlivo,
  url: string,
  from: string,
  env: Record<string, string> = {}
): Effect.Effect<Worker, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      let output = ""
      const child = spawn(process.execPath, ["--import", "tsx", "packages/app/src/workers/main.ts"], {
        cwd: root,
        env: {
          PATH: process.env["PATH"] ?? "",
          // Production with Plivo named, as `serve` needs it (development refuses real providers).
          VIGIE_ENV: "production",
          PUBLIC_URL: "https://vigie.example.fr",
          SMS_PROVIDER: "plivo",
          DATABASE_URL: url,
          PLIVO_AUTH_ID: fake.authId,
          PLIVO_AUTH_TOKEN: fake.authToken,
          PLIVO_API_URL: fake.apiUrl,
          PLIVO_NUMBER: from,
          PLIVO_TIMEOUT: "2 seconds",
          SMS_RATE_PER_SECOND: "300",
          DELIVERY_BATCH_WINDOW: "100 millis",
          DELIVERY_LEASE: "3 seconds",
          DELIVERY_POLL: "100 millis",
          DELIVERY_RETRY_BASE: "20 millis",
          DELIVERY_RETRY_MAX: "200 millis",
          DELIVERY_MAX_ATTEMPTS: "20",
          ...env
        },
        stdio: ["ignore", "pipe", "pipe"]
      })
      child.stdout!.on("data", (b: Buffer) => (output += b.toString()))
      child.stderr!.on("data", (b: Buffer) => (output += b.toString()))
      return { process: child, output: () => output }
    }),
    (worker) => Effect.sync(() => worker.process.exitCode === null && worker.process.kill("SIGKILL"))
  )

/** Claims are 300/s × 100 ms = 30 rows: the most one crashed claim can send twice. */
const claimRows = 30
const total = 3_000

/** Asserts that each of the first `count` seeded numbers got an SMS; returns how many were duplicates. */
const everyoneReached = (fake: FakePlivo.FakePlivo, count = total) => {
  const counts = fake.countsByDestination()
  for (let i = 1; i <= count; i++) assert.isAtLeast(counts.get(seedPhone(i)) ?? 0, 1, `${seedPhone(i)} got nothing`)
  return [...counts.values()].reduce((a, n) => a + n, 0) - count
}

/** The shared bucket starts afresh: an earlier test paced at another rate. */
const freshPace = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM provider_pace`)

if (adminUrl === undefined) {
  describe.skip(`Delivery worker processes [postgres]: ${postgresSkipReason}`, () => {
    vitestIt("run as separate processes on one real PostgreSQL server", () => {})
  })
} else {
  layer(postgres(adminUrl).layer, { excludeTestServices: true, timeout: Duration.minutes(3) })(
    "Delivery worker processes [postgres]",
    (it) => {
      it.scoped(
        "two worker processes on one database: every SMS sent exactly once, counted at Plivo",
        () =>
          Effect.gen(function*() {
            yield* truncateDeliveries
            yield* seedDeliveries({ sms: total, email: 0 })
            const fake = yield* FakePlivo.scoped()
            const url = yield* databaseUrl
            yield* startWorker(fake, url, "+33700000001")
            yield* startWorker(fake, url, "+33700000002")
            yield* drained(Duration.seconds(90))
            assert.deepStrictEqual(yield* statusCounts, { sent: total })
            assert.strictEqual(everyoneReached(fake), 0)
            const bySender = new Set(fake.accepted().map((a) => a.src))
            assert.deepStrictEqual(bySender, new Set(["+33700000001", "+33700000002"]), "both processes sent")
          }),
        120_000
      )

      it.scoped(
        "a worker SIGKILLed mid fan-out: another finishes, nobody is lost, duplicates at most its claim",
        () =>
          Effect.gen(function*() {
            yield* truncateDeliveries
            yield* seedDeliveries({ sms: total, email: 0 })
            const fake = yield* FakePlivo.scoped()
            const url = yield* databaseUrl
            const first = yield* startWorker(fake, url, "+33700000001")
            yield* until(() => fake.accepted().length >= 600, Duration.seconds(60))
            first.process.kill("SIGKILL")
            const killedAfter = fake.accepted().length
            assert.isBelow(killedAfter, total, "killed mid run")
            yield* startWorker(fake, url, "+33700000002")
            yield* drained(Duration.seconds(90))
            assert.deepStrictEqual(yield* statusCounts, { sent: total })
            const duplicates = everyoneReached(fake)
            assert.isAtMost(duplicates, claimRows)
            const retaken = (yield* rows).filter((r) => r.attempts === 2).length
            assert.isAtMost(retaken, claimRows)
          }),
        120_000
      )

      it.scoped(
        "three worker processes configured at 50 SMS/s send at 50/s together (one bucket in PostgreSQL), within 5 %",
        () =>
          Effect.gen(function*() {
            const count = 2_000
            yield* truncateDeliveries
            yield* freshPace
            yield* seedDeliveries({ sms: count, email: 0 })
            const fake = yield* FakePlivo.scoped()
            const url = yield* databaseUrl
            // Claims of 50/s × 200 ms = 10 rows, a burst of 10: each process draws small batches often,
            // and a process slowed by a loaded machine for less than a few windows costs no tokens.
            const paced = { SMS_RATE_PER_SECOND: "50", DELIVERY_BATCH_WINDOW: "200 millis",
              DELIVERY_LEASE: "10 seconds" }
            const senders = ["+33700000001", "+33700000002", "+33700000003"]
            for (const from of senders) yield* startWorker(fake, url, from, paced)
            yield* drained(Duration.seconds(150))
            assert.deepStrictEqual(yield* statusCounts, { sent: count })
            assert.strictEqual(everyoneReached(fake, count), 0)
            // The rate as Plivo sees it, from the calls' arrival times, after the first two seconds (the
            // processes start one after the other, and the bucket starts full): between the first and
            // the last call of that steady part went every message but the first call's.
            const calls = [...fake.calls()].sort((a, b) => a.at - b.at)
            const steady = calls.filter((c) => c.at >= calls[0]!.at + 2_000)
            const first = steady[0]!
            const last = steady.at(-1)!
            const messages = steady.slice(1).reduce((a, c) => a + c.destinations.length, 0)
            const rate = messages / ((last.at - first.at) / 1000)
            console.info(
              `[pacing] 3 worker processes at SMS_RATE_PER_SECOND=50: ${messages} SMS in ${
                ((last.at - first.at) / 1000).toFixed(2)
              } s (steady part, ${steady.length} calls) = ${rate.toFixed(2)} SMS/s at the fake Plivo`
            )
            assert.deepStrictEqual(new Set(steady.map((c) => c.src)), new Set(senders), "all three processes sent")
            assert.isAtMost(Math.abs(rate - 50) / 50, 0.05, `observed ${rate.toFixed(2)} SMS/s`)
          }),
        180_000
      )

      it.scoped(
        "a worker SIGKILLed in the middle of a slow 1,000-number Plivo call: its lease, renewed until then, ends within seconds and another worker resends",
        () =>
          Effect.gen(function*() {
            yield* truncateDeliveries
            yield* freshPace
            yield* seedDeliveries({ sms: total, email: 0 })
            // Plivo takes the first call (1,000 numbers) and answers it only after two minutes.
            const fake = yield* FakePlivo.scoped({
              fault: (call) => (call.callNumber === 1 ? FakePlivo.Delay(120_000) : FakePlivo.Ok)
            })
            const url = yield* databaseUrl
            // Claims of 1,000/s × 1 s = 1,000 rows: one full Plivo call per claim.
            const settings = {
              SMS_RATE_PER_SECOND: "1000",
              DELIVERY_BATCH_WINDOW: "1 second",
              DELIVERY_LEASE: "10 seconds"
            }
            const first = yield* startWorker(fake, url, "+33700000001", { ...settings, PLIVO_TIMEOUT: "300 seconds" })
            yield* until(() => fake.calls().length >= 1, Duration.seconds(60))
            const slow = fake.calls()[0]!
            assert.strictEqual(slow.destinations.length, 1_000)
            const inFlight = new Set(slow.destinations)
            yield* startWorker(fake, url, "+33700000002", settings)
            yield* until(
              () => fake.accepted().filter((a) => a.src === "+33700000002").length >= total - 1_000,
              Duration.seconds(60)
            )
            // Longer than a lease in flight: only the renewals keep the second worker off these rows.
            yield* until(() => Date.now() - slow.at > 13_000, Duration.seconds(30))
            assert.isTrue(
              [...fake.countsByDestination()].every(([destination, n]) => n === 1 || !inFlight.has(destination)),
              "nobody of the call in flight was sent twice while its worker lived"
            )
            first.process.kill("SIGKILL")
            const killedAt = Date.now()
            yield* until(
              () => [...inFlight].every((d) => (fake.countsByDestination().get(d) ?? 0) >= 2),
              Duration.seconds(90)
            )
            const resent = fake.accepted().filter((a) => inFlight.has(a.destination) && a.at >= killedAt)
            const firstResend = Math.min(...resent.map((a) => a.at)) - killedAt
            const lastResend = Math.max(...resent.map((a) => a.at)) - killedAt
            console.info(
              `[recovery] DELIVERY_LEASE=10 s: the 1,000 recipients of the killed call were sent again ${
                (firstResend / 1000).toFixed(2)
              } s to ${(lastResend / 1000).toFixed(2)} s after the SIGKILL (measured at the fake Plivo)`
            )
            // Behaviour, not speed: with renewed 10 s leases, long before a 60 s lease would have ended.
            assert.isBelow(lastResend, 60_000)
            yield* drained(Duration.seconds(60))
            assert.deepStrictEqual(yield* statusCounts, { sent: total })
            // The duplicates are exactly the call in flight at the crash: one claim, 1,000 at most.
            assert.strictEqual(everyoneReached(fake), inFlight.size)
            for (const [destination, n] of fake.countsByDestination()) {
              assert.strictEqual(n, inFlight.has(destination) ? 2 : 1, destination)
            }
          }),
        180_000
      )

      it.scoped(
        "the workers' connections killed (pg_terminate_backend) mid run: they reconnect and finish",
        () =>
          Effect.gen(function*() {
            yield* truncateDeliveries
            yield* seedDeliveries({ sms: total, email: 0 })
            const fake = yield* FakePlivo.scoped()
            const url = yield* databaseUrl
            const workers = [
              yield* startWorker(fake, url, "+33700000001"),
              yield* startWorker(fake, url, "+33700000002")
            ]
            const sql = yield* SqlClient.SqlClient
            let killed = 0
            for (const mark of [500, 1_500]) {
              yield* until(() => fake.accepted().length >= mark, Duration.seconds(60))
              const [row] = yield* sql<{ n: number }>`
              SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()`
              killed += row!.n
            }
            assert.isAtLeast(killed, 2, "the workers' connections were terminated")
            yield* drained(Duration.seconds(90))
            assert.deepStrictEqual(yield* statusCounts, { sent: total })
            for (const w of workers) {
              assert.strictEqual(w.process.exitCode, null, `a worker died: ${w.output().slice(-2000)}`)
            }
            // A claim whose outcome could not be recorded is sent again after its lease: at most one per
            // worker and kill.
            assert.isAtMost(everyoneReached(fake), 2 * 2 * claimRows)
          }),
        120_000
      )
    }
  )
}
