import { Schema } from "effect"
import { InseeCode, Postcode } from "../communities/Commune.js"

/** The home address's postcode does not serve the commune of the chosen community. */
export class AddressOutsideCommune extends Schema.TaggedError<AddressOutsideCommune>()("AddressOutsideCommune", {
  postcode: Postcode,
  insee: InseeCode
}) {}
