import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { GazetteChoices, GazettePreferences } from "./GazettePreferences.js"

/** My Gazette notification choices (the defaults until I choose). */
export const GetGazettePreferences = Rpc.make("GetGazettePreferences", {
  payload: Schema.Struct({}),
  success: GazettePreferences,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/**
 * Choose, for each kind of Gazette item, nothing, the Monday digest or an e-mail at once; and whether
 * the mairie's communications also come by SMS. Every kind must be named.
 */
export const UpdateGazettePreferences = Rpc.make("UpdateGazettePreferences", {
  payload: Schema.Struct({ choices: GazetteChoices, mairieSms: Schema.Boolean }),
  success: GazettePreferences,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** Gazette notification preferences: read, update. */
export class GazettePreferencesRpcs
  extends RpcGroup.make(GetGazettePreferences, UpdateGazettePreferences).middleware(Authentication)
{}
