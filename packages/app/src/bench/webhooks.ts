/**
 * Webhook benchmark: signed Plivo webhooks per second, with the signature checked, beside a bare
 * endpoint of the same server in the same run.
 *
 *   npm run bench:webhooks                              embedded PGlite in a temp dir
 *   DATABASE_URL=postgres://… npm run bench:webhooks    a fresh database vigie_bench_<random>, dropped at the end
 *   npm run bench:webhooks -- --requests 5000 --concurrency 32 --alerts 5000 --writers 4
 *
 * The whole HTTP server (RPC, health, both Plivo routes) listens on a local port over the real SQL
 * adapters and the outbox SMS/e-mail adapters. A worker thread (its own event loop, keep-alive
 * sockets) drives three phases of `--requests` requests with `--concurrency` in flight:
 *   1. GET /healthz: the bare endpoint, the stack's floor;
 *   2. POST /webhooks/plivo/status: signed delivery receipts for SMS the seed marked sent;
 *   3. POST /webhooks/plivo/sms, mixed: signed inbound SMS, each its own MessageUUID (1 in 10 a replay
 *      of an earlier one): 50 % unknown numbers (join reply, once a day), 30 % AIDE from members, 20 %
 *      alerts from the 20 members of one community (the rate rule, 5 an hour, refuses most of them:
 *      the first run's mix, kept to compare runs);
 *   4. the same without alert attempts: 5/8 unknown numbers, 3/8 AIDE (1 in 10 a replay): the
 *      messages that write only their own row and their reply;
 *   5. --alerts messages (default: --requests) that each publish an alert: every one from another member
 *      (communities of 20 members, 10 of whom post: the trust policy holds the 11th alert of a
 *      community in 30 minutes; authors with two earlier alerts so nothing is held), distinct texts
 *      (no follow-up), each fanned out to 19 neighbours by SMS and e-mail (38 delivery rows).
 * Requests are built and signed before the timing. The webhook only records a message in the inbox
 * and answers; the inbox worker (running in the server's process, as `serve` runs it) handles it
 * meanwhile. After each inbound phase the run waits until the inbox is empty and the replies are
 * sent, and reports the drain: messages handled, alerts created and replies queued per second from
 * the phase's first request until the inbox was empty (end to end, what a sender waits for). Prints
 * requests/s, p50/p99/max latency, status codes and database statements per request (counted at the
 * driver, the inbox worker's and the reply sender's included) per phase, then how many inbound SMS
 * and replies the database holds.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import { signV3 } from "@vigie/adapters/sms/PlivoSignature"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import m0006 from "@vigie/adapters/sql/migrations/0006_inbound_sms"
import * as PgDeliveryReceipts from "@vigie/adapters/sql/PgDeliveryReceipts"
import * as PgInboundSms from "@vigie/adapters/sql/PgInboundSms"
import * as InboxWakeup from "@vigie/domain/sms/InboxWakeup"
import * as SmsGateway from "@vigie/domain/sms/SmsGateway"
import * as SmsReplies from "@vigie/domain/sms/SmsReplies"
import { Duration, Effect, Layer, Redacted } from "effect"
import { INBOUND_PATH, plivoInboundRoute } from "../http/PlivoInboundWebhook.js"
import { plivoStatusRoute, STATUS_PATH } from "../http/PlivoStatusWebhook.js"
import * as Server from "../http/Server.js"
import * as Platform from "../Platform.js"
import * as InboxWorker from "../workers/InboxWorker.js"
import { argument } from "./BenchArguments.js"
import { statementsSent } from "./BenchStatements.js"
import { embeddedDatabaseIn, freshServerDatabase } from "./BenchDatabase.js"
import { percentile } from "./BenchLoad.js"
import * as BenchPlatform from "./BenchPlatform.js"

const requests = argument("requests", 5_000)
const concurrency = argument("concurrency", 32)
const members = argument("members", 20)
const alertMessages = argument("alerts", requests)
/** The gateway's `writers`: alert, STOP and START messages handled at once by the inbox worker. */
const writers = argument("writers", 4)

const authToken = "bench-plivo-auth-token"
const publicUrl = new URL("https://vigie.example.fr")
const webhookOptions = { publicUrl, authToken: Redacted.make(authToken) }

