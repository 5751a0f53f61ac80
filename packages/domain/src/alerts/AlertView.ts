import { Option, Schema, Struct } from "effect"
import type { AccountId } from "../accounts/Account.js"
import { Alert } from "./Alert.js"
import { AlertId } from "../shared/Ids.js"

/**
 * An alert as members (and the mairie and police in their feed) receive it: the alert without its
 * author's account id. `mine` says whether the reader wrote it (their own alert: they may retract or
 * resolve it, see its moderation state); `authorName` is how a resident author is named ("Chloé M.",
 * "Ancien membre" once erased), absent for a town alert, which speaks for the mairie or the police.
 */
export class AlertView extends Schema.Class<AlertView>("AlertView")({
  ...Struct.omit(Alert.fields, "authorId"),
  mine: Schema.Boolean,
  authorName: Schema.OptionFromNullOr(Schema.String)
}) {}

/** The view of `alert` for `readerId`, its author named `authorName` (absent for a town alert). */
export const toAlertView = (alert: Alert, readerId: AccountId, authorName: Option.Option<string>): AlertView => {
  // Not validated again (`true`): every field but the two added is the already-valid Alert's, and
  // checking them all for each alert of each feed page was a tenth of a feed request's CPU.
  return new AlertView({
    ...Struct.omit(alert, "authorId"),
    mine: alert.authorId === readerId,
    authorName: alert.scope._tag === "Commune" ? Option.none() : authorName
  }, true)
}

/**
 * One page of my feed, newest first by (createdAt, id). `nextBefore` and `nextBeforeId` are the
 * cursor of the following page (both absent on the last page): pass them back as `before` and
 * `beforeId`. Every page but the last is full.
 */
export class AlertPage extends Schema.Class<AlertPage>("AlertPage")({
  alerts: Schema.Array(AlertView),
  nextBefore: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  nextBeforeId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}
