/**
 * Telemetry settings, all optional, all off by default (no endpoint: no exporter, no cost):
 * - traces: the standard OpenTelemetry variables. OTEL_SDK_DISABLED=true turns OTLP export off;
 *   OTEL_TRACES_EXPORTER (otlp | none; default otlp when an endpoint is set, else none);
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL, e.g. http://collector:4318/v1/traces) or
 *   OTEL_EXPORTER_OTLP_ENDPOINT (the base URL; /v1/traces is appended); OTEL_SERVICE_NAME (default
 *   vigie). OTLP over HTTP (protobuf). OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES and
 *   OTEL_TRACES_SAMPLER(_ARG) are read by the OpenTelemetry SDK itself.
 * - metrics over OTLP: OTEL_METRICS_EXPORTER=otlp (default none) with the same endpoints
 *   (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, or the base + /v1/metrics), every OTEL_METRIC_EXPORT_INTERVAL
 *   milliseconds (default 60000).
 * - Prometheus: METRICS_PORT (unset: no metrics server) serves GET /metrics on its own port, on
 *   METRICS_HOST (default 0.0.0.0: the scraper comes from the pod or compose network; the port is
 *   never published by the reverse proxy), optionally behind METRICS_TOKEN (a bearer token).
 * - logs: LOG_FORMAT (json | text; default json in production, text in development) and LOG_LEVEL
 *   (debug | info | warning | error; default info).
 */
import { Config, ConfigError, Either, LogLevel, Option } from "effect"
import type { Redacted } from "effect"

export type LogFormat = "json" | "text"

export interface LoggingConfig {
  readonly format: LogFormat
  readonly level: LogLevel.LogLevel
}

export interface OtlpConfig {
  /** The traces' endpoint, the full URL (…/v1/traces); None: no trace exporter. */
  readonly tracesUrl: Option.Option<string>
  /** The metrics' endpoint (…/v1/metrics); None: no OTLP metrics. */
  readonly metricsUrl: Option.Option<string>
  readonly metricsIntervalMillis: number
  readonly serviceName: string
}

export interface PrometheusConfig {
  readonly port: number
  readonly host: string
  readonly token: Option.Option<Redacted.Redacted>
}

export interface TelemetryConfig {
  readonly otlp: OtlpConfig
  /** None: no /metrics server (METRICS_PORT unset). */
  readonly prometheus: Option.Option<PrometheusConfig>
  readonly logging: LoggingConfig
}

const url = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail((value) => {
      if (Option.isNone(value) || value.value.trim() === "") return Either.right(Option.none<string>())
      try {
        const parsed = new URL(value.value.trim())
        if (parsed.protocol === "http:" || parsed.protocol === "https:") return Either.right(Option.some(parsed.href))
      } catch {
        // reported below
      }
      return Either.left(
        ConfigError.InvalidData([name], "must be an http(s):// address, e.g. http://otel-collector:4318")
      )
    })
  )

/** otlp or none (the other exporters of the specification, console, zipkin…, are not built in). */
const exporterChoice = (name: string) => Config.option(Config.literal("otlp", "none")(name))

/** The base endpoint with the signal's path appended, as the OpenTelemetry specification says. */
const signalUrl = (base: string, signal: "traces" | "metrics") => `${base.replace(/\/+$/, "")}/v1/${signal}`

const levels = {
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error
} as const

/** LOG_FORMAT and LOG_LEVEL, with VIGIE_ENV's default format (json in production, text in development). */
export const logging: Config.Config<LoggingConfig> = Config.all({
  env: Config.literal("development", "production")("VIGIE_ENV").pipe(Config.withDefault("production" as const)),
  format: Config.option(Config.literal("json", "text")("LOG_FORMAT")),
  level: Config.literal("debug", "info", "warning", "error")("LOG_LEVEL").pipe(Config.withDefault("info" as const))
}).pipe(Config.map(({ env, format, level }) => ({
  format: Option.getOrElse(format, () => env === "production" ? "json" as const : "text" as const),
  level: levels[level]
})))

/** Everything above, read and checked at start with the rest of the configuration. */
export const config: Config.Config<TelemetryConfig> = Config.all({
  disabled: Config.boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false)),
  tracesExporter: exporterChoice("OTEL_TRACES_EXPORTER"),
  metricsExporter: exporterChoice("OTEL_METRICS_EXPORTER"),
  endpoint: url("OTEL_EXPORTER_OTLP_ENDPOINT"),
  tracesEndpoint: url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
  metricsEndpoint: url("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
  interval: Config.integer("OTEL_METRIC_EXPORT_INTERVAL").pipe(
    Config.validate({ message: "must be a number of milliseconds, at least 1000", validation: (n) => n >= 1000 }),
    Config.withDefault(60_000)
  ),
  serviceName: Config.string("OTEL_SERVICE_NAME").pipe(
    Config.validate({ message: "must not be empty", validation: (s) => s.trim() !== "" }),
    Config.withDefault("vigie")
  ),
  metricsPort: Config.option(
    Config.integer("METRICS_PORT").pipe(
      Config.validate({ message: "must be a port number from 0 to 65535", validation: (n) => n >= 0 && n <= 65_535 })
    )
  ),
  metricsHost: Config.string("METRICS_HOST").pipe(
    Config.validate({ message: "must be an address to listen on, e.g. 0.0.0.0 or 127.0.0.1", validation: (h) =>
      h.trim() !== "" }),
    Config.withDefault("0.0.0.0")
  ),
  metricsToken: Config.option(Config.redacted("METRICS_TOKEN")),
  logging
}).pipe(Config.mapOrFail((c): Either.Either<TelemetryConfig, ConfigError.ConfigError> => {
  const tracesUrl = Option.orElse(c.tracesEndpoint, () => Option.map(c.endpoint, (base) => signalUrl(base, "traces")))
  const metricsUrl = Option.orElse(
    c.metricsEndpoint,
    () => Option.map(c.endpoint, (base) => signalUrl(base, "metrics"))
  )
  const tracesOn = !c.disabled && Option.getOrElse(c.tracesExporter, () => "otlp") === "otlp"
  const metricsOn = !c.disabled && Option.getOrElse(c.metricsExporter, () => "none") === "otlp"
  if (metricsOn && Option.isNone(metricsUrl)) {
    return Either.left(ConfigError.InvalidData(
      ["OTEL_METRICS_EXPORTER"],
      "is otlp but no endpoint is set: set OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
    ))
  }
  return Either.right({
    otlp: {
      tracesUrl: tracesOn ? tracesUrl : Option.none(),
      metricsUrl: metricsOn ? metricsUrl : Option.none(),
      metricsIntervalMillis: c.interval,
      serviceName: c.serviceName.trim()
    },
    prometheus: Option.map(c.metricsPort, (port) => ({ port, host: c.metricsHost.trim(), token: c.metricsToken })),
    logging: c.logging
  })
}))

/** Nothing exported, readable logs: tests and tools. */
export const off: TelemetryConfig = {
  otlp: { tracesUrl: Option.none(), metricsUrl: Option.none(), metricsIntervalMillis: 60_000, serviceName: "vigie" },
  prometheus: Option.none(),
  logging: { format: "text", level: LogLevel.Info }
}
