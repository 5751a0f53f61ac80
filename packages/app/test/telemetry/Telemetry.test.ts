import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { unpaced } from "@vigie/domain/delivery/Pacing"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import * as TelemetryConfig from "../../src/TelemetryConfig.js"
import * as MetricsServer from "../../src/telemetry/MetricsServer.js"
import * as Telemetry from "../../src/telemetry/Telemetry.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { plainRenderer } from "../../src/workers/PlainTexts.js"
import { rpcClient, serverLayer } from "../support/HttpHarness.js"
import { seedDeliveries, seedPhone } from "../support/DeliverySeed.js"
import { makeWorld, PASSWORD } from "../support/World.js"
import { recordingSenders } from "../workers/Senders.js"

const TOKEN = "scrape-secret-for-the-test"
const prometheus: TelemetryConfig.PrometheusConfig = {
  port: 0,
  host: "127.0.0.1",
  token: Option.some(Redacted.make(TOKEN))
}
/**
 * The whole server over `db`, traced into `spans`, with /metrics on a free port. Each database gets
 * its own exporter: a layer's end shuts its exporter down for good.
 */
const traced = (db: TestDatabase, spans: InMemorySpanExporter) =>
  MetricsServer.layer(prometheus, 10_000).pipe(
    Layer.provideMerge(serverLayer(db)),
    Layer.provideMerge(Telemetry.layer(
      { ...TelemetryConfig.off, prometheus: Option.some(prometheus) },
      { process: "test", spanProcessors: [new SimpleSpanProcessor(spans)] }
    ))
  )

const scrape = (token: string | null = TOKEN) =>
  Effect.gen(function*() {
    const { url } = yield* MetricsServer.MetricsAddress
    return yield* Effect.promise(async () => {
      const response = await fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } })
      return { status: response.status, text: await response.text() }
    })
  })

/** The value of the sample `name{labels}` in a Prometheus text scrape (labels in any order), or undefined. */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line)
    if (match === null || match[1] !== name) continue
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])
    )
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3])
  }
  return undefined
}

/** Every span with `ancestor` among its ancestors. */
const descendants = (all: ReadonlyArray<ReadableSpan>, ancestor: ReadableSpan) => {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]))
  return all.filter((span) => {
    let parent = span.parentSpanContext?.spanId
    while (parent !== undefined) {
      if (parent === ancestor.spanContext().spanId) return true
      parent = byId.get(parent)?.parentSpanContext?.spanId
    }
    return false
  })
}

const attributesOf = (all: ReadonlyArray<ReadableSpan>) => JSON.stringify(all.map((s) => s.attributes))

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  lease: Duration.seconds(5),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

