import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { AccountStatus } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { Community, CommunityId } from "../communities/Community.js"
import type { Polygon, Position } from "../communities/GeoJson.js"
import type { MembershipId, MembershipRole, MembershipStatus } from "../membership/Membership.js"
import type { AccountId } from "../shared/Ids.js"

/** A person as the mairie's quartier screens name them (their short name is made from these). */
export interface PersonNames {
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
}

/** A current (pending or verified) member of a quartier, with where they live. */
export interface QuartierMember extends PersonNames {
  readonly membershipId: MembershipId
  readonly accountId: AccountId
  readonly role: MembershipRole
  readonly membershipStatus: MembershipStatus
  readonly addressLine1: string
  readonly location: Option.Option<Position>
}

/** An active quartier with its figures and its référents. */
export interface ManagedQuartier {
  readonly community: Community
  readonly verifiedMembers: number
  readonly referents: ReadonlyArray<PersonNames & { readonly membershipId: MembershipId }>
}

/** What the mairie's quartier screens read, across communities, memberships and accounts. */
export class QuartierRepo extends Context.Tag("@vigie/domain/QuartierRepo")<
  QuartierRepo,
  {
    /** The active quartiers of the commune by name, their verified members counted, their verified référents. */
    readonly listManaged: (insee: InseeCode) => Effect.Effect<ReadonlyArray<ManagedQuartier>>
    /**
     * The perimeters of the active quartiers of the other communes whose INSEE code begins with
     * `departement` (QuartierPolicy.departementOf), where a commune's first quartier is drawn from.
     */
    readonly perimetersNear: (departement: string, except: InseeCode) => Effect.Effect<ReadonlyArray<Polygon>>
    /** The pending and verified members of the quartier, by name. */
    readonly members: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<QuartierMember>>
  }
>() {}
