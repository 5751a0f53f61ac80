/**
 * OpenTelemetry for a process (`serve` or `worker`), built from TelemetryConfig: the span exporter
 * (OTLP over HTTP) and the metric readers (Prometheus, OTLP) fed by every Effect metric through
 * @effect/opentelemetry. With nothing configured it installs nothing: Effect's own spans stay
 * in memory and nothing is exported.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import type { MetricReader } from "@opentelemetry/sdk-metrics"
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Context, Effect, Layer, Option } from "effect"
import type { TelemetryConfig } from "../TelemetryConfig.js"

/** The Prometheus reader the /metrics server renders (None: METRICS_PORT unset). */
export class PrometheusReader extends Context.Tag("@vigie/app/PrometheusReader")<
  PrometheusReader,
  Option.Option<PrometheusExporter>
>() {}

export interface TelemetryOptions {
  /** serve or worker: the `vigie.process` resource attribute, to tell the processes apart. */
  readonly process: string
  /** Span processors instead of the configured exporter (tests: an in-memory exporter). */
  readonly spanProcessors?: ReadonlyArray<SpanProcessor>
}

/**
 * The telemetry of one process, for as long as the layer lives: on release the span processors are
 * flushed and the readers shut down (at most 3 s each).
 */
export const layer = (config: TelemetryConfig, options: TelemetryOptions): Layer.Layer<PrometheusReader> =>
  Layer.unwrapEffect(Effect.sync(() => {
    const spanProcessors: Array<SpanProcessor> = options.spanProcessors !== undefined
      ? [...options.spanProcessors]
      : Option.match(config.otlp.tracesUrl, {
        onNone: () => [],
        onSome: (url) => [new BatchSpanProcessor(new OTLPTraceExporter({ url }))]
      })
    // Rendered on demand by the /metrics server (MetricsServer), which also samples the gauges first.
    const prometheus = Option.map(
      config.prometheus,
      () => new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true })
    )
    const metricReaders: Array<MetricReader> = [
      ...Option.toArray(prometheus),
      ...Option.toArray(Option.map(config.otlp.metricsUrl, (url) =>
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url }),
          exportIntervalMillis: config.otlp.metricsIntervalMillis
        })))
    ]
    const reader = Layer.succeed(PrometheusReader, prometheus)
    if (spanProcessors.length === 0 && metricReaders.length === 0) return reader
    return Layer.merge(
      reader,
      NodeSdk.layer(() => ({
        ...(spanProcessors.length === 0 ? {} : { spanProcessor: spanProcessors }),
        ...(metricReaders.length === 0 ? {} : { metricReader: metricReaders }),
        resource: { serviceName: config.otlp.serviceName, attributes: { "vigie.process": options.process } }
      }))
    )
  }))
