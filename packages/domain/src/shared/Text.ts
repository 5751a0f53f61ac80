import { Schema } from "effect"

/**
 * A trimmed, non-empty string of at most `max` characters. Every free text that crosses the
 * boundary is bounded, so an oversize payload is a typed parse error, never a stored row.
 */
export const BoundedText = (max: number) => Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(max))

/** A person's first or last name. */
export const PersonName = BoundedText(80).annotations({ identifier: "PersonName" })

/** An e-mail address, lower-cased, at most 254 characters. */
export const Email = Schema.Lowercase.pipe(
  Schema.compose(Schema.Trim),
  Schema.lowercased(),
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
  Schema.brand("Email"),
  Schema.annotations({ identifier: "Email" })
)
export type Email = typeof Email.Type

/** A phone number in E.164 form (+33612345678). Normalisation from French forms happens at the edge. */
export const PhoneE164 = Schema.String.pipe(
  Schema.pattern(/^\+[1-9][0-9]{6,14}$/),
  Schema.brand("PhoneE164"),
  Schema.annotations({ identifier: "PhoneE164" })
)
export type PhoneE164 = typeof PhoneE164.Type
