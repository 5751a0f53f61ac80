import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { BudgetExceeded, PreviewNotFound, PreviewOutdated } from "./MairieErrors.js"
import { PreviewToken, TownAlertDraft, TownAlertPreview, TownAlertSent } from "./TownAlert.js"

/**
 * What a town alert would do, before anything is sent: recipients per channel, the SMS, its parts,
 * cost, time to deliver (with the provider's 3-hour warning) and the month's budget. Mairie agents
 * and municipal police of the commune only.
 */
export const PreviewTownAlert = Rpc.make("PreviewTownAlert", {
  payload: TownAlertDraft,
  success: TownAlertPreview,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, CommunityNotFound, InvalidRequest)
})

/**
 * Send the previewed town alert. Refused with PreviewOutdated when the recipients changed since,
 * with BudgetExceeded when the month's SMS budget cannot pay (unless `emailOnly`); in both cases
 * nothing is sent. A preview is confirmed at most once.
 */
export const ConfirmTownAlert = Rpc.make("ConfirmTownAlert", {
  payload: Schema.Struct({
    previewToken: PreviewToken,
    emailOnly: Schema.optionalWith(Schema.Boolean, { default: () => false })
  }),
  success: TownAlertSent,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    PreviewNotFound,
    PreviewOutdated,
    BudgetExceeded,
    InvalidRequest
  )
})

/** Town alerts of the mairie and the municipal police. */
export class TownAlertRpcs extends RpcGroup.make(PreviewTownAlert, ConfirmTownAlert).middleware(Authentication) {}
