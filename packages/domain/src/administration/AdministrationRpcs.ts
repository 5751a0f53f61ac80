import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountId, StaffRole } from "../accounts/Account.js"
import {
  AccountSuspended,
  EmailAlreadyUsed,
  Forbidden,
  PhoneAlreadyUsed,
  Unauthenticated
} from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { UnknownCommune } from "../mairie/StaffAccounts.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import {
  CommuneChoice,
  CommuneNotVigilant,
  LastAdminRole,
  PoliceContact,
  StaffInvitationRequest,
  StaffInvited,
  StaffRoleHolder,
  StaffRoleNotFound,
  VigilantCommune,
  VigilantCommuneFigures
} from "./VigilantCommune.js"

const acting = [Unauthenticated, AccountSuspended, Forbidden, InvalidRequest] as const

/** Communes of the official list by name, postcode or INSEE code (at most 20), with whether each is vigilant. Admins. */
export const SearchOfficialCommunes = Rpc.make("SearchOfficialCommunes", {
  payload: Schema.Struct({ query: Schema.String.pipe(Schema.maxLength(100)) }),
  success: Schema.Array(CommuneChoice),
  error: Schema.Union(...acting)
})

/** Makes a commune of the official list a "Mairie Vigilante"; again changes nothing. Admins. */
export const ActivateVigilantCommune = Rpc.make("ActivateVigilantCommune", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: VigilantCommune,
  error: Schema.Union(...acting, UnknownCommune)
})

/** Every vigilant commune with its figures (quartiers, verified members, alerts of 30 days). Admins. */
export const ListVigilantCommunes = Rpc.make("ListVigilantCommunes", {
  payload: Schema.Struct({}),
  success: Schema.Array(VigilantCommuneFigures),
  error: Schema.Union(...acting)
})

/**
 * Invites a mairie agent or a municipal police officer of a vigilant commune: a new account gets an
 * e-mail with its invitation link (valid 7 days); an existing one (same e-mail) gets the role and an
 * e-mail saying so. Admins.
 */
export const InviteCommuneStaff = Rpc.make("InviteCommuneStaff", {
  payload: StaffInvitationRequest,
  success: StaffInvited,
  error: Schema.Union(...acting, UnknownCommune, CommuneNotVigilant, EmailAlreadyUsed, PhoneAlreadyUsed)
})

/** Staff roles: of one commune, or all of them. Admins. */
export const ListStaffRoles = Rpc.make("ListStaffRoles", {
  payload: Schema.Struct({ insee: Schema.optional(InseeCode) }),
  success: Schema.Array(StaffRoleHolder),
  error: Schema.Union(...acting)
})

/** Takes a role from an account (which stays); its sessions lose the role at once. Never the last admin's. Admins. */
export const RevokeStaffRole = Rpc.make("RevokeStaffRole", {
  payload: Schema.Struct({ accountId: AccountId, role: StaffRole }),
  success: Schema.Void,
  error: Schema.Union(...acting, StaffRoleNotFound, LastAdminRole)
})

/** The police contact of a vigilant commune, for its staff's dashboard (its staff and admins). */
export const GetPoliceContact = Rpc.make("GetPoliceContact", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: PoliceContact,
  error: Schema.Union(...acting, CommuneNotVigilant)
})

/** Replaces the police contact shown on the commune's public page (its mairie agents and admins). */
export const SetPoliceContact = Rpc.make("SetPoliceContact", {
  payload: Schema.Struct({ insee: InseeCode, contact: PoliceContact }),
  success: PoliceContact,
  error: Schema.Union(...acting, CommuneNotVigilant)
})

/** The platform administration's RPCs. */
export class AdministrationRpcs extends RpcGroup.make(
  SearchOfficialCommunes,
  ActivateVigilantCommune,
  ListVigilantCommunes,
  InviteCommuneStaff,
  ListStaffRoles,
  RevokeStaffRole,
  GetPoliceContact,
  SetPoliceContact
).middleware(Authentication) {}
