import { type DateTime, Duration, Schema } from "effect"
import { localMinuteOfDay } from "../delivery/QuietHoursPolicy.js"
import type { FlaggedSpan } from "./SensitiveDescriptors.js"

/**
 * How much an alert is trusted before a moderator has seen it. An alert from a member in good
 * standing goes out at once and is reviewed after the fact; the cases below wait for a moderator
 * first, and the author is told why and for how long.
 */
export interface TrustSettings {
  /** A member's first alerts, ever, are held (0 trusts everyone from the start). */
  readonly heldFirstAlerts: number
  /** More than `limit` alerts from one member within `window` (this one included): held. */
  readonly memberBurst: { readonly limit: number; readonly window: Duration.Duration }
  /** More than `limit` alerts in one community within `window` (this one included): held. */
  readonly communityBurst: { readonly limit: number; readonly window: Duration.Duration }
}

export const DEFAULT_TRUST: TrustSettings = {
  heldFirstAlerts: 2,
  memberBurst: { limit: 3, window: Duration.minutes(30) },
  communityBurst: { limit: 10, window: Duration.minutes(30) }
}

/** Why an alert waits for a moderator, in the order they are listed to moderators and authors. */
export const HoldReason = Schema.Literal("new_member", "sensitive_descriptors", "member_burst", "community_burst")
export type HoldReason = typeof HoldReason.Type

/** Why the trust policy held an alert, as stored on the alert and shown to moderators and its author. */
export const AlertHoldReason = HoldReason
export type AlertHoldReason = HoldReason

/** What the policy needs to know about an alert being posted; the caller counts, the policy decides. */
export interface TrustFacts {
  readonly origin: "web" | "sms" | "mairie" | "police"
  /** Alerts the author posted before this one, ever. */
  readonly authorPreviousAlerts: number
  /** The author's alerts in `memberBurst.window` before this one. */
  readonly authorRecentAlerts: number
  /** Alerts of the community in `communityBurst.window` before this one. */
  readonly communityRecentAlerts: number
  readonly sensitive: ReadonlyArray<FlaggedSpan>
}

export type TrustDecision =
  | { readonly _tag: "Publish" }
  | { readonly _tag: "Hold"; readonly reasons: ReadonlyArray<HoldReason> }

/** Every reason that applies to a resident's alert, in `HoldReason` order (empty: publish). */
export const holdReasons = (facts: TrustFacts, settings: TrustSettings): ReadonlyArray<HoldReason> => {
  const applies: Record<HoldReason, boolean> = {
    new_member: facts.authorPreviousAlerts < settings.heldFirstAlerts,
    sensitive_descriptors: facts.sensitive.length > 0,
    member_burst: facts.authorRecentAlerts + 1 > settings.memberBurst.limit,
    community_burst: facts.communityRecentAlerts + 1 > settings.communityBurst.limit
  }
  return HoldReason.literals.filter((reason) => applies[reason])
}

/**
 * Publish at once, or hold for a moderator with every reason that applies. Alerts from the mairie
 * and the municipal police are never held: they come from accountable staff and are often about
 * safety right now (storm, water cut).
 */
export const trustDecision = (facts: TrustFacts, settings: TrustSettings): TrustDecision => {
  if (facts.origin === "mairie" || facts.origin === "police") return { _tag: "Publish" }
  const reasons = holdReasons(facts, settings)
  return reasons.length === 0 ? { _tag: "Publish" } : { _tag: "Hold", reasons }
}

/** Moderators review held alerts within REVIEW_WITHIN_MINUTES between these local hours (Europe/Paris). */
export const REVIEW_DAY_START = 8 * 60
export const REVIEW_DAY_END = 20 * 60
export const REVIEW_WITHIN_MINUTES = 120
/** At night, held alerts are reviewed by this local time the next morning. */
export const REVIEW_MORNING_DEADLINE = 10 * 60

/**
 * The review delay an author is told for a held alert: "sous 2 heures" from 8 h to 20 h (Paris
 * time), otherwise by 10 h the next morning ("ce matin" after midnight, "demain matin" before). The
 * minutes are counted on the local clock (one hour off on the two nights the clocks change).
 */
export const expectedReviewDelay = (now: DateTime.Utc): { readonly minutes: number; readonly text: string } => {
  const minute = localMinuteOfDay(now)
  if (minute >= REVIEW_DAY_START && minute < REVIEW_DAY_END) {
    return { minutes: REVIEW_WITHIN_MINUTES, text: "sous 2 heures" }
  }
  const minutes = (REVIEW_MORNING_DEADLINE - minute + 1440) % 1440
  return { minutes, text: minute < REVIEW_DAY_START ? "ce matin avant 10 h" : "demain matin avant 10 h" }
}
