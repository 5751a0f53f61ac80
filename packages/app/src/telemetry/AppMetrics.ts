/**
 * The platform's own metrics, as Effect metrics (free when nothing reads them; the telemetry layer
 * exports them to Prometheus and OTLP). Names follow Prometheus' conventions: `_total` for counters,
 * `_seconds` for durations. Labels stay of small, known cardinality: channel, status, RPC tag, error
 * tag, commune INSEE code (about 600 Mairies Vigilantes).
 */
import { Rpc, RpcSchema } from "@effect/rpc"
import { Cause, Context, Effect, Exit, Layer, Metric, MetricBoundaries, MetricLabel, Stream } from "effect"

/** Deliveries recorded by the workers, by channel (sms, email) and status (sent, retried, failed, dead). */
export const deliveries = Metric.counter("vigie_deliveries_total", {
  description: "Delivery attempts recorded by the delivery workers, by channel and outcome",
  incremental: true
})

/** Counts what one claim recorded (DeliveryWorker.cycle). */
export const recordDeliveries = (
  channel: string,
  recorded: { readonly sent: number; readonly retried: number; readonly failed: number; readonly dead: number }
) =>
  Effect.forEach(
    ["sent", "retried", "failed", "dead"] as const,
    (status) =>
      recorded[status] === 0
        ? Effect.void
        : Metric.incrementBy(
          Metric.taggedWithLabels(deliveries, [MetricLabel.make("channel", channel),
            MetricLabel.make("status", status)]),
          recorded[status]
        ),
    { discard: true }
  )

/** Seconds per RPC call (the handler, after the gate and the authentication), by RPC tag. 5 ms to about 40 s. */
export const rpcDuration = Metric.histogram(
  "vigie_rpc_duration_seconds",
  MetricBoundaries.exponential({ start: 0.005, factor: 2, count: 14 }),
  "Duration of one RPC call, in seconds, by RPC tag"
)

/** RPC calls that ended in a typed error (by tag and error) or a defect (error="defect"). */
export const rpcFailures = Metric.counter("vigie_rpc_failures_total", {
  description: "RPC calls that failed, by RPC tag and error tag",
  incremental: true
})

/** Refused log-ins (wrong password, throttled, suspended, wrong second factor), by RPC and reason. */
export const loginFailures = Metric.counter("vigie_login_failures_total", {
  description: "Log-in attempts refused, by step (LogIn, CompleteSignIn) and reason (the error tag)",
  incremental: true
})

/** The calls whose failure is a refused log-in: the password step and the second-factor step. */
export const LOGIN_RPCS: ReadonlySet<string> = new Set(["LogIn", "CompleteSignIn"])

/** Rows of the delivery queue (pending or sending), by channel. */
export const queueRows = Metric.gauge("vigie_delivery_queue_rows", {
  description: "Deliveries waiting (pending or sending), by channel"
})
/** Rows of the delivery queue due now, by channel. */
export const queueDueRows = Metric.gauge("vigie_delivery_queue_due_rows", {
  description: "Deliveries due now (their next attempt time has come), by channel"
})
/** Seconds since the oldest due delivery came due, by channel: how late the workers are. */
export const oldestDueSeconds = Metric.gauge("vigie_delivery_oldest_due_seconds", {
  description: "Age in seconds of the oldest due delivery, by channel (0 when none is due)"
})
/** Inbound SMS recorded by the webhook and not handled yet. */
export const inboundBacklog = Metric.gauge("vigie_inbound_sms_backlog", {
  description: "Inbound SMS recorded and not handled yet"
})
/** Seconds since the oldest unhandled inbound SMS arrived. */
export const inboundOldestSeconds = Metric.gauge("vigie_inbound_sms_oldest_seconds", {
  description: "Age in seconds of the oldest unhandled inbound SMS (0 when none)"
})
/** SMS parts a commune spent this month (town alerts and référent bulletins), by INSEE code. */
export const budgetUsedSegments = Metric.gauge("vigie_town_sms_budget_used_segments", {
  description: "Billed SMS parts a commune spent this month, by INSEE code"
})
/** A commune's monthly budget in SMS parts, by INSEE code. */
export const budgetSegments = Metric.gauge("vigie_town_sms_budget_segments", {
  description: "A commune's monthly SMS budget in billed parts, by INSEE code"
})
/** Used / budget, by INSEE code: 1 means the month's budget is spent. */
export const budgetUsedRatio = Metric.gauge("vigie_town_sms_budget_used_ratio", {
  description: "Share of a commune's monthly SMS budget spent (0 to 1), by INSEE code"
})
/** Scrapes whose figures could not be read (the database down or slow): the gauges are then stale. */
export const sampleFailures = Metric.counter("vigie_metrics_sample_failures_total", {
  description: "Scrapes whose database figures could not be read (the gauges kept their last values)",
  incremental: true
})

const elapsedSince = (start: number) => (performance.now() - start) / 1000

/** Times one call and counts its failure; a refused log-in also counts in vigie_login_failures_total. */
const measuredCall = <A, E, R>(tag: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const start = performance.now()
    return Effect.onExit(effect, (exit) => {
      const timed = Metric.update(
        Metric.taggedWithLabels(rpcDuration, [MetricLabel.make("rpc", tag)]),
        elapsedSince(start)
      )
      if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return timed
      const failure = Cause.failureOption(exit.cause)
      const error = failure._tag === "Some" ? errorTag(failure.value) : "defect"
      return Effect.all([
        timed,
        Metric.increment(
          Metric.taggedWithLabels(rpcFailures, [MetricLabel.make("rpc", tag), MetricLabel.make("error", error)])
        ),
        LOGIN_RPCS.has(tag) && failure._tag === "Some"
          ? Metric.increment(
            Metric.taggedWithLabels(loginFailures, [MetricLabel.make("rpc", tag), MetricLabel.make("reason", error)])
          )
          : Effect.void
      ], { discard: true })
    })
  })

const errorTag = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
    ? error._tag
    : "unknown"

/**
 * `handlers` with every non-streaming handler of `group` timed (vigie_rpc_duration_seconds) and its
 * failures counted: the RPC server finds each handler in the context by its RPC's key, so replacing
 * the entries measures every call without touching the handlers. Streams (live feeds) stay as they
 * are: their length is the visitor's, not the server's.
 */
export const measuredHandlers = <ROut, E, RIn>(
  group: { readonly requests: ReadonlyMap<string, unknown> },
  handlers: Layer.Layer<ROut, E, RIn>
): Layer.Layer<ROut, E, RIn> =>
  Layer.map(handlers, (context) => {
    let out = context
    for (const rpc of group.requests.values() as Iterable<Rpc.AnyWithProps>) {
      const entry = context.unsafeMap.get(rpc.key) as Rpc.Handler<string> | undefined
      if (entry === undefined || RpcSchema.isStreamSchema(rpc.successSchema)) continue
      const handler: Rpc.Handler<string>["handler"] = (payload, options) => {
        const result: object = entry.handler(payload, options)
        if (Rpc.isWrapper(result)) {
          const wrapped = Rpc.wrap({ fork: result.fork, uninterruptible: result.uninterruptible })
          return wrapped(measuredCall(rpc._tag, result.value as Effect.Effect<unknown, unknown>)) as never
        }
        if (Stream.StreamTypeId in result) return result as Stream.Stream<unknown, unknown>
        return measuredCall(rpc._tag, result as Effect.Effect<unknown, unknown>)
      }
      out = Context.add(out, Context.GenericTag<never, Rpc.Handler<string>>(rpc.key), { ...entry, handler })
    }
    return out
  })
