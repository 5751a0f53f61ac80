import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { CommunityId } from "../communities/Community.js"
import type { AlreadyMember } from "./MembershipErrors.js"
import type {
  HomeAddress,
  Membership,
  MembershipId,
  MembershipLeftReason,
  MembershipRole,
  MembershipStatus
} from "./Membership.js"

export interface NewMembership {
  readonly accountId: AccountId
  readonly communityId: CommunityId
  readonly role: MembershipRole
  readonly status: MembershipStatus
  readonly address: HomeAddress
}

/** Persistence of memberships. The first membership of an account is its home community. */
export class MembershipRepo extends Context.Tag("@vigie/domain/MembershipRepo")<
  MembershipRepo,
  {
    readonly insert: (membership: NewMembership) => Effect.Effect<Membership, AlreadyMember>
    readonly findById: (id: MembershipId) => Effect.Effect<Option.Option<Membership>>
    readonly listByAccount: (accountId: AccountId) => Effect.Effect<ReadonlyArray<Membership>>
    readonly setStatus: (id: MembershipId, status: MembershipStatus) => Effect.Effect<void>
    /**
     * Moves the membership's status only from `from` (a ban, its lifting), its verification date kept;
     * false when it was not in `from`.
     */
    readonly moveStatus: (id: MembershipId, from: MembershipStatus, to: MembershipStatus) => Effect.Effect<boolean>
    readonly setRole: (id: MembershipId, role: MembershipRole) => Effect.Effect<void>
    /**
     * Ends the memberships (pending or verified) of `community` among `ids`, not by the members' own
     * choice: status 'left' with the reason, role back to resident, no longer the home. Returns the
     * ones it ended.
     */
    readonly endForCommunity: (
      community: CommunityId,
      ids: ReadonlyArray<MembershipId>,
      reason: MembershipLeftReason
    ) => Effect.Effect<ReadonlyArray<MembershipId>>
  }
>() {}
