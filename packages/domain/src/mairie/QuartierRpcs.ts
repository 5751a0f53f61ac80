import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { Community, CommunityId } from "../communities/Community.js"
import { MembershipId } from "../membership/Membership.js"
import {
  CommunityArchived,
  CommunityNameTaken,
  CommunityNotFound,
  InvalidPerimeter,
  PerimeterOverlap,
  UnknownCommune
} from "../communities/CommunityErrors.js"
import { Polygon } from "../communities/GeoJson.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { RedrawPreviewStale } from "./MairieErrors.js"
import { CommunityMember, ManagedCommune, ManagedCommunity, MemberOutside, QuartierName } from "./Quartier.js"

/**
 * Quartiers managed by the mairie: mairie agents of the quartier's commune and platform admins only
 * (municipal police, moderators, référents and residents are refused with Forbidden).
 *
 * A perimeter must be a valid polygon (InvalidPerimeter: degenerate or self-crossing) that shares no
 * area with another active quartier of the commune (PerimeterOverlap names it; touching along an edge
 * or at a corner is allowed). Whether it lies within the commune's contour is NOT checked: no
 * maintained package ships the official commune contours.
 */

export {
  CommunityMember,
  ManagedCommune,
  ManagedCommunity,
  MapExtent,
  MemberName,
  MemberOutside,
  QuartierName
} from "./Quartier.js"

const access = [Unauthenticated, AccountSuspended, Forbidden, InvalidRequest] as const

/** The active quartiers of a commune, with their perimeters, figures and référents. */
export const ListManagedCommunities = Rpc.make("ListManagedCommunities", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: Schema.Array(ManagedCommunity),
  error: Schema.Union(...access, UnknownCommune)
})

/** The commune's name and, while it has no quartier, where its map starts (nearby quartiers). */
export const GetManagedCommune = Rpc.make("GetManagedCommune", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: ManagedCommune,
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
  GetManagedCommune,
  CreateCommunity,
  RenameCommunity,
  PreviewRedraw,
  RedrawCommunity,
  ArchiveCommunity,
  ListCommunityMembers,
  AppointReferent,
  RemoveReferent
).middleware(Authentication) {}
