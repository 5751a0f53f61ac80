import { Schema } from "effect"

/** INSEE code of a French commune: five characters, digits, or 2A/2B for Corsica. */
export const InseeCode = Schema.String.pipe(
  Schema.pattern(/^(?:[0-9]{2}|2A|2B)[0-9]{3}$/),
  Schema.brand("InseeCode"),
  Schema.annotations({ identifier: "InseeCode" })
)
export type InseeCode = typeof InseeCode.Type

/** A French postcode: five digits. */
export const Postcode = Schema.String.pipe(
  Schema.pattern(/^[0-9]{5}$/),
  Schema.brand("Postcode"),
  Schema.annotations({ identifier: "Postcode" })
)
export type Postcode = typeof Postcode.Type

/** A commune from the official list (INSEE). */
export class Commune extends Schema.Class<Commune>("Commune")({
  insee: InseeCode,
  name: Schema.String,
  postcodes: Schema.Array(Postcode),
  population: Schema.NonNegativeInt
}) {}
