import { Schema } from "effect"
import { AlertId, AlertStatus } from "../alerts/Alert.js"
import { CommunityId } from "../communities/Community.js"
import { InseeCode } from "../communities/Commune.js"

/**
 * Something that happened, told to every open app whose member belongs to one of `communityIds`
 * (and to the staff of `insee`). Carries ids and facts only; readers fetch what they may see.
 */
export const LiveEvent = Schema.Union(
  Schema.TaggedStruct("AlertPublished", { alertId: AlertId, insee: InseeCode, communityIds: Schema.Array(CommunityId) }),
  Schema.TaggedStruct("AlertChanged", {
    alertId: AlertId,
    insee: InseeCode,
    communityIds: Schema.Array(CommunityId),
    status: AlertStatus
  }),
  Schema.TaggedStruct("DeliveryProgress", { alertId: AlertId, insee: InseeCode }),
  /** Someone set or removed a "J'y vais" / "Vu" mark on the alert: readers re-read its marks. */
  Schema.TaggedStruct("AlertReactionsChanged", { alertId: AlertId, insee: InseeCode, communityIds: Schema.Array(CommunityId) })
)
export type LiveEvent = typeof LiveEvent.Type
