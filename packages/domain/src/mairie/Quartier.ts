import { Schema } from "effect"
import { InseeCode } from "../communities/Commune.js"
import { Community } from "../communities/Community.js"
import { MembershipId, MembershipRole } from "../membership/Membership.js"
import { BoundedText } from "../shared/Text.js"

/** A quartier name: trimmed, non-blank, at most 120 characters. */
export const QuartierName = BoundedText(120)

/** A member as the mairie sees them when choosing référents or before a redraw: their short name. */
export const MemberName = Schema.Struct({ membershipId: MembershipId, displayName: Schema.String })
export type MemberName = typeof MemberName.Type

/** An active quartier of the commune with its verified members' count and its référents. */
export const ManagedCommunity = Schema.Struct({
  community: Community,
  verifiedMembers: Schema.NonNegativeInt,
  referents: Schema.Array(MemberName)
})
export type ManagedCommunity = typeof ManagedCommunity.Type

/** A member whose home lies outside a proposed perimeter, with the street (no house number). */
export const MemberOutside = Schema.Struct({
  membershipId: MembershipId,
  displayName: Schema.String,
  street: Schema.String
})
export type MemberOutside = typeof MemberOutside.Type

/** A member of a quartier, pending or verified (left and banned memberships are not listed). */
export const CommunityMember = Schema.Struct({
  membershipId: MembershipId,
  displayName: Schema.String,
  role: MembershipRole,
  verified: Schema.Boolean
})
export type CommunityMember = typeof CommunityMember.Type

/** A map's extent in degrees (west ≤ east, south ≤ north). */
export const MapExtent = Schema.Struct({
  west: Schema.Number.pipe(Schema.between(-180, 180)),
  south: Schema.Number.pipe(Schema.between(-90, 90)),
  east: Schema.Number.pipe(Schema.between(-180, 180)),
  north: Schema.Number.pipe(Schema.between(-90, 90))
})
export type MapExtent = typeof MapExtent.Type

/**
 * The commune whose quartiers are managed: its name from the official list and, while it has no
 * active quartier yet, where its map starts (`startExtent`: the active quartiers of its département,
 * the nearest places Vigie knows, as the official list has no coordinates; none: all of France).
 */
export const ManagedCommune = Schema.Struct({
  insee: InseeCode,
  name: Schema.String,
  startExtent: Schema.OptionFromNullOr(MapExtent)
})
export type ManagedCommune = typeof ManagedCommune.Type
