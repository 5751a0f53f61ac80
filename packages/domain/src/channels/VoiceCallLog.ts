import { Context, Schema } from "effect"
import type { DateTime, Effect, Option } from "effect"
import { PhoneE164 } from "../shared/Text.js"
import type { VoiceCall } from "./VoiceCaller.js"

/**
 * How a call went: `placing` (written before the provider is asked), `placed` (the provider took it),
 * `answered` (someone picked up: the provider fetched our answer URL), `completed` (hung up after an
 * answer), `unanswered` (busy, no answer, cancelled), `failed` (refused by the provider, or a
 * technical failure of the call).
 */
export const VoiceCallStatus = Schema.Literal("placing", "placed", "answered", "completed", "unanswered", "failed")
export type VoiceCallStatus = typeof VoiceCallStatus.Type

/** One call as stored: what was said, which keys were offered and pressed, how it went. */
export class StoredVoiceCall extends Schema.Class<StoredVoiceCall>("StoredVoiceCall")({
  reference: Schema.String,
  to: PhoneE164,
  text: Schema.String,
  digits: Schema.OptionFromNullOr(Schema.String),
  /** Placed through the development outbox: nobody was called. */
  outbox: Schema.Boolean,
  providerId: Schema.OptionFromNullOr(Schema.String),
  status: VoiceCallStatus,
  pressed: Schema.OptionFromNullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}) {}

/**
 * The calls placed, by reference: written by the VoiceCaller adapters before they ask the provider,
 * read by the answer URL (any process serves it from the database alone) and moved by the provider's
 * callbacks. A reference called again is the same entry, rewritten.
 */
export class VoiceCallLog extends Context.Tag("@vigie/domain/VoiceCallLog")<
  VoiceCallLog,
  {
    /** Writes (or rewrites) the call as `placing`, before the provider is asked. */
    readonly placing: (call: VoiceCall, outbox: boolean, now: DateTime.Utc) => Effect.Effect<void>
    /** The provider took it, with its id. */
    readonly placed: (reference: string, providerId: string, now: DateTime.Utc) => Effect.Effect<void>
    /** The provider refused it, or could not be reached: `failed`, the reason kept. */
    readonly failed: (reference: string, reason: string, now: DateTime.Utc) => Effect.Effect<void>
    readonly find: (reference: string) => Effect.Effect<Option.Option<StoredVoiceCall>>
    /** Someone picked up (the answer URL was fetched): `answered`, unless it already ended. */
    readonly answered: (reference: string, now: DateTime.Utc) => Effect.Effect<void>
    /** The keys pressed (the last ones kept). */
    readonly pressed: (reference: string, digits: string, now: DateTime.Utc) => Effect.Effect<void>
    /** The call hung up: `completed` or `unanswered` / `failed`, with the provider's cause. */
    readonly ended: (
      reference: string,
      status: "completed" | "unanswered" | "failed",
      detail: string,
      now: DateTime.Utc
    ) => Effect.Effect<void>
    /** The latest calls, newest first (the dev inbox). */
    readonly latest: (limit: number) => Effect.Effect<ReadonlyArray<StoredVoiceCall>>
  }
>() {}