interface Prepared {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

interface PhaseResult {
  readonly ms: number
  readonly latencies: Array<number>
  readonly statuses: Record<string, number>
}

/** The load loop, run in a worker thread: keep-alive sockets, `concurrency` requests in flight. */
const loadLoop = `
const { parentPort, workerData } = require("node:worker_threads")
const http = require("node:http")
const { port, concurrency, requests } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const one = (r) => new Promise((resolve) => {
  const start = performance.now()
  const req = http.request({ host: "127.0.0.1", port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
    res.resume()
    res.on("end", () => resolve([res.statusCode, performance.now() - start]))
  })
  req.on("error", () => resolve([0, performance.now() - start]))
  req.end(r.body)
})
;(async () => {
  const latencies = new Array(requests.length)
  const statuses = {}
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++
      const [status, ms] = await one(requests[i])
      latencies[i] = ms
      statuses[status] = (statuses[status] || 0) + 1
    }
  }))
  parentPort.postMessage({ ms: performance.now() - started, latencies, statuses })
  agent.destroy()
})()
`

const drive = (port: number, batch: ReadonlyArray<Prepared>) =>
  Effect.async<PhaseResult>((resume) => {
    const worker = new Worker(loadLoop, { eval: true, workerData: { port, concurrency, requests: batch } })
    worker.once("message", (result: PhaseResult) => {
      resume(Effect.succeed(result))
      void worker.terminate()
    })
    worker.once("error", (error) => resume(Effect.die(error)))
  })

const signed = (path: string, params: Record<string, string>, n: number): Prepared => {
  const nonce = `${Date.now()}${n}`
  const body = new URLSearchParams(params).toString()
  return {
    method: "POST",
    path,
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      "x-plivo-signature-v3": signV3(authToken, { method: "POST", url: publicUrl.origin + path, nonce, params }),
      "x-plivo-signature-v3-nonce": nonce
    }
  }
}

const report = (name: string, result: PhaseResult, queries: number) => {
  const sorted = [...result.latencies].sort((a, b) => a - b)
  const rate = Math.round(result.latencies.length / (result.ms / 1000))
  console.log(
    `${name.padEnd(40)} ${String(rate).padStart(6)} req/s   p50 ${
      percentile(sorted, 0.5).toFixed(1).padStart(6)
    } ms   ` +
      `p99 ${percentile(sorted, 0.99).toFixed(1).padStart(6)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms   ` +
      `${(queries / result.latencies.length).toFixed(1).padStart(5)} stmt/req   statuses ${
        JSON.stringify(result.statuses)
      }`
  )
  return rate
}

/** Random pseudo-words: alert texts that no other alert of the run resembles (no follow-up). */
const syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "be", "do", "fu", "ga", "pi", "so", "te", "ul"]
const pseudoWord = () =>
  Array.from(
    { length: 3 + Math.floor(Math.random() * 3) },
    () => syllables[Math.floor(Math.random() * syllables.length)]
  ).join("")

/**
 * `count` authors in communities of 20 members, 10 authors each (the trust policy holds an alert
 * beyond 10 in a community within 30 minutes), each author with two published alerts from yesterday
 * (so their next alert is published at once, and the rate rule's hour is empty); their phones as
 * Plivo sends them.
 */
const seedAlertAuthors = (count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const groups = Math.ceil(count / 10)
    yield* sql`
INSERT INTO communities (insee, name, perimeter)
SELECT '33080', 'Bench alertes ' || lpad(g::text, 6, '0'),
  '{"type":"Polygon","coordinates":[[[-0.58,44.84],[-0.57,44.84],[-0.57,44.85],[-0.58,44.84]]]}'::jsonb
FROM generate_series(0, ${groups - 1}) g`
    yield* sql`
INSERT INTO accounts (first_name, last_name, email, phone, phone_verified)
SELECT 'Auteur', 'N' || g, 'auteur' || g || '@example.fr', '+336200' || lpad(g::text, 5, '0'), true
FROM generate_series(0, ${groups * 20 - 1}) g`
    yield* sql`
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city, verified_at)
SELECT a.id, c.id, 'resident', 'verified', true, '1 rue du Banc', '33140', 'Cadaujac', now()
FROM accounts a JOIN communities c
  ON c.name = 'Bench alertes ' || lpad((substring(a.last_name from 2)::int / 20)::text, 6, '0')
WHERE a.email LIKE 'auteur%'`
    const authors = Array.from({ length: count }, (_, i) => Math.floor(i / 10) * 20 + (i % 10))
    yield* sql`
INSERT INTO alerts (scope_kind, community_id, insee, author_id, origin, category, urgency, text, status, created_at)
SELECT 'community', m.community_id, '33080', m.account_id, 'web', 'other', 'urgent', 'Ancienne alerte ' || k, 'published',
  now() - interval '1 day'
FROM memberships m JOIN accounts a ON a.id = m.account_id AND a.email LIKE 'auteur%'
  AND substring(a.last_name from 2)::int IN ${sql.in(authors)}
CROSS JOIN generate_series(1, 2) k`
    return authors.map((g) => `336200${String(g).padStart(5, "0")}`)
  })

