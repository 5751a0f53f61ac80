import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AlertId } from "../alerts/Alert.js"
import type { AppealId, QueueCounts, QueueItemKind } from "./ModeratedAlert.js"

/** One entry of the queue, in queue order: which section, which alert, since when, and the appeal. */
export interface QueueEntry {
  readonly kind: QueueItemKind
  readonly alertId: AlertId
  readonly since: DateTime.Utc
  readonly appealId: Option.Option<AppealId>
}

/**
 * The moderators' queue as stored: held alerts, published residents' alerts nobody reviewed, alerts
 * with open flags, and pending appeals of alerts still hidden, in that order.
 */
export class ModerationQueueRepo extends Context.Tag("@vigie/domain/ModerationQueueRepo")<
  ModerationQueueRepo,
  {
    /** The queue's entries in queue order (held, unreviewed, flagged, appeal), optionally one section. */
    readonly queue: (options: {
      readonly kind: Option.Option<QueueItemKind>
      readonly offset: number
      readonly limit: number
    }) => Effect.Effect<ReadonlyArray<QueueEntry>>
    readonly queueCounts: Effect.Effect<QueueCounts>
  }
>() {}
