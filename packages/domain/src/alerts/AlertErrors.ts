import { Schema } from "effect"
import { AlertId, AlertStatus } from "./Alert.js"

/** The alert does not exist, or is outside the actor's communities (the two are not told apart). */
export class AlertNotFound extends Schema.TaggedError<AlertNotFound>()("AlertNotFound", {
  alertId: AlertId
}) {}

/** The status change asked for is not allowed from the alert's current status. */
export class InvalidAlertTransition extends Schema.TaggedError<InvalidAlertTransition>()("InvalidAlertTransition", {
  alertId: AlertId,
  from: AlertStatus,
  to: AlertStatus
}) {}

/** A resident category in a town alert, or a town category in a resident alert. */
export class CategoryNotAllowed extends Schema.TaggedError<CategoryNotAllowed>()("CategoryNotAllowed", {
  category: Schema.String
}) {}

/** Too many alerts from this member in a short time; `retryAfterSeconds` says when to try again. */
export class AlertRateLimited extends Schema.TaggedError<AlertRateLimited>()("AlertRateLimited", {
  retryAfterSeconds: Schema.NonNegativeInt
}) {}

/**
 * An alert to a whole commune goes only through the town alert's preview and confirmation
 * (recipients, cost, monthly SMS budget): PostAlert refuses the commune scope.
 */
export class TownAlertNeedsPreview extends Schema.TaggedError<TownAlertNeedsPreview>()("TownAlertNeedsPreview", {
  insee: Schema.String
}) {}
