import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { Community, CommunityId } from "../communities/Community.js"
import {
  CommunityArchived,
  CommunityNameTaken,
  CommunityNotFound,
  InvalidPerimeter,
  PerimeterOverlap,
  UnknownCommune
} from "../communities/CommunityErrors.js"
import { Polygon } from "../communities/GeoJson.js"
import { MembershipId, MembershipRole } from "../membership/Membership.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { BoundedText } from "../shared/Text.js"
import { RedrawPreviewStale } from "./MairieErrors.js"

/**
 * Quartiers managed by the mairie: mairie agents of the quartier's commune and platform admins only
 * (municipal police, moderators, référents and residents are refused with Forbidden).
 *
 * A perimeter must be a valid polygon (InvalidPerimeter: degenerate or self-crossing) that shares no
 * area with another active quartier of the commune (PerimeterOverlap names it; touching along an edge
 * or at a corner is allowed). Whether it lies within the commune's contour is NOT checked: no
 * maintained package ships the official commune contours.
 */

const access = [Unauthenticated, AccountSuspended, Forbidden, InvalidRequest] as const

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

/** The active quartiers of a commune, with their perimeters, figures and référents. */
export const ListManagedCommunities = Rpc.make("ListManagedCommunities", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: Schema.Array(ManagedCommunity),
  error: Schema.Union(...access, UnknownCommune)
})

/** Opens a quartier in the commune with the drawn perimeter. */
export const CreateCommunity = Rpc.make("CreateCommunity", {
  payload: Schema.Struct({ insee: InseeCode, name: QuartierName, perimeter: Polygon }),
  success: Community,
  error: Schema.Union(...access, UnknownCommune, InvalidPerimeter, PerimeterOverlap, CommunityNameTaken)
})

/** Renames an active quartier. */
export const RenameCommunity = Rpc.make("RenameCommunity", {
  payload: Schema.Struct({ communityId: CommunityId, name: QuartierName }),
  success: Community,
  error: Schema.Union(...access, CommunityNotFound, CommunityArchived, CommunityNameTaken)
})

/** Who would fall outside the quartier if it were redrawn with `perimeter`. Nothing changes. */
export const PreviewRedraw = Rpc.make("PreviewRedraw", {
  payload: Schema.Struct({ communityId: CommunityId, perimeter: Polygon }),
  success: Schema.Struct({ outside: Schema.Array(MemberOutside) }),
  error: Schema.Union(...access, CommunityNotFound, CommunityArchived, InvalidPerimeter, PerimeterOverlap)
})

/**
 * Redraws the quartier. `acknowledged` is the preview's list of members outside; when the members
 * outside are not exactly these now, RedrawPreviewStale and nothing changes. Otherwise each member
 * outside leaves the quartier and is told by e-mail, in the same transaction as the new perimeter.
 */
export const RedrawCommunity = Rpc.make("RedrawCommunity", {
  payload: Schema.Struct({
    communityId: CommunityId,
    perimeter: Polygon,
    acknowledged: Schema.Array(MembershipId).pipe(Schema.maxItems(100_000))
  }),
  success: Community,
  error: Schema.Union(
    ...access,
    CommunityNotFound,
    CommunityArchived,
    InvalidPerimeter,
    PerimeterOverlap,
    RedrawPreviewStale
  )
})

/** Archives the quartier: it leaves every scope, every member is told by e-mail. */
export const ArchiveCommunity = Rpc.make("ArchiveCommunity", {
  payload: Schema.Struct({ communityId: CommunityId }),
  success: Schema.Void,
  error: Schema.Union(...access, CommunityNotFound, CommunityArchived)
})

/** The quartier's pending and verified members, to choose référents. */
export const ListCommunityMembers = Rpc.make("ListCommunityMembers", {
  payload: Schema.Struct({ communityId: CommunityId }),
  success: Schema.Array(CommunityMember),
  error: Schema.Union(...access, CommunityNotFound)
})

/** Makes a verified member of the quartier one of its référents (idempotent). */
export const AppointReferent = Rpc.make("AppointReferent", {
  payload: Schema.Struct({ communityId: CommunityId, membershipId: MembershipId }),
  success: Schema.Void,
  error: Schema.Union(...access, CommunityNotFound, CommunityArchived, NotAVerifiedMember)
})

/** Makes a référent of the quartier a plain member again (idempotent). */
export const RemoveReferent = Rpc.make("RemoveReferent", {
  payload: Schema.Struct({ communityId: CommunityId, membershipId: MembershipId }),
  success: Schema.Void,
  error: Schema.Union(...access, CommunityNotFound, NotAVerifiedMember)
})

/** The mairie's management of its quartiers and référents. */
export class QuartierRpcs extends RpcGroup.make(
  ListManagedCommunities,
  CreateCommunity,
  RenameCommunity,
  PreviewRedraw,
  RedrawCommunity,
  ArchiveCommunity,
  ListCommunityMembers,
  AppointReferent,
  RemoveReferent
).middleware(Authentication) {}
