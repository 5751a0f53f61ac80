import { Schema } from "effect"
import { AccountId, StaffRole } from "../accounts/Account.js"
import { InseeCode, Postcode } from "../communities/Commune.js"
import { BoundedText, Email, PersonName } from "../shared/Text.js"

/** A phone number as a mairie writes it on a poster ("05 56 30 94 50", "+33 5 56 ..."): digits and separators. */
export const PolicePhone = Schema.Trim.pipe(
  Schema.pattern(/^\+?[0-9][0-9 .()-]{1,23}[0-9]$/),
  Schema.annotations({ identifier: "PolicePhone" })
)

/**
 * How to reach the municipal police, as the mairie entered it, shown on the commune's public page:
 * a phone number and a free text (address, opening hours). Either may be left out.
 */
export class PoliceContact extends Schema.Class<PoliceContact>("PoliceContact")({
  phone: Schema.OptionFromNullOr(PolicePhone),
  details: Schema.OptionFromNullOr(BoundedText(500))
}) {}

/** A commune the platform opened as a "Mairie Vigilante": its mairie and police act in Vigie. */
export class VigilantCommune extends Schema.Class<VigilantCommune>("VigilantCommune")({
  insee: InseeCode,
  name: Schema.String,
  activatedAt: Schema.DateTimeUtc,
  policeContact: PoliceContact
}) {}

/** A commune of the official list found by a search, and whether it is a Mairie Vigilante already. */
export class CommuneChoice extends Schema.Class<CommuneChoice>("CommuneChoice")({
  insee: InseeCode,
  name: Schema.String,
  postcodes: Schema.Array(Postcode),
  population: Schema.NonNegativeInt,
  vigilant: Schema.Boolean
}) {}

/** The two roles the platform administration hands out from the web, each bound to one commune. */
export const CommuneStaffRole = Schema.Literal("mairie", "police")
export type CommuneStaffRole = typeof CommuneStaffRole.Type

/** Who to invite into the staff of a vigilant commune. */
export const StaffInvitationRequest = Schema.Struct({
  insee: InseeCode,
  role: CommuneStaffRole,
  firstName: PersonName,
  lastName: PersonName,
  email: Email
})
export type StaffInvitationRequest = typeof StaffInvitationRequest.Type

/**
 * What an invitation did: a new account, or the role added to an existing one; `invitationSent` when
 * an invitation link went by e-mail (a new account, or one that never chose its password: a new link).
 * An existing account that receives the role is told by e-mail too.
 */
export const StaffInvited = Schema.Struct({
  accountId: AccountId,
  created: Schema.Boolean,
  roleGranted: Schema.Boolean,
  invitationSent: Schema.Boolean
})
export type StaffInvited = typeof StaffInvited.Type

/** One staff role held by one account, for the administration's list. */
export class StaffRoleHolder extends Schema.Class<StaffRoleHolder>("StaffRoleHolder")({
  accountId: AccountId,
  firstName: Schema.String,
  lastName: Schema.String,
  email: Schema.OptionFromNullOr(Schema.String),
  role: StaffRole,
  grantedAt: Schema.DateTimeUtc
}) {}

/** One vigilant commune's figures, aggregates only: active quartiers, verified members, alerts of the last 30 days. */
export class VigilantCommuneFigures extends Schema.Class<VigilantCommuneFigures>("VigilantCommuneFigures")({
  insee: InseeCode,
  name: Schema.String,
  activatedAt: Schema.DateTimeUtc,
  quartiers: Schema.NonNegativeInt,
  verifiedMembers: Schema.NonNegativeInt,
  alertsLast30Days: Schema.NonNegativeInt
}) {}

/** A commune's public figures: active quartiers and verified members (distinct people). */
export interface PublicFigures {
  readonly quartiers: number
  readonly verifiedMembers: number
}

/** The commune of the request is not a Mairie Vigilante: activate it first. */
export class CommuneNotVigilant extends Schema.TaggedError<CommuneNotVigilant>()("CommuneNotVigilant", {
  insee: InseeCode
}) {}

/** The role to revoke is the last administrator's: the platform would be left without one. */
export class LastAdminRole extends Schema.TaggedError<LastAdminRole>()("LastAdminRole", {
  accountId: AccountId
}) {}

/** The account does not hold this role (already revoked, or never granted). */
export class StaffRoleNotFound extends Schema.TaggedError<StaffRoleNotFound>()("StaffRoleNotFound", {
  accountId: AccountId
}) {}
