import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { UploadId } from "../media/Upload.js"
import type { AccountId, CommunityId } from "../shared/Ids.js"
import type { MemberProfile } from "./Profile.js"
import type { DirectoryMember } from "./ProfilePolicy.js"

/**
 * Persistence of profiles (table member_profiles) and the reads the annuaire's rules need. It
 * decides nothing: who sees what is ProfilePolicy's, on the facts read here.
 */
export class ProfileRepo extends Context.Tag("@vigie/domain/ProfileRepo")<
  ProfileRepo,
  {
    readonly get: (accountId: AccountId) => Effect.Effect<Option.Option<MemberProfile>>
    /** Writes the member's profile (replacing the one before). */
    readonly save: (profile: MemberProfile) => Effect.Effect<void>
    /** The account (any status), its verified memberships and its profile; none for an unknown id. */
    readonly member: (accountId: AccountId) => Effect.Effect<Option.Option<DirectoryMember>>
    /** Every account verified in the quartier, each with its verified membership there only, and its profile. */
    readonly membersOf: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<DirectoryMember>>
    /** The account whose profile shows this photo, if any. */
    readonly ownerOfPhoto: (uploadId: UploadId) => Effect.Effect<Option.Option<AccountId>>
  }
>() {}
