/**
 * What every call to a provider (Plivo, SES, the outboxes) costs and how often it fails, for the
 * Prometheus scrape (`vigie_provider_request_duration_seconds`, `vigie_provider_errors_total`).
 * Effect metrics: free when nothing reads them, exported by the app's telemetry when it is on.
 */
import { Effect, Exit, Metric, MetricBoundaries, MetricLabel } from "effect"

/** Seconds per provider call, by provider (plivo, ses, outbox) and operation (sms, email). 10 ms to about 40 s. */
export const requestDuration = Metric.histogram(
  "vigie_provider_request_duration_seconds",
  MetricBoundaries.exponential({ start: 0.01, factor: 2, count: 13 }),
  "Duration of one call to an SMS or e-mail provider, in seconds"
)

/** Failed provider calls, by provider, operation and kind (rejected: refused for good; unavailable: retried). */
export const errors = Metric.counter("vigie_provider_errors_total", {
  description: "Calls to an SMS or e-mail provider that failed",
  incremental: true
})

export interface ProviderCall {
  readonly provider: string
  readonly operation: string
}

/**
 * Times `self` as one provider call and counts its failure by `kindOf` (an interruption is neither).
 * Wall-clock time, not the Effect clock: it measures the provider, not the test's TestClock.
 */
export const measured =
  <E>(call: ProviderCall, kindOf: (error: E) => string) =>
  <A, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      const start = performance.now()
      return Effect.onExit(self, (exit) => {
        const seconds = (performance.now() - start) / 1000
        const timed = Metric.update(
          Metric.taggedWithLabels(requestDuration, [MetricLabel.make("provider", call.provider),
            MetricLabel.make("operation", call.operation)]),
          seconds
        )
        if (Exit.isSuccess(exit) || Exit.isInterrupted(exit)) return timed
        const failure = exit.cause._tag === "Fail" ? kindOf(exit.cause.error) : "defect"
        return Effect.zipRight(
          timed,
          Metric.increment(
            Metric.taggedWithLabels(errors, [MetricLabel.make("provider", call.provider),
              MetricLabel.make("operation", call.operation), MetricLabel.make("kind", failure)])
          )
        )
      })
    })
