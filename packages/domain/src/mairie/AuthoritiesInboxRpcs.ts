import { Rpc, RpcGroup } from "@effect/rpc"
import { Option, Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { AlertId } from "../alerts/Alert.js"
import { AlertNotFound } from "../alerts/AlertErrors.js"
import { InseeCode } from "../communities/Commune.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AlertAcknowledgements, InternalNoteText, SharedAlert, SharedAlertPage } from "./SharedAlert.js"

/** The alerts residents of my commune shared with the mairie and police, newest first (staff of `insee` only). */
export const ListAuthoritiesInbox = Rpc.make("ListAuthoritiesInbox", {
  payload: Schema.Struct({
    insee: InseeCode,
    before: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }),
    beforeId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
      Schema.withConstructorDefault(() => Option.none())
    ),
    limit: Schema.Int.pipe(Schema.between(1, 50))
  }),
  success: SharedAlertPage,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, InvalidRequest)
})

/** Each shared alert of my commune as it arrives or changes, for as long as I listen. */
export const WatchAuthoritiesInbox = Rpc.make("WatchAuthoritiesInbox", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: SharedAlert,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, InvalidRequest),
  stream: true
})

/**
 * Take note of a shared alert for my side (mairie or police), with an optional internal note that
 * only the staff of the commune read. The author sees that we took note, never the note.
 */
export const AcknowledgeSharedAlert = Rpc.make("AcknowledgeSharedAlert", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(InternalNoteText, { as: "Option", nullable: true })
  }),
  success: SharedAlert,
  error: Schema.Union(Unauthenticated, AccountSuspended, AlertNotFound, InvalidRequest)
})

/** Whether the mairie and the municipal police took note of an alert I may read (mine, first of all). */
export const GetAlertAcknowledgements = Rpc.make("GetAlertAcknowledgements", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: AlertAcknowledgements,
  error: Schema.Union(Unauthenticated, AccountSuspended, AlertNotFound, InvalidRequest)
})

/** The authorities' inbox. */
export class AuthoritiesInboxRpcs extends RpcGroup.make(
  ListAuthoritiesInbox,
  WatchAuthoritiesInbox,
  AcknowledgeSharedAlert,
  GetAlertAcknowledgements
).middleware(Authentication) {}
