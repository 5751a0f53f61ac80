import { Schema } from "effect"
import { AccountId, AlertId, AlertStatus } from "../shared/Ids.js"
import { CommunityId } from "../communities/Community.js"
import { InseeCode } from "../communities/Commune.js"

/**
 * Whether the staff (mairie, police) of `insee` are told too: the alert is a town alert or was shared
 * with them (AlertAccess.forAuthorities). Absent on the wire (an older process): not told.
 */
const authorities = Schema.optionalWith(Schema.Boolean, { default: () => false })

/**
 * Something that happened, told to every open app whose member belongs to one of `communityIds`,
 * and to the staff of `insee` when `authorities` (AlertAccess.receivesLiveEvent). Carries ids and
 * facts only, never an account; readers fetch what they may see.
 */
export const LiveEvent = Schema.Union(
  Schema.TaggedStruct("AlertPublished", {
    alertId: AlertId,
    insee: InseeCode,
    communityIds: Schema.Array(CommunityId),
    authorities
  }),
  Schema.TaggedStruct("AlertChanged", {
    alertId: AlertId,
    insee: InseeCode,
    communityIds: Schema.Array(CommunityId),
    authorities,
    status: AlertStatus
  }),
  Schema.TaggedStruct("DeliveryProgress", { alertId: AlertId, insee: InseeCode, authorities }),
  /** Someone set or removed a "J'y vais" / "Vu" mark on the alert: readers re-read its marks. */
  Schema.TaggedStruct("AlertReactionsChanged", {
    alertId: AlertId,
    insee: InseeCode,
    communityIds: Schema.Array(CommunityId),
    authorities
  }),
  /**
   * A Gazette post was published, closed, renewed or withdrawn: open Gazette pages of `communityIds`
   * re-read it (GetGazettePost / ListGazette). `mairie`: a communication, told to the mairie agents
   * of `insee` too. The post's id is a Gazette post id (gazette/GazettePost), a plain UUID here.
   */
  Schema.TaggedStruct("GazetteChanged", {
    postId: Schema.UUID,
    insee: InseeCode,
    communityIds: Schema.Array(CommunityId),
    mairie: Schema.Boolean
  }),
  /**
   * A conversation moved (a message, a read mark, someone left): told to its current members
   * (`accountIds`) only, whose open pages re-read it (issue 16). The id is a messaging ConversationId.
   */
  Schema.TaggedStruct("ConversationChanged", {
    conversationId: Schema.UUID,
    accountIds: Schema.Array(AccountId)
  })
)
export type LiveEvent = typeof LiveEvent.Type
