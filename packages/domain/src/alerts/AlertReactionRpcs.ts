import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AlertId } from "./Alert.js"
import { AlertNotFound } from "./AlertErrors.js"
import { ReactionCounts, ReactionKind, ReactionSummary } from "./AlertReaction.js"
import { AlertClosedToReactions } from "./AlertReactionErrors.js"

const MarkPayload = Schema.Struct({ alertId: AlertId, kind: ReactionKind })

/**
 * Set my "J'y vais" (`going`) or "Vu" (`seen`) on a published alert I may read, as a verified member
 * of a community it reaches. Setting it twice changes nothing. Answers everyone's marks.
 */
export const MarkAlert = Rpc.make("MarkAlert", {
  payload: MarkPayload,
  success: ReactionSummary,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    AlertNotFound,
    Forbidden,
    AlertClosedToReactions,
    InvalidRequest
  )
})

/** Remove my mark of that kind (absent already: nothing changes). Answers everyone's marks. */
export const UnmarkAlert = Rpc.make("UnmarkAlert", {
  payload: MarkPayload,
  success: ReactionSummary,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    AlertNotFound,
    Forbidden,
    AlertClosedToReactions,
    InvalidRequest
  )
})

/** Who marked an alert I may read, per kind, oldest first, named "Prénom I.". */
export const GetAlertReactions = Rpc.make("GetAlertReactions", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: ReactionSummary,
  error: Schema.Union(Unauthenticated, AccountSuspended, AlertNotFound, InvalidRequest)
})

/**
 * How many marks each of these alerts has (a page of my feed). Alerts I may not read are left out
 * of the answer, exactly as unknown ones.
 */
export const CountAlertReactions = Rpc.make("CountAlertReactions", {
  payload: Schema.Struct({ alertIds: Schema.Array(AlertId).pipe(Schema.maxItems(50)) }),
  success: Schema.Array(ReactionCounts),
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** The marks members leave on alerts ("J'y vais", "Vu"), seen by all who may read the alert. */
export class AlertReactionRpcs extends RpcGroup.make(
  MarkAlert,
  UnmarkAlert,
  GetAlertReactions,
  CountAlertReactions
).middleware(Authentication) {}
