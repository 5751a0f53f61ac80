import { Trust } from "@vigie/domain/trust/Trust"
import { DEFAULT_TRUST, type TrustSettings } from "@vigie/domain/trust/TrustPolicy"
import { Config, Layer } from "effect"

const atLeast = (name: string, min: number, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `must be a whole number of at least ${min}`, validation: (n) => n >= min }),
    Config.withDefault(fallback)
  )

/**
 * The trust policy's settings from the environment: TRUST_HELD_FIRST_ALERTS (a member's first alerts
 * held for review, default 2; 0 holds none for being new), TRUST_MEMBER_BURST and
 * TRUST_COMMUNITY_BURST (more alerts than this from one member / in one community within
 * TRUST_BURST_WINDOW are held; defaults 3 and 10 in 30 minutes).
 */
export const config: Config.Config<TrustSettings> = Config.all({
  heldFirstAlerts: atLeast("TRUST_HELD_FIRST_ALERTS", 0, DEFAULT_TRUST.heldFirstAlerts),
  member: atLeast("TRUST_MEMBER_BURST", 1, DEFAULT_TRUST.memberBurst.limit),
  community: atLeast("TRUST_COMMUNITY_BURST", 1, DEFAULT_TRUST.communityBurst.limit),
  window: Config.duration("TRUST_BURST_WINDOW").pipe(Config.withDefault(DEFAULT_TRUST.memberBurst.window))
}).pipe(Config.map(({ community, heldFirstAlerts, member, window }): TrustSettings => ({
  heldFirstAlerts,
  memberBurst: { limit: member, window },
  communityBurst: { limit: community, window }
})))

/** The Trust settings read from the environment, for the use cases. */
export const layer = Layer.unwrapEffect(Config.map(config, (settings) => Layer.succeed(Trust, settings)))
