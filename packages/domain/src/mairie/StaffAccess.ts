import { Effect } from "effect"
import type { StaffRole } from "../accounts/Account.js"
import { Forbidden } from "../accounts/AccountErrors.js"
import type { InseeCode } from "../communities/Commune.js"

/** The side of the commune a staff member speaks for: the town hall or the municipal police. */
export type AuthorityRole = "mairie" | "police"

/**
 * The role an account holds in a commune's staff, the town hall first when it holds both; none for
 * everybody else, moderators and admins included: the wall is per commune.
 */
export const authorityRole = (roles: ReadonlyArray<StaffRole>, insee: InseeCode): AuthorityRole | undefined =>
  roles.some((r) => r._tag === "MairieAgent" && r.insee === insee)
    ? "mairie"
    : roles.some((r) => r._tag === "MunicipalPolice" && r.insee === insee)
    ? "police"
    : undefined

/** The role of the acting account in `insee`, or Forbidden(action). */
export const requireAuthority = (
  roles: ReadonlyArray<StaffRole>,
  insee: InseeCode,
  action: string
): Effect.Effect<AuthorityRole, Forbidden> => {
  const role = authorityRole(roles, insee)
  return role === undefined ? Effect.fail(new Forbidden({ action })) : Effect.succeed(role)
}

/**
 * Whether an account manages the quartiers of `insee`: a mairie agent of that commune, or a platform
 * admin. Municipal police, moderators and agents of other communes do not.
 */
export const managesQuartiers = (roles: ReadonlyArray<StaffRole>, insee: InseeCode): boolean =>
  roles.some((r) => r._tag === "Admin" || (r._tag === "MairieAgent" && r.insee === insee))

/** Nothing when the account manages the quartiers of `insee`, else Forbidden(action). */
export const requireQuartierManager = (
  roles: ReadonlyArray<StaffRole>,
  insee: InseeCode,
  action: string
): Effect.Effect<void, Forbidden> =>
  managesQuartiers(roles, insee) ? Effect.void : Effect.fail(new Forbidden({ action }))
