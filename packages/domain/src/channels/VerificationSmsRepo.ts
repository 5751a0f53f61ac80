import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { VerificationSmsCounts } from "./VerificationSms.js"

/** What a verification SMS is for (phone codes now; password-reset codes use the same budgets). */
export type VerificationSmsPurpose = "phone_code" | "password_reset"

/**
 * The ledger of verification SMS, for their daily budgets: one row per SMS with its account and the
 * keyed hash of the client's address (never the address itself).
 */
export class VerificationSmsRepo extends Context.Tag("@vigie/domain/VerificationSmsRepo")<
  VerificationSmsRepo,
  {
    /** The SMS sent since `since` by the account, from the address, platform-wide; the account's phone codes ever. */
    readonly counts: (
      query: { readonly accountId: AccountId; readonly clientKey: Uint8Array; readonly since: DateTime.Utc }
    ) => Effect.Effect<VerificationSmsCounts>
    readonly record: (
      sms: {
        readonly accountId: AccountId
        readonly clientKey: Uint8Array
        readonly purpose: VerificationSmsPurpose
        readonly at: DateTime.Utc
      }
    ) => Effect.Effect<void>
  }
>() {}
