import { Schema } from "effect"
import { AlertId, AlertStatus } from "./Alert.js"

/**
 * Marks ("J'y vais", "Vu") are set and removed only while the alert is published: a resolved,
 * retracted, hidden or held alert keeps the marks it has, and shows them.
 */
export class AlertClosedToReactions extends Schema.TaggedError<AlertClosedToReactions>()("AlertClosedToReactions", {
  alertId: AlertId,
  status: AlertStatus
}) {}
