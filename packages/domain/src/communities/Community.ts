import { Schema } from "effect"
import { InseeCode } from "./Commune.js"
import { Polygon } from "./GeoJson.js"
import { BoundedText } from "../shared/Text.js"

export const CommunityId = Schema.UUID.pipe(Schema.brand("CommunityId"))
export type CommunityId = typeof CommunityId.Type

export const CommunityStatus = Schema.Literal("active", "archived")
export type CommunityStatus = typeof CommunityStatus.Type

/** A neighbourhood community (quartier): closed, address-verified, inside one commune. */
export class Community extends Schema.Class<Community>("Community")({
  id: CommunityId,
  insee: InseeCode,
  name: BoundedText(120),
  perimeter: Polygon,
  status: CommunityStatus
}) {}
