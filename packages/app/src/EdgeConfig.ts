import { Config, Duration } from "effect"

/** At most `perAddress` requests from one client address, and `platform` from all, per window. */
export interface Limit {
  readonly perAddress: number
  readonly platform: number
  readonly window: Duration.Duration
}

/**
 * The limits at the edge for unauthenticated traffic, each answered 429 with Retry-After:
 * - auth: the RPC calls anyone may make without a session (log-in, registration, password reset,
 *   phone codes), counted in PostgreSQL, so that they hold across every app process;
 * - webhooks: Plivo's webhooks, counted in each process (cheap: no write before the signature check);
 * - dev: the dev inbox (development, loopback only), counted in the process.
 */
export interface EdgeLimits {
  readonly auth: Limit
  readonly webhooks: Limit
  readonly dev: Limit
}

const positive = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "Expected a whole number of requests, at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(fallback)
  )

const limit = (prefix: string, defaults: { perAddress: number; platform: number; window: Duration.DurationInput }) =>
  Config.all({
    perAddress: positive(`${prefix}_PER_ADDRESS`, defaults.perAddress),
    platform: positive(`${prefix}_PLATFORM`, defaults.platform),
    window: Config.duration(`${prefix}_WINDOW`).pipe(
      Config.validate({ message: "Expected a duration of at least 1 second, e.g. 10 minutes", validation: (d) =>
        Duration.toMillis(d) >= 1000 }),
      Config.withDefault(Duration.decode(defaults.window))
    )
  })

/** The defaults, also what a server built without configuration (tests) would use if asked. */
export const defaults = {
  auth: { perAddress: 50, platform: 5000, window: "10 minutes" },
  webhooks: { perAddress: 6000, platform: 12000, window: "1 minute" },
  dev: { perAddress: 600, platform: 1200, window: "1 minute" }
} as const

/**
 * EDGE_AUTH_PER_ADDRESS, EDGE_AUTH_PLATFORM, EDGE_AUTH_WINDOW (50, 5000, 10 minutes: platform-wide);
 * EDGE_WEBHOOK_* (6000, 12000, 1 minute: per process); EDGE_DEV_* (600, 1200, 1 minute: per process).
 */
export const config: Config.Config<EdgeLimits> = Config.all({
  auth: limit("EDGE_AUTH", defaults.auth),
  webhooks: limit("EDGE_WEBHOOK", defaults.webhooks),
  dev: limit("EDGE_DEV", defaults.dev)
})
