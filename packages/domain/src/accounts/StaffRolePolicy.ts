import type { AccountId, StaffRole } from "./Account.js"

/** Whether two staff roles are the same role (and, for mairie and police, the same commune). */
export const sameStaffRole = (a: StaffRole, b: StaffRole): boolean =>
  a._tag === b._tag && ("insee" in a ? a.insee : undefined) === ("insee" in b ? b.insee : undefined)

/** What revoking a role would do: remove it, find nothing to remove, or leave the platform without an admin. */
export type Revocation = "revoke" | "absent" | "last_admin"

/**
 * The rule of revoking `role` from `accountId`, given the roles it holds and the accounts that hold
 * the Admin role now (active accounts): a role it does not hold is absent; the Admin role of the
 * only admin left is never revoked (nobody could then administer the platform from the web).
 */
export const revocation = (
  accountId: AccountId,
  role: StaffRole,
  held: ReadonlyArray<StaffRole>,
  admins: ReadonlyArray<AccountId>
): Revocation => {
  if (!held.some((r) => sameStaffRole(r, role))) return "absent"
  if (role._tag === "Admin" && admins.filter((a) => a !== accountId).length === 0) return "last_admin"
  return "revoke"
}
