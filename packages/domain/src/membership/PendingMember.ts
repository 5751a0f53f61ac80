import { Context, Schema } from "effect"
import type { Effect } from "effect"
import { CommunityId } from "../communities/Community.js"
import { PersonName } from "../shared/Text.js"
import { HomeAddress, MembershipId } from "./Membership.js"

/** Someone waiting to join a community, as a référent or the mairie sees them before vouching. */
export class PendingMember extends Schema.Class<PendingMember>("PendingMember")({
  membershipId: MembershipId,
  communityId: CommunityId,
  firstName: PersonName,
  lastName: PersonName,
  address: HomeAddress,
  createdAt: Schema.DateTimeUtc
}) {}

/** Reads the memberships of a community that wait for verification. */
export class PendingMembers extends Context.Tag("@vigie/domain/PendingMembers")<
  PendingMembers,
  { readonly ofCommunity: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<PendingMember>> }
>() {}
