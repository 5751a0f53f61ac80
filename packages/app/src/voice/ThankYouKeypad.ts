import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import { Effect, Layer } from "effect"

/** What the default keypad says to every key. */
export const THANK_YOU = "Merci."

/**
 * The keypad of a platform where no context answers keys yet: every key of every call is thanked
 * ("Merci.") and nothing else happens. Urgent alerts by voice offer no key, so only calls placed by a
 * context that provides its own keypad (the veille's check-ins) reach one; until it is wired, this one.
 */
export const layer: Layer.Layer<VoiceKeypad> = Layer.succeed(
  VoiceKeypad,
  VoiceKeypad.of({ answer: () => Effect.succeed({ speak: THANK_YOU }) })
)
