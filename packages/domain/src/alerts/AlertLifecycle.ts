import type { AlertStatus } from "./Alert.js"

/** Who moves an alert: its author, or a moderator. */
export type AlertActorKind = "author" | "moderator"

const byAuthor: Record<AlertStatus, ReadonlyArray<AlertStatus>> = {
  published: ["retracted", "resolved"],
  held_for_review: ["retracted"],
  hidden: [],
  retracted: [],
  resolved: []
}

const byModerator: Record<AlertStatus, ReadonlyArray<AlertStatus>> = {
  published: ["hidden", "resolved"],
  held_for_review: ["published", "hidden"],
  hidden: ["published", "resolved"],
  retracted: [],
  resolved: ["hidden"]
}

/**
 * The alert lifecycle. The author may retract a published or held alert and resolve a published
 * one; a moderator publishes (approves) a held alert, hides anything live, and restores a hidden
 * one (back to published, or to resolved when it was resolved before it was hidden). Retracted is
 * final. Nothing is ever deleted.
 */
export const canMoveAlert = (actor: AlertActorKind, from: AlertStatus, to: AlertStatus): boolean =>
  (actor === "author" ? byAuthor : byModerator)[from].includes(to)

/** Statuses in which members see the alert in their feed. */
export const isVisibleToMembers = (status: AlertStatus): boolean => status === "published" || status === "resolved"

/**
 * Whether moving from `from` to `to` sends a short closing message to those who got the alert:
 * only when a published alert is resolved or retracted (a held alert reached nobody).
 */
export const sendsClosingMessage = (from: AlertStatus, to: AlertStatus): boolean =>
  from === "published" && (to === "resolved" || to === "retracted")

/** Whether moving from `from` to `to` fans the alert out (a held alert approved or restored). */
export const startsFanOut = (from: AlertStatus, to: AlertStatus): boolean =>
  to === "published" && (from === "held_for_review" || from === "hidden")
