import { Context } from "effect"
import type { Effect } from "effect"

/** What the caller hears after pressing a key: spoken in French, then the call ends. */
export interface KeypadAnswer {
  readonly speak: string
}

/**
 * What a key pressed during a voice call means (issue 17): the provider's signed digits callback
 * names the call by our `reference` (the one given to `VoiceCaller.call`) and the keys pressed; the
 * context that placed the call decides (a check-in: 1 "tout va bien", 9 "j'ai besoin d'aide") and
 * says what to speak back. Called for calls we placed only; it must be idempotent, since the provider
 * retries a callback it got no answer to.
 */
export class VoiceKeypad extends Context.Tag("@vigie/domain/VoiceKeypad")<
  VoiceKeypad,
  { readonly answer: (reference: string, digits: string) => Effect.Effect<KeypadAnswer> }
>() {}
