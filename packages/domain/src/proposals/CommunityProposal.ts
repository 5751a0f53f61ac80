import { Schema } from "effect"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { Polygon } from "../communities/GeoJson.js"
import { BoundedText } from "../shared/Text.js"

/** A quartier proposal's id. */
export const ProposalId = Schema.UUID.pipe(Schema.brand("ProposalId"))
export type ProposalId = typeof ProposalId.Type

/**
 * Where a proposal stands: waiting for the decision of the commune's mairie (or of the platform
 * admins), accepted (the quartier is open), refused with a reason, or withdrawn by its requester.
 */
export const ProposalStatus = Schema.Literal("pending", "accepted", "refused", "withdrawn")
export type ProposalStatus = typeof ProposalStatus.Type

/** Why a resident proposes the quartier: trimmed, non-blank, at most 1,000 characters. */
export const ProposalReason = BoundedText(1000)

/** Why the mairie refuses a proposal, told to the requester: trimmed, non-blank, at most 1,000 characters. */
export const RefusalReason = BoundedText(1000)

/** A proposal as its requester sees it. */
export class MyProposal extends Schema.Class<MyProposal>("MyProposal")({
  id: ProposalId,
  insee: InseeCode,
  communeName: Schema.String,
  name: Schema.String,
  reason: Schema.String,
  perimeter: Polygon,
  status: ProposalStatus,
  createdAt: Schema.DateTimeUtc,
  decidedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  refusalReason: Schema.OptionFromNullOr(Schema.String),
  communityId: Schema.OptionFromNullOr(CommunityId)
}) {}

/**
 * A proposal as those who decide it see it: the requester's short name and their street (no house
 * number), postcode and city, besides what they proposed.
 */
export class ProposalForDecision extends Schema.Class<ProposalForDecision>("ProposalForDecision")({
  id: ProposalId,
  insee: InseeCode,
  communeName: Schema.String,
  name: Schema.String,
  reason: Schema.String,
  perimeter: Polygon,
  status: ProposalStatus,
  createdAt: Schema.DateTimeUtc,
  decidedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  refusalReason: Schema.OptionFromNullOr(Schema.String),
  communityId: Schema.OptionFromNullOr(CommunityId),
  requesterName: Schema.String,
  street: Schema.String,
  postcode: Schema.String,
  city: Schema.String
}) {}

/** No such proposal, or not the caller's (the two are not told apart). */
export class ProposalNotFound extends Schema.TaggedError<ProposalNotFound>()("ProposalNotFound", {
  proposalId: ProposalId
}) {}

/** The proposal was decided (accepted, refused) or withdrawn already: it never changes again. */
export class ProposalAlreadyDecided extends Schema.TaggedError<ProposalAlreadyDecided>()("ProposalAlreadyDecided", {
  proposalId: ProposalId,
  status: ProposalStatus
}) {}

/**
 * The requester can no longer become the new quartier's référent, so accepting is refused and nothing
 * is opened: their account was suspended (or erased) since they proposed, or they joined as many
 * quartiers as one may be in (`max`). The decider refuses the proposal, or opens a quartier themselves.
 */
export class RequesterUnavailable extends Schema.TaggedError<RequesterUnavailable>()("RequesterUnavailable", {
  proposalId: ProposalId,
  reason: Schema.Literal("suspended", "erased", "too_many_communities"),
  max: Schema.Int
}) {}

/** The account has `limit` proposals waiting for a decision already: one more is refused. */
export class TooManyPendingProposals extends Schema.TaggedError<TooManyPendingProposals>()(
  "TooManyPendingProposals",
  { limit: Schema.Int }
) {}
