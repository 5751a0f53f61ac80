import { Schema } from "effect"
import { AccountId } from "../shared/Ids.js"
import { CommunityId } from "../communities/Community.js"
import { Position } from "../communities/GeoJson.js"
import { BoundedText } from "../shared/Text.js"
import { Postcode } from "../communities/Commune.js"
import { MembershipId } from "../shared/Ids.js"

export { MembershipId }

export const MembershipRole = Schema.Literal("resident", "referent")
export type MembershipRole = typeof MembershipRole.Type

/** pending_verification → verified → left | banned (see MembershipPolicy for every allowed move). */
export const MembershipStatus = Schema.Literal("pending_verification", "verified", "left", "banned")
export type MembershipStatus = typeof MembershipStatus.Type

/** Why a membership ended when the member did not choose it: the mairie redrew the quartier without their home. */
export const MembershipLeftReason = Schema.Literal("perimeter_redrawn")
export type MembershipLeftReason = typeof MembershipLeftReason.Type

/** A home address. Never shown outside the community without the member's consent. */
export class HomeAddress extends Schema.Class<HomeAddress>("HomeAddress")({
  line1: BoundedText(200),
  line2: Schema.optionalWith(BoundedText(200), { as: "Option", nullable: true }),
  postcode: Postcode,
  city: BoundedText(120),
  location: Schema.optionalWith(Position, { as: "Option", nullable: true })
}) {}

/** An account's place in one community. */
export class Membership extends Schema.Class<Membership>("Membership")({
  id: MembershipId,
  accountId: AccountId,
  communityId: CommunityId,
  role: MembershipRole,
  status: MembershipStatus,
  home: Schema.Boolean,
  address: HomeAddress,
  createdAt: Schema.DateTimeUtc,
  verifiedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc)
}) {}