/** Waits until no inbound message is left unhandled (at most 120 s); when that was (performance.now()). */
const inboxEmpty = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const started = performance.now()
  while (performance.now() - started < 120_000) {
    const [row] = yield* sql<
      { n: number }
    >`SELECT count(*)::int AS n FROM inbound_sms WHERE handling IN ('pending', 'handling')`
    if (row!.n === 0) break
    yield* Effect.sleep(Duration.millis(20))
  }
  return performance.now()
})

/** Waits until no reply is pending or leased (at most 60 s); when that was (performance.now()). */
const repliesSent = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const started = performance.now()
  while (performance.now() - started < 60_000) {
    const [row] = yield* sql<
      { n: number }
    >`SELECT count(*)::int AS n FROM inbound_sms WHERE reply_status IN ('pending', 'sending')`
    if (row!.n === 0) break
    yield* Effect.sleep(Duration.millis(20))
  }
  return performance.now()
})

/** What the inbox holds: messages handled, dead, alerts, replies queued (any status). */
const inboxTotals = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ handled: number; dead: number; alerts: number; replies: number }>`
SELECT count(*) FILTER (WHERE handling = 'handled')::int AS handled, count(*) FILTER (WHERE handling = 'dead')::int AS dead,
       (SELECT count(*) FROM alerts)::int AS alerts, count(*) FILTER (WHERE reply_status IS NOT NULL)::int AS replies
FROM inbound_sms`
  return row!
})

/** `members` verified members with verified phones in one community; an alert whose SMS went out (receipts to come). */
const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
INSERT INTO communities (insee, name, perimeter)
VALUES ('33080', 'Bench', '{"type":"Polygon","coordinates":[[[-0.58,44.84],[-0.57,44.84],[-0.57,44.85],[-0.58,44.84]]]}'::jsonb)`
  yield* sql`
INSERT INTO accounts (first_name, last_name, email, phone, phone_verified)
SELECT 'Voisin', 'N' || g, 'bench' || g || '@example.fr', '+3361000' || lpad(g::text, 4, '0'), true
FROM generate_series(1, ${members}) g`
  yield* sql`
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city, verified_at)
SELECT a.id, c.id, 'resident', 'verified', true, '1 rue du Banc', '33140', 'Cadaujac', now()
FROM accounts a CROSS JOIN communities c`
  const [author] = yield* sql<{ id: string }>`SELECT id FROM accounts ORDER BY id LIMIT 1`
  const [alert] = yield* sql<{ id: string }>`
INSERT INTO alerts (scope_kind, community_id, insee, author_id, origin, category, urgency, text, status, created_at)
SELECT 'community', c.id, c.insee, ${author!.id}::uuid, 'web', 'other', 'urgent', 'Bench', 'published', now()
FROM communities c RETURNING id`
  const [message] = yield* sql<{ id: string }>`INSERT INTO messages (alert_id, kind, created_at) VALUES (${
    alert!.id
  }::uuid, 'alert', now()) RETURNING id`
  const providerIds = yield* sql<{ providerId: string }>`
INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, status, next_attempt_at, provider_id, created_at, updated_at)
SELECT ${message!.id}::uuid, ${alert!.id}::uuid, a.id, 'sms', a.phone, 'sent', now(), 'bench-' || a.id, now(), now()
FROM accounts a RETURNING provider_id AS "providerId"`
  return { phones: Array.from({ length: members }, (_, i) => `3361000${String(i + 1).padStart(4, "0")}`),
    providerIds: providerIds.map((r) => r.providerId) }
})

const bench = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { phones, providerIds } = yield* seed
  const address = (yield* HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
  const port = address.port
  console.log(
    `server on 127.0.0.1:${port}; ${requests} requests per phase, ${concurrency} in flight, ${members} members`
  )

  const health: Array<Prepared> = Array.from(
    { length: requests },
    () => ({ method: "GET", path: "/healthz", headers: {}, body: "" })
  )
  const statuses = ["queued", "sent", "delivered", "undelivered"]
  const receipts = Array.from(
    { length: requests },
    (_, i) =>
      signed(STATUS_PATH, { MessageUUID: providerIds[i % providerIds.length]!, Status: statuses[i % statuses.length]!,
        To: phones[0]! }, i)
  )
  /** Inbound SMS, 1 in 10 a replay of an earlier one of the phase; `form(i)` gives the others. */
  const inboundPhase = (count: number, form: (i: number) => Record<string, string>) => {
    const batch: Array<Prepared> = []
    const fields: Array<Record<string, string>> = []
    for (let i = 0; i < count; i++) {
      if (i % 10 === 9 && fields.length > 0) {
        batch.push(signed(INBOUND_PATH, fields[Math.floor(Math.random() * fields.length)]!, i))
        continue
      }
      const f = { To: "33647492626", Type: "sms", MessageUUID: crypto.randomUUID(), ...form(i) }
      fields.push(f)
      batch.push(signed(INBOUND_PATH, f, i))
    }
    return batch
  }
  const unknown = (i: number) => ({ From: `3375${String(i).padStart(7, "0")}`,
    Text: "Bonjour, c'est pour les alertes ?" })
  const mixed = inboundPhase(requests, (i) => {
    const roll = i % 10
    if (roll < 5) return unknown(i)
    return { From: phones[i % phones.length]!, Text: roll < 8 ? "AIDE" : `SUSPECT individu rue ${i}` }
  })
  const keywords = inboundPhase(
    requests,
    (i) =>
      i % 8 < 5
        ? { From: `3376${String(i).padStart(7, "0")}`, Text: unknown(i).Text }
        : { From: phones[i % phones.length]!, Text: "AIDE" }
  )
  const authors = yield* seedAlertAuthors(alertMessages)
  const keywordsOfAlerts = ["SUSPECT", "VOL", "VEHICULE", "DANGER", "FEU", "ANIMAL"]
  let author = 0
  const alertsPhase = inboundPhase(alertMessages, (i) => ({
    From: authors[author++]!,
    Text: `${
      keywordsOfAlerts[i % keywordsOfAlerts.length]
    } ${pseudoWord()} ${pseudoWord()} ${pseudoWord()} ${pseudoWord()}`
  }))

  /**
   * One phase: its figures, with the statements the driver sent meanwhile (the inbox worker's and the
   * replies' included when `drain`); then, when `drain`, the end-to-end drain from the phase's first
   * request until the inbox was empty.
   */
  const phase = (name: string, batch: ReadonlyArray<Prepared>, drain: boolean) =>
    Effect.gen(function*() {
      const before = statementsSent()
      const totals = yield* inboxTotals
      const started = performance.now()
      const result = yield* drive(port, batch)
      const answered = started + result.ms
      const emptied = drain ? yield* inboxEmpty : answered
      const sent = drain ? yield* repliesSent : answered
      const rate = report(name, result, statementsSent() - before)
      if (drain) {
        const after = yield* inboxTotals
        const seconds = (emptied - started) / 1000
        const perSecond = (n: number) => String(Math.round(n / seconds)).padStart(6)
        console.log(
          `${"".padEnd(40)} drain: inbox empty ${((emptied - answered) / 1000).toFixed(1)} s after the last answer; ` +
            `from the first request ${seconds.toFixed(1)} s: ${perSecond(after.handled - totals.handled)} handled/s, ` +
            `${perSecond(after.alerts - totals.alerts)} alerts/s, ${
              perSecond(after.replies - totals.replies)
            } replies queued/s` +
            ` (${after.handled - totals.handled} handled, ${after.alerts - totals.alerts} alerts, ${
              after.replies - totals.replies
            } replies, ` +
            `${after.dead - totals.dead} dead); replies all sent ${
              ((sent - answered) / 1000).toFixed(1)
            } s after the last answer`
        )
      }
      return rate
    })

  // Warm-up: JIT, pool connections.
  yield* drive(port, health.slice(0, 500))
  const results = {
    bare: yield* phase("GET /healthz (bare, same stack)", health, false),
    status: yield* phase("POST /webhooks/plivo/status signed", receipts, false),
    inbound: yield* phase("POST /webhooks/plivo/sms signed, mixed", mixed, true),
    keywords: yield* phase("  keyword / unknown-number messages", keywords, true),
    alerts: yield* phase("  alert-creating messages (fan-out 38)", alertsPhase, true)
  }
  yield* Effect.sleep(Duration.seconds(2))
  const [held] = yield* sql<{ inbound: number; alerts: number; pending: number; sent: number; deliveries: number }>`
