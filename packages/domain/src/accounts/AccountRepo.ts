import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { Account, AccountId, StaffRole } from "./Account.js"
import type { EmailAlreadyUsed, PhoneAlreadyUsed } from "./AccountErrors.js"
import type { Email, PhoneE164 } from "../shared/Text.js"

export interface NewAccount {
  readonly firstName: string
  readonly lastName: string
  readonly email: Option.Option<Email>
  readonly phone: Option.Option<PhoneE164>
  readonly phoneVerified: boolean
  readonly passwordHash: Option.Option<string>
  readonly staffRoles: ReadonlyArray<StaffRole>
}

/** Persistence of accounts. Methods fail only with business errors; infrastructure faults are defects. */
export class AccountRepo extends Context.Tag("@vigie/domain/AccountRepo")<
  AccountRepo,
  {
    readonly insert: (account: NewAccount) => Effect.Effect<Account, EmailAlreadyUsed | PhoneAlreadyUsed>
    readonly findById: (id: AccountId) => Effect.Effect<Option.Option<Account>>
    readonly findByEmail: (email: Email) => Effect.Effect<Option.Option<Account>>
    readonly findByPhone: (phone: PhoneE164) => Effect.Effect<Option.Option<Account>>
    readonly passwordHash: (id: AccountId) => Effect.Effect<Option.Option<string>>
    readonly setStatus: (id: AccountId, status: Account["status"]) => Effect.Effect<void>
    /** Moves the account's status only from `from` (a suspension, its lifting); false when it was not in `from`. */
    readonly moveStatus: (id: AccountId, from: Account["status"], to: Account["status"]) => Effect.Effect<boolean>
    readonly setPhoneVerified: (id: AccountId, phone: PhoneE164) => Effect.Effect<void, PhoneAlreadyUsed>
  }
>() {}
