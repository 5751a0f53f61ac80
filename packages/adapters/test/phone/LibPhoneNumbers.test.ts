import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Option } from "effect"
import { make as phones } from "../../src/phone/LibPhoneNumbers.js"

describe("LibPhoneNumbers.classify", () => {
  it.effect("a mobile, a landline, ARCEP's fiction range; nothing for what is no number", () =>
    Effect.gen(function*() {
      expect(yield* phones.classify("06 12 34 56 78")).toStrictEqual(
        Option.some({ phone: "+33612345678", kind: "mobile" })
      )
      expect(yield* phones.classify("05 56 12 34 56")).toStrictEqual(
        Option.some({ phone: "+33556123456", kind: "landline" })
      )
      expect(yield* phones.classify("0033 1 42 68 53 00")).toStrictEqual(
        Option.some({ phone: "+33142685300", kind: "landline" })
      )
      expect(yield* phones.classify("06 39 98 00 42")).toStrictEqual(
        Option.some({ phone: "+33639980042", kind: "mobile" })
      )
      expect(yield* phones.classify("12")).toStrictEqual(Option.none())
      expect(yield* phones.classify("pas un numéro")).toStrictEqual(Option.none())
    }))

  it.effect.prop(
    "agrees with normalize: what normalize accepts is a mobile of the same number; a landline is never accepted by normalize",
    [fc.constantFrom("01", "02", "03", "04", "05", "06", "07", "08", "09"), fc.stringMatching(/^[0-9]{8}$/)],
    ([prefix, rest]) =>
      Effect.gen(function*() {
        const typed = `${prefix}${rest}`
        const normalized = yield* phones.normalize(typed)
        const classified = yield* phones.classify(typed)
        if (Option.isSome(normalized)) {
          expect(classified).toStrictEqual(Option.some({ phone: normalized.value, kind: "mobile" }))
        }
        if (Option.isSome(classified) && classified.value.kind === "landline") {
          expect(normalized).toStrictEqual(Option.none())
        }
      })
  )
})
