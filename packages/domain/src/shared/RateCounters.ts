import { Context } from "effect"
import type { Effect } from "effect"

/** One counter: at most `limit` hits of `key` in each fixed window. */
export interface RateBucket {
  readonly key: string
  readonly limit: number
}

/** Counted, or refused because `key` is over its limit until its window ends. */
export type RateOutcome =
  | { readonly _tag: "Allowed" }
  | { readonly _tag: "Limited"; readonly key: string; readonly retryAfterSeconds: number }

/**
 * Counters of fixed windows, for limits at the edge (requests per client address and for the whole
 * platform). `hit` counts `cost` hits in each bucket's current window, in order, and stops at the
 * first bucket over its limit: the later ones are not counted (an address already refused does not
 * use up the platform's ceiling). Each count is atomic: of N concurrent hits on a bucket of limit L,
 * exactly L are allowed.
 */
export class RateCounters extends Context.Tag("@vigie/domain/RateCounters")<
  RateCounters,
  {
    readonly hit: (
      buckets: ReadonlyArray<RateBucket>,
      windowMillis: number,
      cost?: number
    ) => Effect.Effect<RateOutcome>
  }
>() {}

/** The fixed window `now` falls in: its start, and the whole seconds until it ends (at least 1). */
export const windowAt = (nowMillis: number, windowMillis: number) => {
  const start = Math.floor(nowMillis / windowMillis) * windowMillis
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMillis - nowMillis) / 1000)) }
}
