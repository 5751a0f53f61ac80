import type { AlertStatus } from "../alerts/Alert.js"
import type { AccountId } from "../shared/Ids.js"
import type { AuditAction } from "./AuditEntry.js"
import type { AlertHoldReason } from "../trust/TrustPolicy.js"

/** The facts about one alert that the counts read. */
export interface CountedAlert {
  readonly authorId: AccountId
  readonly status: AlertStatus
  /** Why the trust policy held it when it was posted; kept after approval. */
  readonly holdReasons: ReadonlyArray<AlertHoldReason>
}

/** The facts about one audit row that the counts read: which account it was about, and what was done. */
export interface CountedAudit {
  readonly accountId: AccountId | undefined
  readonly action: AuditAction
}

/** An author's record as moderators see it next to an alert (AuthorHistory). */
export interface AuthorCounts {
  readonly posted: number
  readonly held: number
  readonly hidden: number
  readonly warnings: number
  readonly suspensions: number
}

/**
 * Whether an alert counts as held in its author's record: it is held now, or it was held when posted
 * (it has hold reasons), whatever happened next (approved, hidden, retracted). This is "ever held",
 * not the queue's "held now" (`heldNow`): an approved alert leaves the queue but stays in the record.
 */
export const wasHeld = (alert: CountedAlert): boolean =>
  alert.holdReasons.length > 0 || alert.status === "held_for_review"

/**
 * The held alerts waiting for a moderator: those whose status is `held_for_review` now, whoever wrote
 * them. It is the queue's "held" count (QueueEligibility.queueCounts).
 */
export const heldNow = (alerts: ReadonlyArray<CountedAlert>): number =>
  alerts.filter((a) => a.status === "held_for_review").length

/**
 * An author's record: every alert they posted, whatever its status (town alerts included); those held
 * (`wasHeld`: held now or held when posted); those hidden now (a restored alert no longer counts);
 * and the warnings and suspensions the audit log records against their account (each action once,
 * lifted or not). An account with no alert and no audit row has only zeros.
 */
export const authorCounts = (
  accountId: AccountId,
  alerts: ReadonlyArray<CountedAlert>,
  audit: ReadonlyArray<CountedAudit>
): AuthorCounts => {
  const own = alerts.filter((a) => a.authorId === accountId)
  const about = audit.filter((e) => e.accountId === accountId)
  return {
    posted: own.length,
    held: own.filter(wasHeld).length,
    hidden: own.filter((a) => a.status === "hidden").length,
    warnings: about.filter((e) => e.action === "warn").length,
    suspensions: about.filter((e) => e.action === "suspend").length
  }
}
