/**
 * The process's logger: JSON lines in production (one object per line: timestamp, level, message,
 * annotations such as requestId, the span names, the trace and span ids when traced), readable text
 * in development (Effect's pretty logger, as before). Every line goes through
 * `maskPhoneNumbers` last, so that a phone number echoed by a provider's or the database's error
 * never reaches the logs whole; codes, passwords and tokens are never logged in the first place
 * (they are Redacted values, shown as "<redacted>").
 */
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import { format as formatArgs } from "node:util"
import {
  Console,
  Context,
  DefaultServices,
  Effect,
  FiberRef,
  FiberRefs,
  Layer,
  Logger,
  LogLevel,
  Option,
  Tracer
} from "effect"
import type { FiberId } from "effect"
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

/**
 * The pretty logger writing through `write`: it prints through the Console service of the fiber, so
 * a console that formats, indents (its groups) and masks each line takes its place.
 */
const prettyThrough = (write: (line: string) => void): Logger.Logger<unknown, void> => {
  const pretty = Logger.prettyLogger({ colors: false })
  let indent = ""
  const line = (...args: ReadonlyArray<unknown>) => write(maskPhoneNumbers(indent + formatArgs(...args)))
  const unsafe = {
    ...globalThis.console,
    log: line,
    error: line,
    group: () => {
      indent += "  "
    },
    groupEnd: () => {
      indent = indent.slice(2)
    }
  }
  const console = { [Console.TypeId]: Console.TypeId, unsafe } as unknown as Console.Console
  return Logger.make((options) => {
    const services = FiberRefs.getOrDefault(options.context, DefaultServices.currentServices)
    pretty.log({
      ...options,
      context: FiberRefs.updateAs(options.context, {
        fiberId: options.fiberId as FiberId.Single,
        fiberRef: DefaultServices.currentServices,
        value: Context.add(services, Console.Console, console)
      })
    })
  })
}

/** A logger writing each line (already masked) through `write`. */
export const makeLogger = (format: LogFormat, write: (line: string) => void): Logger.Logger<unknown, void> =>
  format === "text"
    ? prettyThrough(write)
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

/**
 * The process's logger and minimum level, replacing Effect's default logger (the entry points run
 * with NodeRuntime.runMain's own pretty logger disabled, so that it is the only one).
 */
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
