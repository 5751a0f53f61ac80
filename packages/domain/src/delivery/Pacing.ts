import { Clock, Duration, Effect, Ref, Schema } from "effect"

/** A provider's pace: `ratePerSecond` messages per second on average, bursts up to `burst`. */
export interface PaceConfig {
  readonly ratePerSecond: number
  /** Tokens the bucket holds when full: how many messages may go at once after a quiet spell. */
  readonly burst: number
}

/** A token bucket at one instant: `tokens` may be negative while admitted messages are paid off. */
export interface BucketState {
  readonly tokens: number
  readonly at: number
}

/** A full bucket at `now` (epoch milliseconds). */
export const full = (config: PaceConfig, now: number): BucketState => ({ tokens: config.burst, at: now })

/** The bucket at `now`: refilled at the rate since its last instant, never above `burst`. */
export const refill = (state: BucketState, now: number, config: PaceConfig): BucketState =>
  now <= state.at
    ? state
    : {
      tokens: Math.max(
        state.tokens,
        Math.min(config.burst, state.tokens + ((now - state.at) / 1000) * config.ratePerSecond)
      ),
      at: now
    }

/**
 * Admits `n` messages at `now`: how long to wait before handing them to the provider, and the bucket
 * after. The wait is what the bucket lacks at the rate, so in a steady stream a batch of N waits
 * N / rate, and any span of T seconds admits at most `burst + rate · T` messages. A batch larger than
 * `burst` is admitted too (the bucket goes into debt and the next batches wait longer).
 */
export const admit = (
  state: BucketState,
  n: number,
  now: number,
  config: PaceConfig
): { readonly waitMillis: number; readonly state: BucketState } => {
  const current = refill(state, now, config)
  const lacking = n - current.tokens
  const waitMillis = lacking <= 0 ? 0 : Math.ceil((lacking / config.ratePerSecond) * 1000)
  return { waitMillis, state: { tokens: current.tokens - n, at: current.at } }
}

/**
 * How many messages to claim in one go so that pacing keeps each claim short: about `window` worth
 * at the rate, at least 1, at most the provider's batch limit.
 */
export const claimSize = (config: PaceConfig, window: Duration.DurationInput, providerLimit: number): number =>
  Math.max(1, Math.min(providerLimit, Math.floor(config.ratePerSecond * Duration.toSeconds(window))))

/**
 * The shared pace could not be asked (its database is unreachable): the batch must not go out, since
 * sending unpaced could exceed the provider's rate for the whole account.
 */
export class PaceUnavailable extends Schema.TaggedError<PaceUnavailable>()("PaceUnavailable", {
  reason: Schema.String
}) {}

/** A pacer for one provider: in this process only (`makePacer`), or shared by every process (ProviderPace). */
export interface Pacer {
  /** Waits until `n` more messages may go out, then counts them as gone. */
  readonly admit: (n: number) => Effect.Effect<void, PaceUnavailable>
}

/** A token bucket on the Effect `Clock` (a TestClock drives it in tests), starting full. */
export const makePacer = (config: PaceConfig): Effect.Effect<Pacer> =>
  Effect.gen(function*() {
    if (!(config.ratePerSecond > 0) || !(config.burst >= 1)) {
      return yield* Effect.dieMessage("a pace needs a positive rate and a burst of at least 1")
    }
    const state = yield* Ref.make(full(config, yield* Clock.currentTimeMillis))
    return {
      admit: (n) =>
        n <= 0 ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Ref.modify(state, (s) => {
            const next = admit(s, n, now, config)
            return [next.waitMillis, next.state]
          })).pipe(Effect.flatMap((wait) => (wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void)))
    }
  })

/** No pacing at all (benchmarks with zero-latency fakes). */
export const unpaced: Pacer = { admit: () => Effect.void }
