import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { routed, THANK_YOU } from "../../src/voice/ThankYouKeypad.js"

describe("the platform's keypad", () => {
  it.effect("hands a call to the context of its reference's prefix and thanks every other key", () =>
    Effect.gen(function*() {
      const heard: Array<string> = []
      const keypad = routed([
        ["veille:", (reference, digits) =>
          Effect.sync(() => {
            heard.push(`${reference}=${digits}`)
            return { speak: digits === "9" ? "Nous prévenons vos voisins." : "Merci, bonne journée." }
          })]
      ])
      expect(yield* keypad.answer("veille:step-7", "9")).toEqual({ speak: "Nous prévenons vos voisins." })
      expect(yield* keypad.answer("delivery:12", "1")).toEqual({ speak: THANK_YOU })
      expect(yield* keypad.answer("something-else", "1")).toEqual({ speak: THANK_YOU })
      expect(heard).toEqual(["veille:step-7=9"])
    }))
})
