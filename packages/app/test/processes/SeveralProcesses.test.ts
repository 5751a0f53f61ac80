/**
 * Several processes on one database (issue 18, item 3), on a real PostgreSQL server: two `serve`
 * processes and one `worker` process, spawned as an operator runs them (production settings, the real
 * Plivo SDK sending to a fake Plivo in this process), behind a small reverse proxy that lets the test
 * choose the backend of each request. The demo town is seeded by the real `seed` command; the 20,000
 * extra members set-based in SQL. They run wherever DATABASE_URL is set (CI sets it) and are skipped,
 * with this reason, elsewhere: other processes cannot share an embedded database.
 *
 * The live page here is the web app's own RPC client (@effect/rpc over HTTP + NDJSON, WatchLiveEvents),
 * in this process. The same check on a real page in Chromium is an e2e journey,
 * packages/ui/test/e2e/SeveralProcessesJourney.test.ts: the e2e files run one at a time, each building
 * packages/ui/dist, which a node suite running beside them must not rebuild.
 */
import { SqlClient } from "@effect/sql"
import { assert, describe, it as vitestIt, layer } from "@effect/vitest"
import * as OtpAuthTotp from "@vigie/adapters/auth/OtpAuthTotp"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { postgres, postgresSkipReason } from "@vigie/adapters/test/support/TestDatabase"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { shortAlertId } from "@vigie/domain/channels/Links"
import type { PreviewToken } from "@vigie/domain/mairie/TownAlert"
import { ConfigProvider, Context, Duration, Effect, Fiber, Layer, Option, Schedule, Stream } from "effect"
import { DEMO_INSEE, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../src/seed/DemoTown.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { postRaw, requestLine, rpcClient, siteHeaders } from "../support/HttpHarness.js"
import * as Processes from "../support/Processes.js"

const adminUrl = process.env["DATABASE_URL"]

/** 20,000 members of the demo commune with a verified phone +3369xxxxxxx (no e-mail: SMS only). */
const members = 20_000
const memberPhone = (i: number) => `+3369${String(i).padStart(7, "0")}`

/**
 * The delivery settings of every process. Each sends at 1,000 SMS/s (the pace is per process until
 * global pacing lands) in claims of half a second's worth; the lease is set so that the kill → resend
 * figure means the same whatever the default is.
 */
const deliveryEnv = {
  SMS_RATE_PER_SECOND: "1000",
  DELIVERY_BATCH_WINDOW: "500 millis",
  DELIVERY_LEASE: "10 seconds",
  DELIVERY_POLL: "200 millis",
  DELIVERY_RETRY_BASE: "100 millis",
  DELIVERY_RETRY_MAX: "1 second",
  TOWN_SMS_MONTHLY_BUDGET: "100000"
}

/** What one process can have claimed and not recorded when it dies: one claim per SMS loop. */
const deliveryConfig = Effect.runSync(
  Effect.withConfigProvider(DeliveryWorker.config, ConfigProvider.fromMap(new Map(Object.entries(deliveryEnv))))
)
const claimRows = DeliveryWorker.claimLimitOf("sms", deliveryConfig.sms)
const duplicateBound = claimRows * deliveryConfig.sms.loops

class Running extends Context.Tag("test/SeveralProcesses/Running")<Running, Processes.Platform>() {}

/** The Plivo senders: serve A, serve B, the worker, and serve B once restarted. */
const senders = [0, 1, 2, 3].map(Processes.sender)

/** The proxy, the fake Plivo, the seeded demo town, then serve A, serve B and the worker, started together. */
const platform = Layer.scoped(
  Running,
  Effect.flatMap(
    Processes.currentDatabaseUrl(adminUrl!),
    (databaseUrl) => Processes.platform({ databaseUrl, serves: 2, workers: 1, env: deliveryEnv, seedDemoTown: true })
  )
)

/** Signs in through the proxy's `backend`; the session cookie (a staff account's second step with its TOTP). */
const signIn = (email: string, backend: number, totpSecret?: string) =>
  Effect.gen(function*() {
    const { proxy, publicUrl } = yield* Running
    const headers = siteHeaders(undefined, publicUrl)
    const post = (body: string) =>
      postRaw(body, headers).pipe(Effect.provide(Processes.httpThrough(proxy, backend)), Effect.orDie)
    const first = yield* post(requestLine("LogIn", { email, password: DEMO_PASSWORD }))
    const exit = first.lines.find((l) => l["_tag"] === "Exit") as { exit: { _tag: string; cause?: unknown } }
    if (exit.exit._tag === "Success") return first.setCookie[0]!.split(";")[0]!
    const challenge = JSON.stringify(exit.exit.cause).match(/"challenge":"([^"]+)"/)?.[1]
    if (challenge === undefined || totpSecret === undefined) {
      return yield* Effect.dieMessage(`sign-in of ${email} refused: ${JSON.stringify(first.lines)}`)
    }
    const code = OtpAuthTotp.make.codeAt(totpSecret, Date.now())
    const second = yield* post(requestLine("CompleteSignIn", { challenge, code }))
    if (second.setCookie[0] === undefined) {
      return yield* Effect.dieMessage(`second step of ${email} refused: ${JSON.stringify(second.lines)}`)
    }
    return second.setCookie[0].split(";")[0]!
  })

