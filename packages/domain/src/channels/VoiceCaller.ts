import { Context, Schema } from "effect"
import type { Effect } from "effect"
import { PhoneE164 } from "../shared/Text.js"

/**
 * An outbound voice call (issue 17, item 4): the provider rings `to`, reads `text` in French
 * (text-to-speech) and, when `digits` is given, waits for one key among them; what was pressed comes
 * back later through the provider's signed callback to `answerUrl` / `callbackUrl`, keyed by
 * `reference` (ours: the check-in step or the delivery the call belongs to).
 */
export interface VoiceCall {
  readonly to: PhoneE164
  readonly text: string
  /** The keys the listener may press ("19": 1 or 9); absent: a message only, no keypad input. */
  readonly digits?: string | undefined
  /** Our own id for this call, echoed in every callback so that the answer finds its step. */
  readonly reference: string
}

/** What the provider accepted: its id for the call (a Plivo request uuid). */
export interface VoiceReceipt {
  readonly providerId: string
}

/** The provider refused the call for good (bad number, landline unreachable forever): do not retry. */
export class VoiceRejected extends Schema.TaggedError<VoiceRejected>()("VoiceRejected", {
  reason: Schema.String
}) {}

/** The provider could not be reached or asked us to slow down: retry later. */
export class VoiceUnavailable extends Schema.TaggedError<VoiceUnavailable>()("VoiceUnavailable", {
  reason: Schema.String,
  retryAfterSeconds: Schema.optional(Schema.NonNegativeInt)
}) {}

/** Places voice calls. Adapters: Plivo (production, through the plivo SDK), outbox (development, tests). */
export class VoiceCaller extends Context.Tag("@vigie/domain/VoiceCaller")<
  VoiceCaller,
  { readonly call: (call: VoiceCall) => Effect.Effect<VoiceReceipt, VoiceRejected | VoiceUnavailable> }
>() {}
