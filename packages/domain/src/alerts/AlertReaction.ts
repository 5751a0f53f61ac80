import { Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { AlertId } from "./Alert.js"

/**
 * A member's mark on an alert, shown to everyone who may read it: "going" ("J'y vais": I am going to
 * look) or "seen" ("Vu": I have seen it). At most one of each kind per member and alert.
 */
export const ReactionKind = Schema.Literal("going", "seen")
export type ReactionKind = typeof ReactionKind.Type

/**
 * How other members are named to each other: the first name and the initial of the last name
 * ("Chloé M."). The full last name never leaves the server with a mark.
 */
export const shortName = (firstName: string, lastName: string): string => {
  const initial = [...lastName.trim()][0]
  return initial === undefined ? firstName.trim() : `${firstName.trim()} ${initial.toLocaleUpperCase("fr-FR")}.`
}

/** One member who marked an alert, as the others see them. */
export class Reactor extends Schema.Class<Reactor>("Reactor")({
  accountId: AccountId,
  name: Schema.String,
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
