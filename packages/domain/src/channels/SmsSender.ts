import { Context, Schema } from "effect"
import type { Effect } from "effect"
import { PhoneE164 } from "../shared/Text.js"

/** Plivo takes up to 1,000 destinations in one call. */
export const SMS_BATCH_LIMIT = 1000

/** One text to many numbers. */
export interface SmsBatch {
  readonly text: string
  readonly destinations: ReadonlyArray<PhoneE164>
}

/** What the provider accepted: one provider message id per destination. */
export interface SmsReceipt {
  readonly accepted: ReadonlyArray<{ readonly destination: PhoneE164; readonly providerId: string }>
}

/** The provider refused the batch for good (bad number, bad text): retrying will not help. */
export class SmsRejected extends Schema.TaggedError<SmsRejected>()("SmsRejected", {
  reason: Schema.String
}) {}

/** The provider could not be reached or asked us to slow down: retry later. */
export class SmsUnavailable extends Schema.TaggedError<SmsUnavailable>()("SmsUnavailable", {
  reason: Schema.String,
  retryAfterSeconds: Schema.optional(Schema.NonNegativeInt)
}) {}

/** Sends SMS. Adapters: Plivo (production), outbox (development, tests). */
export class SmsSender extends Context.Tag("@vigie/domain/SmsSender")<
  SmsSender,
  { readonly send: (batch: SmsBatch) => Effect.Effect<SmsReceipt, SmsRejected | SmsUnavailable> }
>() {}
