import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId, StaffRole } from "../accounts/Account.js"
import type { Revocation } from "../accounts/StaffRolePolicy.js"
import type { InseeCode } from "../communities/Commune.js"

/** One staff role of one account, with the person's name and e-mail (for the administration's list). */
export interface StaffRoleRow {
  readonly accountId: AccountId
  readonly firstName: string
  readonly lastName: string
  readonly email: Option.Option<string>
  readonly role: StaffRole
  readonly grantedAt: DateTime.Utc
}

/** Staff roles of existing accounts. */
export class StaffRoleRepo extends Context.Tag("@vigie/domain/StaffRoleRepo")<
  StaffRoleRepo,
  {
    /** Grants the role; granting it again changes nothing. Returns whether it was new. */
    readonly grant: (accountId: AccountId, role: StaffRole) => Effect.Effect<boolean>
    /**
     * Revokes the role, decided by `revocation` (StaffRolePolicy) in one transaction that locks the
     * admin roles, so that two admins revoking each other at once leave one. Returns what it decided.
     */
    readonly revoke: (accountId: AccountId, role: StaffRole) => Effect.Effect<Revocation>
    /** The roles of accounts that are not erased: of one commune's staff, or every role; by commune, role, name. */
    readonly list: (insee: Option.Option<InseeCode>) => Effect.Effect<ReadonlyArray<StaffRoleRow>>
  }
>() {}
