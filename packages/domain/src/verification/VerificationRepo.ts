import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { MembershipId } from "../membership/Membership.js"
import type { PhoneE164 } from "../shared/Text.js"
import type {
  AddressVerification,
  AddressVerificationId,
  AddressVerificationStatus,
  VerificationMethod
} from "./AddressVerification.js"
import type { PhoneVerification, PhoneVerificationId } from "./PhoneVerification.js"

export interface NewAddressVerification {
  readonly membershipId: MembershipId
  readonly method: VerificationMethod
  /** The keyed hash of the code (absent for a vouch). */
  readonly codeHash: Option.Option<Uint8Array>
  readonly status: AddressVerificationStatus
  readonly createdAt: DateTime.Utc
  readonly expiresAt: DateTime.Utc
  readonly vouchedBy: Option.Option<AccountId>
}

/**
 * Persistence of activation letters and SMS codes. Creating a new one supersedes the pending ones of
 * the same membership or phone, in the same transaction.
 */
export class VerificationRepo extends Context.Tag("@vigie/domain/VerificationRepo")<
  VerificationRepo,
  {
    readonly insertAddress: (v: NewAddressVerification) => Effect.Effect<AddressVerification>
    /** The newest letter of a membership, with its code hash; locked until the surrounding transaction ends. */
    readonly latestAddress: (
      membershipId: MembershipId
    ) => Effect.Effect<
      Option.Option<{ readonly verification: AddressVerification; readonly codeHash: Option.Option<Uint8Array> }>
    >
    /** When the letters of a membership were sent (for the 3-per-30-days rule). */
    readonly addressSends: (
      membershipId: MembershipId,
      since: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<DateTime.Utc>>
    readonly recordAddressAttempt: (
      id: AddressVerificationId,
      attempts: number,
      status: AddressVerificationStatus
    ) => Effect.Effect<void>
    readonly insertPhone: (
      v: {
        readonly accountId: AccountId
        readonly phone: PhoneE164
        readonly codeHash: Uint8Array
        readonly createdAt: DateTime.Utc
        readonly expiresAt: DateTime.Utc
      }
    ) => Effect.Effect<PhoneVerification>
    /** The newest SMS code of an account, with its hash; locked until the surrounding transaction ends. */
    readonly latestPhone: (
      accountId: AccountId
    ) => Effect.Effect<Option.Option<{ readonly verification: PhoneVerification; readonly codeHash: Uint8Array }>>
    readonly phoneSends: (accountId: AccountId, since: DateTime.Utc) => Effect.Effect<ReadonlyArray<DateTime.Utc>>
    readonly recordPhoneAttempt: (
      id: PhoneVerificationId,
      attempts: number,
      status: PhoneVerification["status"]
    ) => Effect.Effect<void>
  }
>() {}
