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
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import { Context, Effect, Layer, Option } from "effect"
import type { TelemetryConfig } from "../TelemetryConfig.js"

/** The Prometheus reader the /metrics server renders (None: METRICS_PORT unset). */
export class PrometheusReader extends Context.Tag("@vigie/app/PrometheusReader")<
  PrometheusReader,
  Option.Option<PrometheusExporter>
>() {}

const maskValue = (value: unknown): unknown =>
  typeof value === "string"
    ? maskPhoneNumbers(value)
    : Array.isArray(value)
    ? value.map((v: unknown) => typeof v === "string" ? maskPhoneNumbers(v) : v)
    : value

const maskAttributes = <A extends Readonly<Record<string, unknown>> | undefined>(attributes: A): A =>
  attributes === undefined
    ? attributes
    : Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, maskValue(v)])) as A

/**
 * A span as exported, its phone numbers masked: attributes, events (an error's message and stack)
 * and status. The statements' values never reach spans, but a database or provider error's message
 * may quote one (the row that broke a constraint, the number Plivo refused). The copy keeps the
 * span as its prototype, so every other field and method reads through.
 */
export const maskSpan = (span: ReadableSpan): ReadableSpan =>
  Object.assign(Object.create(span) as ReadableSpan, {
    attributes: maskAttributes(span.attributes),
    events: span.events.map((event) => ({ ...event, attributes: maskAttributes(event.attributes) })),
    status: span.status.message === undefined
      ? span.status
      : { ...span.status, message: maskPhoneNumbers(span.status.message) }
  })

/** `exporter` with every span masked first (maskSpan). */
export class MaskingSpanExporter implements SpanExporter {
  constructor(readonly exporter: SpanExporter) {}
  export(spans: Array<ReadableSpan>, resultCallback: Parameters<SpanExporter["export"]>[1]): void {
    this.exporter.export(spans.map(maskSpan), resultCallback)
  }
  shutdown(): Promise<void> {
    return this.exporter.shutdown()
  }
  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve()
  }
}

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
        onSome: (url) => [new BatchSpanProcessor(new MaskingSpanExporter(new OTLPTraceExporter({ url })))]
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
