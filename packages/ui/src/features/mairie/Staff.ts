import type { StaffRole } from "@vigie/domain/accounts/Account"
import type { Me } from "@vigie/domain/accounts/Me"
import { originLabels } from "@vigie/domain/alerts/AlertLabels"
import type { InseeCode } from "@vigie/domain/communities/Commune"

/** The commune a mairie agent or a municipal police officer works for, and on which side. */
export interface CommuneStaff {
  readonly insee: InseeCode
  readonly side: "mairie" | "police"
}

/** My place in a commune's staff, from WhoAmI's staff roles (the first mairie or police role). */
export const communeStaff = (me: Me): CommuneStaff | undefined => {
  const role = me.account.staffRoles.find(
    (r): r is Extract<StaffRole, { readonly _tag: "MairieAgent" | "MunicipalPolice" }> =>
      r._tag === "MairieAgent" || r._tag === "MunicipalPolice"
  )
  return role === undefined ? undefined : { insee: role.insee, side: role._tag === "MairieAgent" ? "mairie" : "police" }
}

export const sideLabels = { mairie: originLabels.mairie, police: originLabels.police } as const

const euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" })
export const formatEuro = (n: number): string => euro.format(n)

/** "moins d'une minute", "environ 12 minutes", "environ 3 h 20". */
export const formatDuration = (seconds: number): string => {
  if (seconds < 60) return "moins d'une minute"
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `environ ${minutes} minute${minutes > 1 ? "s" : ""}`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `environ ${h} h${m === 0 ? "" : ` ${String(m).padStart(2, "0")}`}`
}
