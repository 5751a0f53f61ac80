import { Schema } from "effect"
import { PhoneKind } from "../channels/PhoneNumbers.js"
import { AccountId } from "../shared/Ids.js"
import { MembershipId } from "../membership/Membership.js"
import { CommunityId } from "../communities/Community.js"

/**
 * A neighbour registered from a paper form by a référent of their quartier or a mairie agent of
 * their commune. The registration vouches for the address; the phone is marked verified only when it
 * is a mobile (the signed form attests it), so that alerts reach it by SMS. A landline never gets an
 * SMS; it gets urgent alerts by voice call when the form's « appel vocal pour les alertes urgentes »
 * is ticked (the signed form attests the number), and otherwise is the référent's way to call them.
 */
export class PaperNeighbourRegistered extends Schema.Class<PaperNeighbourRegistered>("PaperNeighbourRegistered")({
  accountId: AccountId,
  membershipId: MembershipId,
  communityId: CommunityId,
  phoneKind: PhoneKind,
  /** Whether alerts of the quartier will reach the neighbour by SMS (only a mobile can receive them). */
  smsAlerts: Schema.Boolean,
  /** Whether urgent alerts will also reach them by a voice call (« appel vocal pour les alertes urgentes »). */
  voiceAlerts: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/**
 * The answer to a claim request, the same whether the number belongs to a neighbour registered on
 * paper or not (nobody learns who is registered): when it does, a code has left by SMS, or a letter
 * carrying one is on its way to the registered home address.
 */
export class AccountClaimRequested extends Schema.Class<AccountClaimRequested>("AccountClaimRequested")({
  channel: Schema.Literal("sms", "letter"),
  /** How long the code works once sent: 10 minutes for an SMS, 30 days (43,200 minutes) for a letter. */
  validMinutes: Schema.NonNegativeInt
}) {}

/** How the neighbour asks to receive the claim code. */
export const ClaimChannel = Schema.Literal("sms", "letter")
export type ClaimChannel = typeof ClaimChannel.Type
