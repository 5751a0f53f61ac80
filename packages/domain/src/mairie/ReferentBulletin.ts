import { Option, Schema } from "effect"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { BoundedText } from "../shared/Text.js"
import { AuthorityOrigin } from "./TownAlert.js"

export const BulletinId = Schema.UUID.pipe(Schema.brand("BulletinId"))
export type BulletinId = typeof BulletinId.Type

export const BulletinText = BoundedText(1000).annotations({ identifier: "BulletinText" })

/**
 * Information the mairie or the police give to the référents of chosen communities, who relay it to
 * their neighbours if they judge it right.
 */
export class ReferentBulletin extends Schema.Class<ReferentBulletin>("ReferentBulletin")({
  id: BulletinId,
  insee: InseeCode,
  origin: AuthorityOrigin,
  communityIds: Schema.Array(CommunityId),
  text: BulletinText,
  createdAt: Schema.DateTimeUtc
}) {}

/** A sent bulletin and how many référents it reached. */
export class BulletinSent extends Schema.Class<BulletinSent>("BulletinSent")({
  bulletin: ReferentBulletin,
  referents: Schema.NonNegativeInt
}) {}

/** One page of a référent's inbox, newest first. */
export class ReferentInboxPage extends Schema.Class<ReferentInboxPage>("ReferentInboxPage")({
  bulletins: Schema.Array(ReferentBulletin),
  nextBefore: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}
