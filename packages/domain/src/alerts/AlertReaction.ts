import { Schema } from "effect"
import { AlertId } from "./Alert.js"

/**
 * A member's mark on an alert, shown to everyone who may read it: "going" ("J'y vais": I am going to
 * look) or "seen" ("Vu": I have seen it). At most one of each kind per member and alert.
 */
export const ReactionKind = Schema.Literal("going", "seen")
export type ReactionKind = typeof ReactionKind.Type

export { shortName } from "../accounts/DisplayName.js"

/**
 * One member who marked an alert, as the others see them: their display name ("Chloé M.", or
 * "Ancien membre"), whether it is the reader's own mark, and when. Never an account id.
 */
export class Reactor extends Schema.Class<Reactor>("Reactor")({
  name: Schema.String,
  mine: Schema.Boolean,
  at: Schema.DateTimeUtc
}) {}

/** Everyone's marks on one alert, oldest first in each kind. */
export class ReactionSummary extends Schema.Class<ReactionSummary>("ReactionSummary")({
  alertId: AlertId,
  going: Schema.Array(Reactor),
  seen: Schema.Array(Reactor)
}) {}

/** How many members marked one alert, per kind: what a feed card shows. */
export class ReactionCounts extends Schema.Class<ReactionCounts>("ReactionCounts")({
  alertId: AlertId,
  going: Schema.NonNegativeInt,
  seen: Schema.NonNegativeInt
}) {}
