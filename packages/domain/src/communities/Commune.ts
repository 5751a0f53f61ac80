import { Schema } from "effect"
import { InseeCode } from "../shared/Ids.js"

export { InseeCode }

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
