import { Schema } from "effect"

/**
 * The identifiers every context names, and the one alert fact the live bus carries. Each is owned by
 * its context (which re-exports it) but defined here, so that a lower context may refer to a higher
 * one's rows by id without importing it: a membership names its account, a live event its alert.
 */

/** An account: a resident, a référent, a moderator or a member of staff. */
export const AccountId = Schema.UUID.pipe(Schema.brand("AccountId"))
export type AccountId = typeof AccountId.Type

/** A neighbourhood community (quartier). */
export const CommunityId = Schema.UUID.pipe(Schema.brand("CommunityId"))
export type CommunityId = typeof CommunityId.Type

/** INSEE code of a French commune: five characters, digits, or 2A/2B for Corsica. */
export const InseeCode = Schema.String.pipe(
  Schema.pattern(/^(?:[0-9]{2}|2A|2B)[0-9]{3}$/),
  Schema.brand("InseeCode"),
  Schema.annotations({ identifier: "InseeCode" })
)
export type InseeCode = typeof InseeCode.Type

/** One account's membership of one community. */
export const MembershipId = Schema.UUID.pipe(Schema.brand("MembershipId"))
export type MembershipId = typeof MembershipId.Type

/** An alert, from a resident or from the mairie or police. */
export const AlertId = Schema.UUID.pipe(Schema.brand("AlertId"))
export type AlertId = typeof AlertId.Type

/** Where an alert stands (see alerts/AlertLifecycle for the allowed moves). */
export const AlertStatus = Schema.Literal("published", "held_for_review", "hidden", "retracted", "resolved")
export type AlertStatus = typeof AlertStatus.Type
