import { RateCounters, windowAt } from "@vigie/domain/shared/RateCounters"
import type { RateBucket, RateOutcome } from "@vigie/domain/shared/RateCounters"
import { Clock, Effect, Layer } from "effect"

/**
 * Counters kept in this process: no write anywhere, so cheap enough for every webhook call, but each
 * process counts on its own (a "platform" bucket is then per process). Windows of the past are
 * dropped when a new window begins.
 */
export const make = (): RateCounters["Type"] => {
  let currentWindow = -1
  const counts = new Map<string, number>()
  const hit = (buckets: ReadonlyArray<RateBucket>, windowMillis: number, cost = 1) =>
    Effect.map(Clock.currentTimeMillis, (now): RateOutcome => {
      const { retryAfterSeconds, start } = windowAt(now, windowMillis)
      if (start !== currentWindow) {
        currentWindow = start
        counts.clear()
      }
      for (const bucket of buckets) {
        const key = `${windowMillis}:${bucket.key}`
        const hits = (counts.get(key) ?? 0) + cost
        counts.set(key, hits)
        if (hits > bucket.limit) return { _tag: "Limited", key: bucket.key, retryAfterSeconds }
      }
      return { _tag: "Allowed" }
    })
  return RateCounters.of({ hit })
}

export const layer = Layer.sync(RateCounters, make)
