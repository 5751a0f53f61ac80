import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import { VeilleKeypad } from "@vigie/domain/checkin/Veilles"
import { Effect, Layer } from "effect"
import { routed } from "./ThankYouKeypad.js"

/**
 * The platform's keypad: each call's keys go to the context that placed it, by its reference's prefix
 * ("veille:<check-in id>" → the veille: 1 all is well, 9 help); every other key is thanked ("Merci.").
 * The veille's answer is idempotent: Plivo may post the same keys twice.
 */
export const layer: Layer.Layer<VoiceKeypad, never, VeilleKeypad> = Layer.effect(
  VoiceKeypad,
  Effect.map(VeilleKeypad, (veille) => routed([["veille:", (reference, digits) => veille.answer(reference, digits)]]))
)
