import { Schema } from "effect"
import { AuditEntry } from "./AuditEntry.js"
import { AppealView, FlagView, ModeratedAlert } from "./ModeratedAlert.js"

/**
 * Everything moderation knows of one alert (moderators only): the alert with its author's history,
 * every flag (open or closed), every appeal, and the alert's audit rows, newest first.
 */
export class ModerationCase extends Schema.Class<ModerationCase>("ModerationCase")({
  alert: ModeratedAlert,
  flags: Schema.Array(FlagView),
  appeals: Schema.Array(AppealView),
  audit: Schema.Array(AuditEntry)
}) {}
