import { Schema } from "effect"

/**
 * Why a moderator (or a référent, pending a moderator's decision) hides an alert, and why a member
 * flags one. The author is always told the reason; `other` needs a free text saying which.
 */
export const HideReason = Schema.Literal(
  "profiling",
  "personal_data",
  "false_or_unverifiable",
  "off_topic",
  "insulting",
  "duplicate",
  "other"
)
export type HideReason = typeof HideReason.Type

/** Members flag an item with the same reasons a moderator hides one for. */
export const FlagReason = HideReason
export type FlagReason = HideReason

/**
 * Short French labels, the same on the console, on the author's alert page and in the SMS that
 * tells an author their alert was hidden (so each fits in a GSM-7 SMS with the rest of the text).
 */
export const hideReasonLabel: Record<HideReason, string> = {
  profiling: "description discriminatoire ou au faciès",
  personal_data: "données personnelles d'un tiers",
  false_or_unverifiable: "information fausse ou invérifiable",
  off_topic: "hors sujet",
  insulting: "propos injurieux",
  duplicate: "doublon",
  other: "autre motif"
}
