import { DateTime, Option } from "effect"
import type { AlertId, AlertOrigin, AlertStatus } from "../alerts/Alert.js"
import type { AppealId, AppealStatus, FlagStatus, QueueItemKind } from "./ModeratedAlert.js"
import type { QueueEntry } from "./ModerationQueueRepo.js"

/** The facts about one alert that the queue reads. */
export interface QueueAlert {
  readonly id: AlertId
  readonly status: AlertStatus
  readonly origin: AlertOrigin
  readonly createdAt: DateTime.Utc
  /** A moderator marked it reviewed (or acted on it, which marks it too). */
  readonly reviewed: boolean
}

/** One member's flag on an alert. */
export interface QueueFlag {
  readonly alertId: AlertId
  readonly status: FlagStatus
  readonly createdAt: DateTime.Utc
}

/** An author's appeal of a hiding (at most one per alert). */
export interface QueueAppeal {
  readonly id: AppealId
  readonly alertId: AlertId
  readonly status: AppealStatus
  readonly createdAt: DateTime.Utc
}

/** Everything the queue depends on. Order of every array is irrelevant; flags and appeals name known alerts. */
export interface QueueWorld {
  readonly alerts: ReadonlyArray<QueueAlert>
  readonly flags: ReadonlyArray<QueueFlag>
  readonly appeals: ReadonlyArray<QueueAppeal>
}

/** The queue's sections, in the order moderators work through them. */
export const QUEUE_SECTIONS: ReadonlyArray<QueueItemKind> = ["held", "unreviewed", "flagged", "appeal"]

/** Whether an alert waits in the "unreviewed" section: a resident's published alert nobody reviewed yet. */
export const awaitsReview = (alert: QueueAlert): boolean =>
  alert.status === "published" && !alert.reviewed && (alert.origin === "web" || alert.origin === "sms")

const compareEntries = (a: QueueEntry, b: QueueEntry) => {
  const section = QUEUE_SECTIONS.indexOf(a.kind) - QUEUE_SECTIONS.indexOf(b.kind)
  if (section !== 0) return section
  const since = DateTime.toEpochMillis(a.since) - DateTime.toEpochMillis(b.since)
  if (since !== 0) return since
  return a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0
}

/**
 * The moderators' queue, in queue order. The rules, each proved by a property test:
 * - "held": every alert held for review (status `held_for_review`), since it was posted;
 * - "unreviewed": every published alert of a resident (origin web or SMS) that no moderator reviewed,
 *   since it was posted. Town alerts (origin mairie or police) are never reviewed: they come from
 *   accountable staff and are never held either;
 * - "flagged": every alert with at least one open flag, whatever its status or origin (a référent's
 *   pending hiding stays here until a moderator decides; a retracted or a town alert too), since its
 *   oldest open flag; closed flags (dismissed, upheld) do not count;
 * - "appeal": every pending appeal of an alert that is still hidden, since the appeal was made (an
 *   appeal of an alert restored meanwhile waits for nothing);
 * - an alert appears once per section it qualifies for, so possibly in several sections;
 * - order: section (held, unreviewed, flagged, appeal), then oldest first, then by alert id;
 * - `kind` keeps one section only, in the same order.
 */
export const queueEntries = (
  world: QueueWorld,
  kind: Option.Option<QueueItemKind> = Option.none()
): ReadonlyArray<QueueEntry> => {
  const entries: Array<QueueEntry> = []
  for (const alert of world.alerts) {
    if (alert.status === "held_for_review") {
      entries.push({ kind: "held", alertId: alert.id, since: alert.createdAt, appealId: Option.none() })
    }
    if (awaitsReview(alert)) {
      entries.push({ kind: "unreviewed", alertId: alert.id, since: alert.createdAt, appealId: Option.none() })
    }
  }
  const firstOpenFlag = new Map<AlertId, DateTime.Utc>()
  for (const flag of world.flags) {
    if (flag.status !== "open") continue
    const known = firstOpenFlag.get(flag.alertId)
    if (known === undefined || DateTime.lessThan(flag.createdAt, known)) firstOpenFlag.set(flag.alertId, flag.createdAt)
  }
  for (const [alertId, since] of firstOpenFlag) {
    entries.push({ kind: "flagged", alertId, since, appealId: Option.none() })
  }
  const hidden = new Set(world.alerts.filter((a) => a.status === "hidden").map((a) => a.id))
  for (const appeal of world.appeals) {
    if (appeal.status === "pending" && hidden.has(appeal.alertId)) {
      const appealId = Option.some(appeal.id)
      entries.push({ kind: "appeal", alertId: appeal.alertId, since: appeal.createdAt, appealId })
    }
  }
  return entries
    .filter((e) => Option.match(kind, { onNone: () => true, onSome: (k) => e.kind === k }))
    .sort(compareEntries)
}

/** How many entries each section holds: the counts shown above the queue (the same rules as `queueEntries`). */
export const queueCounts = (world: QueueWorld): Readonly<Record<QueueItemKind, number>> => {
  const counts: Record<QueueItemKind, number> = { held: 0, unreviewed: 0, flagged: 0, appeal: 0 }
  for (const entry of queueEntries(world)) counts[entry.kind] += 1
  return counts
}