/** The web app's RPC client with a session, through the proxy to one backend. */
const clientOn = (cookie: string, backend: number) =>
  Effect.gen(function*() {
    const { proxy, publicUrl } = yield* Running
    return yield* rpcClient(cookie, publicUrl).pipe(Effect.provide(Processes.httpThrough(proxy, backend)))
  })

const countSent = (messageAlert: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; n: number }>`
      SELECT d.status, count(*)::int AS n FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.alert_id = ${messageAlert} AND d.channel = 'sms' GROUP BY d.status`
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>
  })

const sleep = (ms: number) => Effect.sleep(Duration.millis(ms))

if (adminUrl === undefined) {
  describe.skip(`Several processes on one database [postgres]: ${postgresSkipReason}`, () => {
    vitestIt("two serve processes and a worker behind a proxy, on one real PostgreSQL server", () => {})
  })
} else {
  layer(Layer.provideMerge(platform, postgres(adminUrl).layer), {
    excludeTestServices: true,
    // Three processes and the seed start together: seconds on an idle machine, much more on a busy one.
    timeout: Duration.minutes(5)
  })("Several processes on one database [postgres]", (it) => {
    it.scoped(
      "an alert posted through serve A appears live on a page of serve B",
      () =>
        Effect.gen(function*() {
          const { proxy } = yield* Running
          const { author, reader } = yield* Processes.demoNeighbours
          const readerOnB = yield* clientOn(yield* signIn(reader.email, 1), 1)
          const authorOnA = yield* clientOn(yield* signIn(author.email, 0), 0)

          const before = proxy.served().length
          const watching = yield* readerOnB.WatchLiveEvents({}).pipe(
            Stream.filter((e) => e._tag === "AlertPublished"),
            Stream.take(1),
            Stream.runHead,
            Effect.fork
          )
          // The stream is open on B (its request has gone through the proxy) before the alert is posted.
          yield* Effect.suspend(() =>
            proxy.served().slice(before).some((s) => s.backend === 1) ? Effect.void : Effect.fail("not yet")
          ).pipe(Effect.retry(Schedule.spaced(Duration.millis(10))), Effect.timeout(Duration.seconds(10)), Effect.orDie)
          // The stream sends nothing before the first event: leave B a moment to check the session and
          // subscribe (a live event is told to those listening when it happens, never replayed).
          yield* sleep(1_000)
          const posted = yield* authorOnA.PostAlert({
            scope: { _tag: "Community", communityId: author.communityId },
            category: "suspicious_vehicle",
            urgency: "info",
            text: "Camionnette blanche qui tourne dans le quartier depuis une heure",
            place: Option.none(),
            sharedWithAuthorities: false
          })
          assert.strictEqual(posted.status, "published")
          const seen = yield* Fiber.join(watching).pipe(
            Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("no live event on B") })
          )
          assert.isTrue(Option.isSome(seen))
          assert.strictEqual(Option.getOrThrow(seen).alertId, posted.id, "B told its page about the alert posted on A")
          // And B reads it from the database A wrote.
          const feed = yield* readerOnB.GetAlert({ alertId: posted.id })
          assert.strictEqual(feed.id, posted.id)
        }),
      120_000
    )

    it.scoped(
      "a town alert to 20,000 members while serve B is SIGKILLed mid-way and restarted: every one reached, duplicates only from its claim",
      () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const running = yield* Running
          const { fake } = running
          // 20,000 verified members of the demo commune, spread over its quartiers, with a verified phone
          // and no preference row (every channel allowed), set-based.
          yield* sql`
            INSERT INTO accounts (first_name, last_name, phone, phone_verified, status)
            SELECT 'Voisin', 'N' || g, '+3369' || lpad(g::text, 7, '0'), true, 'active'
            FROM generate_series(1, ${members}) g`
          yield* sql`
            WITH a AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM accounts WHERE phone LIKE '+3369%'),
                 c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k,
                              count(*) OVER () AS quartiers
                       FROM communities WHERE insee = ${DEMO_INSEE} AND status = 'active')
            INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city,
                                     verified_at)
            SELECT a.id, c.id, 'resident', 'verified', true, a.n || ' rue du Port', '33140', 'Cadaujac', now()
            FROM a JOIN c ON c.k = a.n % c.quartiers`
          yield* sql`ANALYZE`

          const agent = yield* clientOn(
            yield* signIn("sophie.lacoste.staff@example.org", 0, DEMO_TOTP_SECRET),
            0
          )
          const preview = yield* agent.PreviewTownAlert({
            insee: DEMO_INSEE as InseeCode,
            communityIds: Option.none(),
            category: "water_or_power_cut",
            urgency: "urgent",
            text: "Coupure d'eau dans toute la commune ce soir de 20 h à 23 h : pensez à faire des réserves.",
            place: Option.none()
          })
          assert.isAtLeast(preview.sms, members)
          const sent = yield* agent.ConfirmTownAlert({ previewToken: preview.previewToken as PreviewToken,
            emailOnly: false })
          const alertId = sent.alert.id
          const confirmedAt = Date.now()
          assert.strictEqual(sent.sms, preview.sms)
          // Its SMS link names the alert (/a/<short id>): what the fake accepted for this alert.
          const link = `/a/${shortAlertId(alertId)}`
          const ofAlert = () => fake.accepted().filter((m) => m.text.includes(link))

          // Once about a third is sent, serve B's next Plivo call is accepted at once but answered only
          // after 5 s, and B is SIGKILLed in the middle of it (issue 18, item 4): its claim reached Plivo
          // and was never recorded, the worst case for duplicates.
          yield* Effect.suspend(() => ofAlert().length >= sent.sms / 3 ? Effect.void : Effect.fail("not yet")).pipe(
            Effect.retry(Schedule.spaced(Duration.millis(5))),
            Effect.timeoutFail({ duration: Duration.seconds(60), onTimeout: () => "a third never sent" }),
            Effect.catchAll((reason) =>
              Effect.flatMap(countSent(alertId), (counts) =>
                Effect.dieMessage(
                  `${reason}: ${JSON.stringify(counts)}, ${fake.accepted().length} accepted at the fake, ` +
                    `e.g. ${JSON.stringify(fake.accepted().at(-1))}`
                ))
            )
          )
          const callsBefore = fake.calls().length
          fake.setFault((call) =>
            call.src === senders[1] && call.callNumber > callsBefore ? FakePlivo.Delay(5_000) : FakePlivo.Ok
          )
          const inFlight = yield* Effect.suspend(() =>
            Option.fromNullable(
              fake.calls().find((c) => c.src === senders[1] && c.callNumber > callsBefore && c.text.includes(link))
            )
          ).pipe(
            Effect.retry(Schedule.spaced(Duration.millis(5))),
            Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("serve B made no call") })
          )
          const serveB = running.processes[1]!
          const killedAt = Date.now()
          yield* Effect.promise(() => Processes.killHard(serveB))
          fake.setFault(() => FakePlivo.Ok)
          const sentBeforeKill = ofAlert().length
          // The rows B held: `sending` at the kill and still `sending` under the same attempt and lease 5 s
          // later (the live processes' claims are recorded, or their leases renewed, within a second or
          // two; the dead one's wait for their lease to end, 10 s after the claim).
          const sending = sql<{ id: string; attempts: number; lease: string; destination: string }>`
            SELECT d.id::text AS id, d.attempts, d.lease_expires_at::text AS lease, d.destination FROM deliveries d JOIN messages m ON m.id = d.message_id
            WHERE m.alert_id = ${alertId} AND d.channel = 'sms' AND d.status = 'sending'`
          const atKill = yield* sending
          // Restarted at once, with its own sender so that the fake tells the dead one's SMS apart.
          const restarting = Effect.promise(() =>
            Processes.startServe({
              name: "serve B (restarted)",
              args: ["serve"],
              env: { ...running.env(1), PLIVO_NUMBER: senders[3]! },
              port: running.ports[1]!
            })
          ).pipe(Effect.tap((p) => Effect.sync(() => (running.processes[1] = p))), Effect.fork)
          const restarted = yield* restarting
          yield* sleep(5_000)
          const key = (r: { id: string; attempts: number; lease: string }) => `${r.id}/${r.attempts}/${r.lease}`
          const stillHeld = new Set((yield* sending).map(key))
          const killedBatch = atKill.filter((r) => stillHeld.has(key(r)))
          const batchNumbers = new Set(killedBatch.map((r) => r.destination))
          // The call B died in is part of what it held, and B held one claim at most.
          assert.isAtMost(killedBatch.length, duplicateBound)
          for (const d of inFlight.destinations) assert.isTrue(batchNumbers.has(d), `${d} of the killed call not held`)

          // Every row sent, exactly one row per (alert, member, channel).
          yield* countSent(alertId).pipe(
            Effect.filterOrFail((c) => (c["sent"] ?? 0) === sent.sms, () => "not all sent yet"),
            Effect.retry(Schedule.spaced(Duration.millis(100))),
            Effect.timeoutFail({ duration: Duration.seconds(90), onTimeout: () => new Error("not all sent in 90 s") })
          )
          const deliveredAt = Date.now()
          yield* Fiber.join(restarted)
          assert.deepStrictEqual(yield* countSent(alertId), { sent: sent.sms })
          const [rows] = yield* sql<{ rows: number; distinctRecipients: number; members: number }>`
            SELECT count(*)::int AS rows, count(DISTINCT (d.account_id, d.channel))::int AS "distinctRecipients",
                   (count(*) FILTER (WHERE d.destination LIKE '+3369%'))::int AS members
            FROM deliveries d JOIN messages m ON m.id = d.message_id
            WHERE m.alert_id = ${alertId} AND d.channel = 'sms'`
          assert.deepStrictEqual(rows, { rows: sent.sms, distinctRecipients: sent.sms, members })

          // At the fake: every member reached, duplicates only from the dead process's claim.
          const accepted = ofAlert()
          const counts = new Map<string, number>()
          for (const m of accepted) counts.set(m.destination, (counts.get(m.destination) ?? 0) + 1)
          for (let i = 1; i <= members; i++) {
            assert.isAtLeast(counts.get(memberPhone(i)) ?? 0, 1, `${memberPhone(i)} got nothing`)
          }
          assert.strictEqual(counts.size, sent.sms, "every recipient of the alert reached")
          const duplicated = [...counts].filter(([, n]) => n > 1).map(([d]) => d)
          const duplicates = accepted.length - counts.size
          assert.isAtMost(duplicates, duplicateBound, "at most one claim of the dead process sent twice")
          for (const d of duplicated) {
            assert.isTrue(batchNumbers.has(d), `${d} sent twice but not in the claim serve B held when killed`)
            assert.strictEqual(counts.get(d), 2)
          }
          // Every number of the call B died in was sent again: at least once, at the price of a duplicate.
          assert.deepStrictEqual(new Set(duplicated), new Set(inFlight.destinations))
          const sentByB = accepted.filter((m) => m.src === senders[1]).length
          assert.isAbove(sentByB, 0, "serve B was delivering before it was killed")
          assert.isAbove(
            accepted.filter((m) => m.src === senders[3]).length + accepted.filter((m) => m.src === senders[0]).length,
            0
          )

          // The recipients of the killed claim: from the kill to their SMS sent by another process.
          const resentAt = new Map<string, number>()
          for (const m of accepted) {
            if (m.src !== senders[1] && batchNumbers.has(m.destination) && !resentAt.has(m.destination)) {
              resentAt.set(m.destination, m.at)
            }
          }
          assert.strictEqual(resentAt.size, batchNumbers.size, "every recipient of the killed claim sent again")
          const delays = [...resentAt.values()].map((at) => at - killedAt).sort((a, b) => a - b)
          const reachedBeforeKill = killedBatch.filter((r) =>
            accepted.some((m) => m.src === senders[1] && m.destination === r.destination)
          ).length
          const pct = (q: number) =>
            delays.length === 0 ? NaN : delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!
          console.info([
            "[several processes] town alert to " + sent.sms + " SMS recipients (" + members + " seeded members), " +
            "3 processes at " + deliveryEnv.SMS_RATE_PER_SECOND + " SMS/s each, claims of " + claimRows +
            " rows, DELIVERY_LEASE=" + deliveryEnv.DELIVERY_LEASE,
            "  serve B SIGKILLed after " + sentBeforeKill + " SMS accepted (" +
            ((killedAt - confirmedAt) / 1000).toFixed(1) + " s after the confirmation); it had sent " + sentByB,
            "  killed in the middle of a Plivo call of " + inFlight.destinations.length + " numbers; its claim: " +
            killedBatch.length + " rows still sending under its lease (" + reachedBeforeKill +
            " of them had reached Plivo before the kill)",
            "  kill → resend for the killed claim's recipients: min " + ((delays[0] ?? NaN) / 1000).toFixed(1) +
            " s, median " + (pct(0.5) / 1000).toFixed(1) + " s, max " + ((delays.at(-1) ?? NaN) / 1000).toFixed(1) +
            " s",
            "  duplicates at Plivo: " + duplicates + " (bound: claim size " + claimRows + " × " +
            deliveryConfig.sms.loops + " SMS loop = " + duplicateBound + ")",
            "  all " + sent.sms + " rows sent " + ((deliveredAt - confirmedAt) / 1000).toFixed(1) +
            " s after the confirmation"
          ].join("\n"))
          // Behavioural, not a timing: the dead claim comes back with its lease, long before a minute.
          if (delays.length > 0) assert.isBelow(delays.at(-1)!, 60_000)
          // The restarted process serves again.
          assert.strictEqual(yield* Effect.promise(() => Processes.getStatus(running.ports[1]!, "/readyz")), 200)
        }),
      240_000
    )

    it.scoped(
      "two `migrate` commands at once on an empty database: one applies the migrations, the other finds them done",
      () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const url = new URL(yield* Processes.currentDatabaseUrl(adminUrl!))
          const name = `${url.pathname.slice(1)}_m`
          yield* Effect.acquireRelease(
            sql`CREATE DATABASE ${sql(name)}`,
            () => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`.pipe(Effect.orDie)
          )
          url.pathname = `/${name}`
          // Two replicas started together (a Job retried, two init containers): the advisory lock
          // serialises them; without it the second would fail on tables the first is creating.
          const env = { VIGIE_ENV: "production", DATABASE_URL: url.toString() }
          const outputs = yield* Effect.promise(() =>
            Promise.all([1, 2].map((i) => Processes.runToEnd({ name: `migrate ${i}`, args: ["migrate"], env })))
          )
          assert.strictEqual(outputs.filter((o) => o.includes("Migrations applied: ")).length, 1, outputs.join("\n"))
          assert.strictEqual(outputs.filter((o) => o.includes("Database up to date.")).length, 1, outputs.join("\n"))
        }),
      120_000
    )
  })
}
