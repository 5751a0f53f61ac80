/**
 * The process's logger: JSON lines in production (one object per line: timestamp, level, message,
 * annotations such as requestId, the span names, the trace and span ids when traced), readable text
 * in development (Effect's usual "timestamp=… level=… message=…"). Every line goes through
 * `maskPhoneNumbers` last, so that a phone number echoed by a provider's or the database's error
 * never reaches the logs whole; codes, passwords and tokens are never logged in the first place
 * (they are Redacted values, shown as "<redacted>").
 */
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import { Context, Effect, FiberRef, FiberRefs, Layer, Logger, LogLevel, Option, Tracer } from "effect"
import * as TelemetryConfig from "../TelemetryConfig.js"
import type { LoggingConfig, LogFormat } from "../TelemetryConfig.js"

/** JSON.stringify that survives cycles and bigints: a log line must never throw. */
const safeJson = (value: unknown): string => {
  const seen = new WeakSet<object>()
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString()
    if (typeof v === "object" && v !== null) {
      if (seen.has(v)) return "[Circular]"
      seen.add(v)
    }
    return v
  })
}

const currentSpan = (context: FiberRefs.FiberRefs): Option.Option<Tracer.AnySpan> =>
  Context.getOption(FiberRefs.getOrDefault(context, FiberRef.currentContext), Tracer.ParentSpan)

/** A logger writing each line (already masked) through `write`. */
export const makeLogger = (format: LogFormat, write: (line: string) => void): Logger.Logger<unknown, void> =>
  format === "text"
    ? Logger.make((options) => write(maskPhoneNumbers(Logger.stringLogger.log(options))))
    : Logger.make((options) => {
      const fields = Logger.structuredLogger.log(options)
      const span = currentSpan(options.context)
      const traced = Option.isSome(span)
        ? { ...fields, traceId: span.value.traceId, spanId: span.value.spanId }
        : fields
      write(maskPhoneNumbers(safeJson(traced)))
    })

/** Writes to standard output, one line per entry. */
const stdout = (line: string) => {
  process.stdout.write(line + "\n")
}

/** The process's logger and minimum level, replacing Effect's default logger. */
export const layer = (config: LoggingConfig, write: (line: string) => void = stdout): Layer.Layer<never> =>
  Layer.merge(
    Logger.replace(Logger.defaultLogger, makeLogger(config.format, write)),
    Logger.minimumLogLevel(config.level)
  )

/**
 * The logger LOG_FORMAT and LOG_LEVEL ask for (json in production, text in development). A malformed
 * value falls back to JSON at info here; the start-up check reports it with the rest.
 */
export const layerFromEnv: Layer.Layer<never> = Layer.unwrapEffect(
  Effect.map(
    Effect.orElseSucceed(TelemetryConfig.logging, () => ({ format: "json" as const, level: LogLevel.Info })),
    (config) => layer(config)
  )
)
