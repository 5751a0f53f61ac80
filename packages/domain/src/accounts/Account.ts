import { Schema } from "effect"
import { InseeCode } from "../communities/Commune.js"
import { Email, PersonName, PhoneE164 } from "../shared/Text.js"
import { AccountId } from "../shared/Ids.js"

export { AccountId }

/** active: may act; suspended: by a moderator, receives and posts nothing; erased: GDPR erasure, a tombstone. */
export const AccountStatus = Schema.Literal("active", "suspended", "erased")
export type AccountStatus = typeof AccountStatus.Type

/** Platform staff roles. Mairie agents and municipal police are bound to one commune. */
export const StaffRole = Schema.Union(
  Schema.TaggedStruct("Moderator", {}),
  Schema.TaggedStruct("Admin", {}),
  Schema.TaggedStruct("MairieAgent", { insee: InseeCode }),
  Schema.TaggedStruct("MunicipalPolice", { insee: InseeCode })
)
export type StaffRole = typeof StaffRole.Type

/** A person. The password hash never leaves the adapters. */
export class Account extends Schema.Class<Account>("Account")({
  id: AccountId,
  firstName: PersonName,
  lastName: PersonName,
  email: Schema.OptionFromNullOr(Email),
  phone: Schema.OptionFromNullOr(PhoneE164),
  phoneVerified: Schema.Boolean,
  status: AccountStatus,
  staffRoles: Schema.Array(StaffRole),
  createdAt: Schema.DateTimeUtc
}) {}

export const isModerator = (roles: ReadonlyArray<StaffRole>) =>
  roles.some((r) => r._tag === "Moderator" || r._tag === "Admin")

export const isCommuneStaffOf = (roles: ReadonlyArray<StaffRole>, insee: InseeCode) =>
  roles.some((r) => (r._tag === "MairieAgent" || r._tag === "MunicipalPolice") && r.insee === insee)
