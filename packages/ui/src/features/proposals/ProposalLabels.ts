import type { ProposalStatus } from "@vigie/domain/proposals/CommunityProposal"

/** A proposal's status in French. */
export const statusLabel: Record<ProposalStatus, string> = {
  pending: "En attente de décision",
  accepted: "Acceptée : le quartier est ouvert",
  refused: "Refusée",
  withdrawn: "Retirée"
}
