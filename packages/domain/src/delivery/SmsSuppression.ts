import { Schema } from "effect"
import { PhoneE164 } from "../shared/Text.js"

/** Why a number gets no SMS: the person sent STOP, or the provider reports it unreachable for good. */
export const SuppressionReason = Schema.Literal("stop_keyword", "provider_hard_bounce", "moderator")
export type SuppressionReason = typeof SuppressionReason.Type

/** A hard suppression: fan-out never plans an SMS to this number while it stands. */
export class SmsSuppression extends Schema.Class<SmsSuppression>("SmsSuppression")({
  phone: PhoneE164,
  reason: SuppressionReason,
  createdAt: Schema.DateTimeUtc
}) {}
