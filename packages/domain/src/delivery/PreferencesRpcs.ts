import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { ChannelPreference, NotificationPreferences, QuietHours } from "./NotificationPreferences.js"

/** My notification preferences (the defaults until I choose). */
export const GetPreferences = Rpc.make("GetPreferences", {
  payload: Schema.Struct({}),
  success: NotificationPreferences,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/**
 * Choose, per channel, every alert, urgent ones only or nothing; optional quiet hours; and whether
 * urgent alerts also come by voice call (absent: unchanged).
 */
export const UpdatePreferences = Rpc.make("UpdatePreferences", {
  payload: Schema.Struct({
    sms: ChannelPreference,
    email: ChannelPreference,
    quietHours: Schema.optionalWith(QuietHours, { as: "Option", nullable: true }),
    voiceUrgent: Schema.optional(Schema.Boolean)
  }),
  success: NotificationPreferences,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** Notification preferences: read, update. */
export class PreferencesRpcs extends RpcGroup.make(GetPreferences, UpdatePreferences).middleware(Authentication) {}
