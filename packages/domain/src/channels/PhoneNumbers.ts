import { Context, Schema } from "effect"
import type { Effect, Option } from "effect"
import type { PhoneE164 } from "../shared/Text.js"

/** A phone number as a person types it: "06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678". */
export const PhoneInput = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)).annotations({
  identifier: "PhoneInput"
})

/** Whether a number can receive an SMS (a mobile) or not (a landline). */
export const PhoneKind = Schema.Literal("mobile", "landline")
export type PhoneKind = typeof PhoneKind.Type

export interface ClassifiedPhone {
  readonly phone: PhoneE164
  readonly kind: PhoneKind
}

/**
 * Reads typed phone numbers into E.164 (French by default). Adapter: libphonenumber-js. Only
 * numbers that can receive an SMS (mobile, or fixed-or-mobile) are accepted.
 */
export class PhoneNumbers extends Context.Tag("@vigie/domain/PhoneNumbers")<
  PhoneNumbers,
  {
    readonly normalize: (typed: string) => Effect.Effect<Option.Option<PhoneE164>>
    /** The country (ISO 3166 code) a normalised number belongs to, when known. */
    readonly country: (phone: PhoneE164) => Effect.Effect<Option.Option<string>>
    /**
     * Reads any valid number, landlines included, and says whether it can take an SMS ("mobile") or
     * not ("landline"): a neighbour registered on paper may give either.
     */
    readonly classify: (typed: string) => Effect.Effect<Option.Option<ClassifiedPhone>>
  }
>() {}
