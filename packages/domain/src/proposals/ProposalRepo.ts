import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId, AccountStatus } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { Polygon } from "../communities/GeoJson.js"
import type { HomeAddress } from "../membership/Membership.js"
import type { ProposalId, ProposalStatus } from "./CommunityProposal.js"

/** A proposal to write: pending from `at`. */
export interface NewProposal {
  readonly requesterId: AccountId
  readonly insee: InseeCode
  readonly name: string
  readonly reason: string
  readonly perimeter: Polygon
  readonly address: HomeAddress
  readonly at: DateTime.Utc
}

/** A proposal as stored, with its requester's names. */
export interface StoredProposal {
  readonly id: ProposalId
  readonly requesterId: AccountId
  readonly requesterFirstName: string
  readonly requesterLastName: string
  readonly requesterStatus: AccountStatus
  readonly insee: InseeCode
  readonly name: string
  readonly reason: string
  readonly perimeter: Polygon
  readonly address: HomeAddress
  readonly status: ProposalStatus
  readonly createdAt: DateTime.Utc
  readonly decidedAt: Option.Option<DateTime.Utc>
  readonly refusalReason: Option.Option<string>
  readonly communityId: Option.Option<CommunityId>
}

/** How a pending proposal ends. */
export type ProposalOutcome =
  | { readonly status: "accepted"; readonly communityId: CommunityId }
  | { readonly status: "refused"; readonly reason: string }
  | { readonly status: "withdrawn" }

/** Which proposals the deciders list: one commune's, or those of every commune that is no Mairie Vigilante. */
export type ProposalScope =
  | { readonly _tag: "Commune"; readonly insee: InseeCode }
  | { readonly _tag: "NotVigilant" }

/** The quartier proposals of residents. */
export class ProposalRepo extends Context.Tag("@vigie/domain/ProposalRepo")<
  ProposalRepo,
  {
    readonly insert: (proposal: NewProposal) => Effect.Effect<ProposalId>
    readonly find: (id: ProposalId) => Effect.Effect<Option.Option<StoredProposal>>
    /** The account's proposals, newest first. */
    readonly listByRequester: (accountId: AccountId) => Effect.Effect<ReadonlyArray<StoredProposal>>
    /** The scope's proposals: pending first (oldest first), then the decided ones (newest first), at most 200. */
    readonly list: (scope: ProposalScope) => Effect.Effect<ReadonlyArray<StoredProposal>>
    readonly countPending: (accountId: AccountId) => Effect.Effect<number>
    /**
     * Ends a pending proposal (`by` is the decider, or the requester when withdrawn); false, and nothing
     * written, when it is not pending (ProposalPolicy.nextStatus decides the same).
     */
    readonly decide: (
      id: ProposalId,
      outcome: ProposalOutcome,
      by: AccountId,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
  }
>() {}
