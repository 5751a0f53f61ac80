import { PhoneNumbers } from "@vigie/domain/channels/PhoneNumbers"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import { Effect, Layer, Option, Schema } from "effect"

const smsCapable = new Set(["MOBILE", "FIXED_LINE_OR_MOBILE"])

/**
 * ARCEP reserves 06 39 98 00 00 – 06 39 98 99 99 for fiction (films, demos): libphonenumber calls
 * them invalid, but the demo town and the tests use them precisely because they reach nobody.
 */
const fiction = /^\+3363998[0-9]{4}$/

/**
 * Phone numbers read with libphonenumber-js's full metadata: French forms by default ("06 12 34 56
 * 78", "0033 6 ..."), international ones with their "+". Only numbers that can take an SMS pass.
 */
export const make = PhoneNumbers.of({
  normalize: (typed) =>
    Effect.sync(() => {
      const parsed = parsePhoneNumberFromString(typed.replace(/^00/, "+"), "FR")
      if (parsed === undefined) return Option.none()
      const accepted = fiction.test(parsed.number) || (parsed.isValid() && smsCapable.has(parsed.getType() ?? ""))
      return accepted ? Schema.decodeUnknownOption(PhoneE164)(parsed.number) : Option.none()
    }),
  classify: (typed) =>
    Effect.sync(() => {
      const parsed = parsePhoneNumberFromString(typed.replace(/^00/, "+"), "FR")
      if (parsed === undefined) return Option.none()
      const mobile = fiction.test(parsed.number) || (parsed.isValid() && smsCapable.has(parsed.getType() ?? ""))
      if (!mobile && !parsed.isValid()) return Option.none()
      return Option.map(
        Schema.decodeUnknownOption(PhoneE164)(parsed.number),
        (phone) => ({ phone, kind: mobile ? "mobile" as const : "landline" as const })
      )
    }),
  country: (phone) =>
    Effect.sync(() => {
      if (fiction.test(phone)) return Option.some("FR")
      return Option.fromNullable(parsePhoneNumberFromString(phone)?.country)
    })
})

export const layer = Layer.succeed(PhoneNumbers, make)
