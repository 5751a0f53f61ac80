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

const everyoneReached = (fake: FakePlivo.FakePlivo) => {
  const counts = fake.countsByDestination()
  for (let i = 1; i <= total; i++) assert.isAtLeast(counts.get(seedPhone(i)) ?? 0, 1, `${seedPhone(i)} got nothing`)
  return [...counts.values()].reduce((a, n) => a + n, 0) - total
}

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