describe("Telemetry", () => {
  it.live("exported spans have their phone numbers masked: attributes, error events and status", () =>
    Effect.gen(function*() {
      const exported = new InMemorySpanExporter()
      // Read before the layer ends: shutting the exporter down empties it.
      const [span] = yield* Effect.fail(new Error("Plivo refused +33639982002")).pipe(
        Effect.withSpan("PlivoSmsSender.send", { attributes: { note: "to 06 39 98 20 02" } }),
        Effect.ignore,
        Effect.andThen(() => exported.getFinishedSpans()),
        Effect.provide(Telemetry.layer(TelemetryConfig.off, {
          process: "test",
          spanProcessors: [new SimpleSpanProcessor(new Telemetry.MaskingSpanExporter(exported))]
        }))
      )
      const text = JSON.stringify([span?.attributes, span?.events, span?.status])
      expect(span?.name).toBe("PlivoSmsSender.send")
      expect(text).toContain("•• •• •• •• 02")
      expect(text).not.toMatch(/39.?98.?20.?02/)
    }))

  for (const db of databases) {
    const spans = new InMemorySpanExporter()
    layer(traced(db, spans), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      `traces and /metrics [${db.name}]`,
      (it) => {
        it.scoped("an RPC call is a span named after its tag, with its SQL statements as children and no bound values", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld("telemetry-rpc")
            spans.reset()
            const client = yield* rpcClient()
            yield* client.LogIn({ email: world.emails.memberA, password: Redacted.make(PASSWORD) })
            const finished = spans.getFinishedSpans()
            const rpc = finished.find((s) => s.name === "rpc.LogIn")
            expect(rpc).toBeDefined()
            const sql = descendants(finished, rpc!).filter((s) => s.name === "sql.execute")
            expect(sql.length).toBeGreaterThan(0)
            // The statement's text with its placeholders, never the values bound to them.
            expect(sql.every((s) => typeof s.attributes["db.query.text"] === "string")).toBe(true)
            const attributes = attributesOf(finished)
            expect(attributes).toContain("$1")
            expect(attributes).not.toContain(world.emails.memberA)
            expect(attributes).not.toContain(PASSWORD)
          }))

        it.scoped("a delivery cycle is a span with the Plivo call under it; /metrics counts the deliveries, the provider call and the queue", () =>
          Effect.gen(function*() {
            const sql = yield* SqlClient.SqlClient
            yield* sql`TRUNCATE deliveries, messages CASCADE`
            const before = yield* scrape()
            const sentBefore = sample(before.text, "vigie_deliveries_total", { channel: "sms", status: "sent" }) ?? 0
            const callsBefore = sample(before.text, "vigie_provider_request_duration_seconds_count", {
              provider: "plivo",
              operation: "sms"
            }) ?? 0
            yield* seedDeliveries({ sms: 3, email: 0, offset: 70_000 })
            // One more that is not due yet: the queue gauge counts it, the oldest-due age does not.
            yield* seedDeliveries({ sms: 1, email: 0, offset: 80_000, dueInSeconds: 3600 })
            const fake = yield* FakePlivo.scoped()
            const plivo = PlivoSmsSender.layerWith({
              authId: fake.authId,
              authToken: Redacted.make(fake.authToken),
              apiUrl: fake.apiUrl,
              from: "+33612345678"
            })
            spans.reset()
            const report = yield* DeliveryWorker.cycle("sms", 1000, unpaced, yield* plainRenderer, fast).pipe(
              Effect.provide(Layer.mergeAll(
                PgDeliveryRepo.layer,
                PgAlertRepo.layer,
                PgReferentBulletins.layer,
                recordingSenders().layer.pipe(Layer.merge(plivo))
              ))
            )
            expect(report).toMatchObject({ claimed: 3, sent: 3 })
            const finished = spans.getFinishedSpans()
            const cycle = finished.find((s) => s.name === "DeliveryWorker.cycle")
            expect(cycle?.attributes["channel"]).toBe("sms")
            expect(descendants(finished, cycle!).map((s) => s.name)).toContain("PlivoSmsSender.send")
            expect(attributesOf(finished)).not.toContain(seedPhone(70_001))

            // Scrapes within the sampling interval reuse the last figures: wait for fresh ones.
            yield* Effect.sleep(MetricsServer.SAMPLE_INTERVAL)
            const after = yield* scrape()
            expect(after.status).toBe(200)
            expect(sample(after.text, "vigie_deliveries_total", { channel: "sms", status: "sent" })).toBe(
              sentBefore + 3
            )
            expect(
              sample(after.text, "vigie_provider_request_duration_seconds_count", { provider: "plivo",
                operation: "sms" })
            )
              .toBe(callsBefore + 1)
            expect(after.text).toMatch(/vigie_provider_request_duration_seconds_bucket\{[^}]*provider="plivo"/)
            // Sampled from the database at scrape time.
            expect(sample(after.text, "vigie_delivery_queue_rows", { channel: "sms" })).toBe(1)
            expect(sample(after.text, "vigie_delivery_queue_due_rows", { channel: "sms" })).toBe(0)
            expect(sample(after.text, "vigie_delivery_oldest_due_seconds", { channel: "sms" })).toBe(0)
            expect(sample(after.text, "vigie_inbound_sms_backlog")).toBe(0)
            // Without the bearer token: refused.
            expect((yield* scrape("wrong")).status).toBe(401)
            expect((yield* scrape(null)).status).toBe(401)
          }))

        it.scoped("/metrics: RPC latency by tag, refused log-ins, overdue deliveries and a commune's budget", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld("telemetry-metrics")
            const sql = yield* SqlClient.SqlClient
            // A bulletin of 8,500 billed SMS parts this month, against the default budget of 10,000.
            yield* sql`INSERT INTO referent_bulletins (insee, author_id, origin, community_ids, text, created_at, sms_segments,
          billed_segments)
          VALUES ('33550', ${world.accounts.mairie.id}, 'mairie', ARRAY[gen_random_uuid()], 'Coupure d''eau', now(), 1, 8500)`
            yield* sql`TRUNCATE deliveries, messages CASCADE`
            yield* seedDeliveries({ sms: 2, email: 0, offset: 90_000, dueInSeconds: -120 })
            // Past the sampling interval of the previous test's scrapes.
            yield* Effect.sleep(MetricsServer.SAMPLE_INTERVAL)
            const before = yield* scrape()
            const failuresBefore = sample(before.text, "vigie_login_failures_total", {
              rpc: "LogIn",
              reason: "InvalidCredentials"
            }) ?? 0
            const client = yield* rpcClient()
            yield* Effect.flip(
              client.LogIn({ email: world.emails.memberA, password: Redacted.make("not the password") })
            )
            yield* client.LogIn({ email: world.emails.memberA, password: Redacted.make(PASSWORD) })
            const after = yield* scrape()
            expect(sample(after.text, "vigie_login_failures_total", { rpc: "LogIn", reason: "InvalidCredentials" }))
              .toBe(failuresBefore + 1)
            expect(sample(after.text, "vigie_rpc_failures_total", { rpc: "LogIn", error: "InvalidCredentials" }))
              .toBeGreaterThanOrEqual(1)
            expect(sample(after.text, "vigie_rpc_duration_seconds_count", { rpc: "LogIn" })).toBeGreaterThanOrEqual(2)
            expect(after.text).toMatch(/vigie_rpc_duration_seconds_bucket\{[^}]*rpc="LogIn"/)
            expect(sample(before.text, "vigie_delivery_queue_due_rows", { channel: "sms" })).toBe(2)
            expect(sample(before.text, "vigie_delivery_oldest_due_seconds", { channel: "sms" })).toBeGreaterThanOrEqual(
              119
            )
            expect(sample(before.text, "vigie_town_sms_budget_used_segments", { insee: "33550" })).toBe(8500)
            expect(sample(before.text, "vigie_town_sms_budget_segments", { insee: "33550" })).toBe(10_000)
            expect(sample(before.text, "vigie_town_sms_budget_used_ratio", { insee: "33550" })).toBe(0.85)
          }))
      }
    )
  }
})
