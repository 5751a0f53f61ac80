import { Schema } from "effect"
import { InseeCode } from "./Commune.js"
import { Polygon } from "./GeoJson.js"
import { BoundedText } from "../shared/Text.js"
import { CommunityId } from "../shared/Ids.js"

export { CommunityId }

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
