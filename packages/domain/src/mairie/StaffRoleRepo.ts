import { Context } from "effect"
import type { Effect } from "effect"
import type { AccountId, StaffRole } from "../accounts/Account.js"

/** Staff roles of existing accounts. */
export class StaffRoleRepo extends Context.Tag("@vigie/domain/StaffRoleRepo")<
  StaffRoleRepo,
  {
    /** Grants the role; granting it again changes nothing. Returns whether it was new. */
    readonly grant: (accountId: AccountId, role: StaffRole) => Effect.Effect<boolean>
  }
>() {}
