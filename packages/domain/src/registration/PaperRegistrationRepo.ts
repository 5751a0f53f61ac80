import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { EmailAlreadyUsed } from "../accounts/AccountErrors.js"
import type { PhoneKind } from "../channels/PhoneNumbers.js"
import type { MembershipId } from "../membership/Membership.js"
import type { AccountId } from "../shared/Ids.js"
import type { Email, PhoneE164 } from "../shared/Text.js"

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
      }
    ) => Effect.Effect<void>
    /** The active account registered on paper, not claimed yet, whose verified mobile is `phone`. */
    readonly unclaimedByPhone: (phone: PhoneE164) => Effect.Effect<Option.Option<AccountId>>
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
