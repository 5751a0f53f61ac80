import type { StaffRole } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { ProposalStatus } from "./CommunityProposal.js"

/** How many proposals one account may have waiting for a decision at once. */
export const PENDING_PROPOSALS_LIMIT = 3

/** What may happen to a proposal: the deciders accept or refuse it, its requester withdraws it. */
export type ProposalEvent = "accept" | "refuse" | "withdraw"

const target: Record<ProposalEvent, ProposalStatus> = {
  accept: "accepted",
  refuse: "refused",
  withdraw: "withdrawn"
}

/**
 * The status after `event`, or undefined when the event is not allowed: only a pending proposal moves
 * (to accepted, refused or withdrawn); a decided or withdrawn one never changes again. The SQL
 * adapter decides the same with `WHERE status = 'pending'`.
 */
export const nextStatus = (status: ProposalStatus, event: ProposalEvent): ProposalStatus | undefined =>
  status === "pending" ? target[event] : undefined

/** Whether the proposal still waits for a decision. */
export const isPending = (status: ProposalStatus): boolean => status === "pending"

/**
 * Whether these roles decide the proposals of `insee`: the platform admins always; the commune's
 * mairie agents when the commune is a Mairie Vigilante (elsewhere the proposals go to the admins).
 * Municipal police, moderators, référents and residents never.
 */
export const decidesProposals = (
  roles: ReadonlyArray<StaffRole>,
  insee: InseeCode,
  vigilant: boolean
): boolean => roles.some((r) => r._tag === "Admin" || (vigilant && r._tag === "MairieAgent" && r.insee === insee))

/** Whether these roles may decide some proposals (an admin, or a mairie agent of some commune). */
export const mayDecideSome = (roles: ReadonlyArray<StaffRole>): boolean =>
  roles.some((r) => r._tag === "Admin" || r._tag === "MairieAgent")
