import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import type { KeypadAnswer } from "@vigie/domain/channels/VoiceKeypad"
import { Effect, Layer } from "effect"

/** What the default keypad says to every key. */
export const THANK_YOU = "Merci."

/** One context's keypad: what keys mean for the calls whose reference it placed. */
export type KeypadAnswerer = (reference: string, digits: string) => Effect.Effect<KeypadAnswer>

/**
 * A keypad that hands each call to the context that placed it, by the prefix of its reference
 * ("veille:" → the veille's check-ins), and thanks every other key ("Merci."). The first prefix that
 * matches wins.
 */
export const routed = (routes: ReadonlyArray<readonly [prefix: string, answer: KeypadAnswerer]>): VoiceKeypad["Type"] =>
  VoiceKeypad.of({
    answer: (reference, digits) => {
      const route = routes.find(([prefix]) => reference.startsWith(prefix))
      return route === undefined ? Effect.succeed({ speak: THANK_YOU }) : route[1](reference, digits)
    }
  })

/**
 * The keypad of a platform where no context answers keys yet: every key of every call is thanked
 * ("Merci.") and nothing else happens. Urgent alerts by voice offer no key, so only calls placed by a
 * context that provides its own answerer (the veille's check-ins, at merge: `routed([["veille:", …]])`)
 * reach one; until then, this one.
 */
export const layer: Layer.Layer<VoiceKeypad> = Layer.succeed(VoiceKeypad, routed([]))