SELECT (SELECT count(*) FROM inbound_sms)::int AS inbound, (SELECT count(*) FROM alerts)::int AS alerts,
       (SELECT count(*) FROM inbound_sms WHERE reply_status IN ('pending', 'sending'))::int AS pending,
       (SELECT count(*) FROM inbound_sms WHERE reply_status = 'sent')::int AS sent,
       (SELECT count(*) FROM deliveries)::int AS deliveries`
  const outcomes = yield* sql<
    { outcome: string; n: number }
  >`SELECT outcome, count(*)::int AS n FROM inbound_sms GROUP BY outcome ORDER BY n DESC`
  console.log(
    `inbound rows ${held!.inbound} (unique MessageUUIDs), alerts ${held!.alerts}, deliveries ${
      held!.deliveries
    }, replies sent ${held!.sent}, still pending after 2 s ${held!.pending}`
  )
  console.log(`outcomes ${outcomes.map((o) => `${o.outcome}=${o.n}`).join(" ")}`)
  console.log(
    `inbound / bare: mixed ${(results.inbound / results.bare).toFixed(2)}x, keywords ${
      (results.keywords / results.bare).toFixed(2)
    }x, ` +
      `alerts ${(results.alerts / results.bare).toFixed(2)}x; status / bare: ${
        (results.status / results.bare).toFixed(2)
      }x`
  )
})

const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-bench-webhooks-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

const url = process.env["DATABASE_URL"]
/** Migration 0006 until the migration index lists it. */
const inboundTables = Layer.effectDiscard(Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [exists] = yield* sql<{ ok: boolean }>`SELECT to_regclass('inbound_sms') IS NOT NULL AS ok`
  if (exists?.ok !== true) yield* m0006
}))
const database = Layer.provideMerge(
  Layer.provideMerge(inboundTables, Migrations.layer),
  url ? freshServerDatabase(url, 10) : embeddedDatabaseIn("vigie-bench-webhooks-")
)

const platform = Layer.unwrapScoped(Effect.map(tempDir, (dir) => {
  const ports = Layer.mergeAll(
    BenchPlatform.ports({
      directory: dir,
      secrets: NodeSecrets.layerWith(Redacted.make(crypto.getRandomValues(new Uint8Array(32)))),
      publicUrl
    }),
    PgDeliveryReceipts.layer,
    PgInboundSms.layer
  )
  const gateway = SmsGateway.layer({ writers }).pipe(
    Layer.provideMerge(SmsReplies.layer()),
    Layer.provideMerge(InboxWakeup.layer)
  )
  // The inbox worker in the server's process, as `serve` runs it (INBOX_* variables apply).
  const inboxWorker = Layer.unwrapEffect(Effect.map(InboxWorker.config, InboxWorker.layer))
  return inboxWorker.pipe(
    Layer.provideMerge(gateway),
    Layer.provideMerge(Platform.useCases),
    Layer.provideMerge(ports)
  )
}))

const server = Layer.unwrapScoped(Effect.map(Server.app(), (rest) =>
  HttpServer.serve(HttpRouter.empty.pipe(
    plivoInboundRoute(webhookOptions),
    plivoStatusRoute(webhookOptions),
    Effect.catchTag("RouteNotFound", () => rest)
  )))).pipe(
    Layer.provide(Server.handlers()),
    Layer.provide(RpcSerialization.layerNdjson),
    Layer.provideMerge(platform),
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" }))
  )

Effect.runPromise(
  bench.pipe(Effect.provide(server.pipe(Layer.provideMerge(database))), Effect.scoped)
).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
