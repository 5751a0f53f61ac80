import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { CommunityId } from "../communities/Community.js"

/** An author's and a community's recent alerts, for the trust policy and the rate limit. */
export interface TrustCounts {
  readonly total: number
  readonly rateRecent: number
  readonly memberRecent: number
  readonly communityRecent: number
}

/** How many alerts an author posted: ever, and since a moment (for the hold and rate rules). */
export class AlertHistory extends Context.Tag("@vigie/domain/AlertHistory")<
  AlertHistory,
  {
    readonly countByAuthor: (
      authorId: AccountId,
      since: DateTime.Utc
    ) => Effect.Effect<{ readonly total: number; readonly recent: number }>
    /**
     * The counts the trust policy and the rate limit need, in one query: the author's alerts ever,
     * since `rateSince` and since `memberSince`, and the alerts of `communityId` since `communitySince`.
     */
    readonly trustCounts: (
      authorId: AccountId,
      communityId: CommunityId,
      since: { readonly rate: DateTime.Utc; readonly member: DateTime.Utc; readonly community: DateTime.Utc }
    ) => Effect.Effect<TrustCounts>
  }
>() {}
