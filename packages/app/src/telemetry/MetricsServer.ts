/**
 * GET /metrics on its own port (METRICS_PORT), in the Prometheus text format: every Effect metric of
 * the process (deliveries, RPC latency, provider calls, log-in failures) and, sampled from the
 * database at scrape time (at most once every few seconds, whatever the number of scrapers), the
 * queue, inbound backlog and budget gauges. Its own port keeps it off the public site: the reverse
 * proxy never routes to it; METRICS_TOKEN adds a bearer token where the network is shared.
 */
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { timingSafeEqual } from "node:crypto"
import { SqlClient } from "@effect/sql"
import * as PgOperationalFigures from "@vigie/adapters/sql/PgOperationalFigures"
import { Context, Duration, Effect, Layer, Metric, MetricLabel, Option, Redacted, Runtime } from "effect"
import type { PrometheusConfig } from "../TelemetryConfig.js"
import * as AppMetrics from "./AppMetrics.js"
import { PrometheusReader } from "./Telemetry.js"

/** Where the metrics server listens (METRICS_PORT=0 asks for any free port: tests). */
export class MetricsAddress extends Context.Tag("@vigie/app/MetricsAddress")<MetricsAddress, { readonly url: URL }>() {}

/** Scrapes closer together than this reuse the last figures: one query per interval however many scrapers. */
export const SAMPLE_INTERVAL = Duration.seconds(5)

/** A scrape waits at most this long for the figures, then serves the last ones. */
export const SAMPLE_TIMEOUT = Duration.seconds(3)

const tagged = <T extends Metric.Metric.Gauge<number>>(gauge: T, labels: Record<string, string>) =>
  Metric.taggedWithLabels(gauge, Object.entries(labels).map(([k, v]) => MetricLabel.make(k, v)))

/**
 * Reads the figures and sets the gauges. Communes seen before and absent now spent nothing this month
 * (a new month began): their gauges go back to 0 rather than keep last month's figures.
 */
export const makeSampler = (defaultMonthlySegments: number) =>
  Effect.sync(() => {
    const communesSeen = new Set<string>()
    const channelsSeen = new Set<string>(["sms", "email"])
    return PgOperationalFigures.read(defaultMonthlySegments).pipe(
      Effect.flatMap((figures) =>
        Effect.sync(() => {
          const queues = new Map(figures.queues.map((q) => [q.channel, q]))
          for (const q of figures.queues) channelsSeen.add(q.channel)
          const budgets = new Map(figures.budgets.map((b) => [b.insee, b]))
          for (const b of figures.budgets) communesSeen.add(b.insee)
          return { queues, budgets, figures }
        })
      ),
      Effect.flatMap(({ budgets, figures, queues }) =>
        Effect.all([
          ...[...channelsSeen].flatMap((channel) => {
            const q = queues.get(channel)
            return [
              Metric.set(tagged(AppMetrics.queueRows, { channel }), q?.queued ?? 0),
              Metric.set(tagged(AppMetrics.queueDueRows, { channel }), q?.due ?? 0),
              Metric.set(tagged(AppMetrics.oldestDueSeconds, { channel }), q?.oldestDueSeconds ?? 0)
            ]
          }),
          Metric.set(AppMetrics.inboundBacklog, figures.inboundBacklog),
          Metric.set(AppMetrics.inboundOldestSeconds, figures.inboundOldestSeconds),
          ...[...communesSeen].flatMap((insee) => {
            const b = budgets.get(insee)
            const monthly = b?.monthlySegments ?? defaultMonthlySegments
            const used = b?.usedSegments ?? 0
            return [
              Metric.set(tagged(AppMetrics.budgetUsedSegments, { insee }), used),
              Metric.set(tagged(AppMetrics.budgetSegments, { insee }), monthly),
              // A budget of 0 parts is spent from the start.
              Metric.set(tagged(AppMetrics.budgetUsedRatio, { insee }), monthly === 0 ? 1 : used / monthly)
            ]
          })
        ], { discard: true })
      )
    )
  })

const bearerMatches = (header: string | undefined, token: Redacted.Redacted): boolean => {
  const expected = Buffer.from(`Bearer ${Redacted.value(token) as string}`)
  const given = Buffer.from(header ?? "")
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * The metrics server, for as long as the layer lives. Needs the Prometheus reader (Telemetry.layer
 * with METRICS_PORT set) and the database for the gauges; `defaultMonthlySegments` is
 * TOWN_SMS_MONTHLY_BUDGET.
 */
export const layer = (
  config: PrometheusConfig,
  defaultMonthlySegments: number
): Layer.Layer<MetricsAddress, never, PrometheusReader | SqlClient.SqlClient> =>
  Layer.scoped(
    MetricsAddress,
    Effect.gen(function*() {
      const reader = yield* PrometheusReader
      if (Option.isNone(reader)) return yield* Effect.dieMessage("METRICS_PORT is set but no Prometheus reader exists")
      const sampler = yield* makeSampler(defaultMonthlySegments)
      let sampledAt = Number.NEGATIVE_INFINITY
      let inFlight: Promise<void> | undefined
      const runtime = yield* Effect.runtime<SqlClient.SqlClient>()
      const sample = sampler.pipe(
        Effect.timeoutFail({ duration: SAMPLE_TIMEOUT, onTimeout: () => new Error("figures not read in time") }),
        Effect.catchAllCause((cause) =>
          Effect.logWarning("metrics: database figures not read; serving the last ones", cause).pipe(
            Effect.zipRight(Metric.increment(AppMetrics.sampleFailures))
          )
        ),
        Effect.withSpan("MetricsServer.sample")
      )
      // One sample at a time and at most one per interval: scrapers never multiply the queries.
      const fresh = (): Promise<void> => {
        if (inFlight !== undefined) return inFlight
        if (performance.now() - sampledAt < Duration.toMillis(SAMPLE_INTERVAL)) return Promise.resolve()
        sampledAt = performance.now()
        inFlight = Runtime.runPromise(runtime, sample).finally(() => {
          inFlight = undefined
        })
        return inFlight
      }
      const handle = (request: IncomingMessage, response: ServerResponse) => {
        const path = (request.url ?? "/").split("?")[0]
        if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
          response.writeHead(404, { "content-type": "text/plain" }).end("Not found: GET /metrics\n")
          return
        }
        if (Option.isSome(config.token) && !bearerMatches(request.headers.authorization, config.token.value)) {
          response.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("Unauthorized\n")
          return
        }
        void fresh().then(() => reader.value.getMetricsRequestHandler(request, response))
      }
      const server = createServer(handle)
      const address = yield* Effect.async<AddressInfo, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(config.port, config.host, () => resume(Effect.succeed(server.address() as AddressInfo)))
      }).pipe(Effect.orDie)
      yield* Effect.addFinalizer(() =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
      )
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address
      const url = new URL(`http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}/metrics`)
      yield* Effect.logInfo("metrics served").pipe(Effect.annotateLogs({ url: url.href }))
      return { url }
    })
  )
