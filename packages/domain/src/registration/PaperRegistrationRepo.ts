import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { EmailAlreadyUsed } from "../accounts/AccountErrors.js"
import type { PhoneKind } from "../channels/PhoneNumbers.js"
import type { MembershipId } from "../membership/Membership.js"
import type { AccountId } from "../shared/Ids.js"
import type { Email, PhoneE164 } from "../shared/Text.js"

/** A claim letter's code as stored: its keyed hash and what judging a try needs. */
export interface ClaimLetterCode {
  readonly id: string
  readonly codeHash: Uint8Array
  readonly status: "pending" | "used" | "locked" | "superseded"
  readonly attempts: number
  readonly expiresAt: DateTime.Utc
}

/** Persistence of paper registrations and of the claim of their account. */
export class PaperRegistrationRepo extends Context.Tag("@vigie/domain/PaperRegistrationRepo")<
  PaperRegistrationRepo,
  {
    readonly record: (
      registration: {
        readonly accountId: AccountId
        readonly membershipId: MembershipId
        readonly recordedBy: AccountId
        readonly recordedAt: DateTime.Utc
        readonly phoneKind: PhoneKind
        /**
         * « Appel vocal pour les alertes urgentes », ticked on the form: the neighbour's notification
         * preference `voiceUrgent` is set with the registration (delivery/NotificationPreferences).
         */
        readonly voiceUrgent: boolean
      }
    ) => Effect.Effect<void>
    /** The active account registered on paper, not claimed yet, whose verified mobile is `phone`. */
    readonly unclaimedByPhone: (phone: PhoneE164) => Effect.Effect<Option.Option<AccountId>>
    /**
     * The active account registered on paper, not claimed yet, whose phone (mobile or landline,
     * verified or not) is `phone`, with its paper membership when that is still verified: where a
     * claim letter goes.
     */
    readonly unclaimedForLetter: (
      phone: PhoneE164
    ) => Effect.Effect<Option.Option<{ readonly accountId: AccountId; readonly membershipId: MembershipId }>>
    /** Records a claim letter's code; the pending letters of the account are superseded in the same statement. */
    readonly insertClaimLetter: (
      letter: {
        readonly accountId: AccountId
        readonly codeHash: Uint8Array
        readonly createdAt: DateTime.Utc
        readonly expiresAt: DateTime.Utc
      }
    ) => Effect.Effect<void>
    /** The newest claim letter of the account, with its code hash; locked until the surrounding transaction ends. */
    readonly latestClaimLetter: (accountId: AccountId) => Effect.Effect<Option.Option<ClaimLetterCode>>
    /** When the claim letters of the account were made (for the letter budget). */
    readonly claimLetterSends: (accountId: AccountId, since: DateTime.Utc) => Effect.Effect<ReadonlyArray<DateTime.Utc>>
    readonly recordClaimLetterAttempt: (
      id: string,
      attempts: number,
      status: ClaimLetterCode["status"]
    ) => Effect.Effect<void>
    /**
     * Gives the unclaimed account its e-mail and password hash and marks the registration claimed;
     * false when it was claimed meanwhile.
     */
    readonly claim: (
      accountId: AccountId,
      email: Email,
      passwordHash: string,
      at: DateTime.Utc
    ) => Effect.Effect<boolean, EmailAlreadyUsed>
  }
>() {}
