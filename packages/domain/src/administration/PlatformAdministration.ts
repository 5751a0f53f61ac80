import { Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import type { StaffRole } from "../accounts/Account.js"
import type { EmailAlreadyUsed, PhoneAlreadyUsed } from "../accounts/AccountErrors.js"
import { type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { type Actor, requireAccount } from "../accounts/CurrentActor.js"
import { StaffInvitationRepo } from "../accounts/StaffInvitationRepo.js"
import { issueInvitation } from "../accounts/StaffInvitations.js"
import { EmailSender } from "../channels/EmailSender.js"
import { siteUrl, staffInvitationLink } from "../channels/Links.js"
import type { Commune, InseeCode } from "../communities/Commune.js"
import { COMMUNE_SEARCH_LIMIT } from "../communities/CommuneSearch.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { StaffAccounts, UnknownCommune } from "../mairie/StaffAccounts.js"
import { StaffRoleRepo } from "../mairie/StaffRoleRepo.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { Secrets } from "../shared/Secrets.js"
import { staffInvitationEmail, staffRoleGrantedEmail } from "./AdministrationTexts.js"
import {
  CommuneChoice,
  CommuneNotVigilant,
  LastAdminRole,
  type PoliceContact,
  type StaffInvitationRequest,
  type StaffInvited,
  StaffRoleHolder,
  StaffRoleNotFound,
  VigilantCommune,
  VigilantCommuneFigures
} from "./VigilantCommune.js"
import { VigilantCommuneRepo } from "./VigilantCommuneRepo.js"

type Acting = Unauthenticated | AccountSuspended | Forbidden

/** The acting account when it holds the Admin role; Forbidden(action) otherwise. */
export const requireAdmin = (actor: Actor, action: string) =>
  Effect.flatMap(
    requireAccount(actor),
    (account) =>
      account.staffRoles.some((r) => r._tag === "Admin")
        ? Effect.succeed(account)
        : Effect.fail(new Forbidden({ action }))
  )

/** Whether these roles may write the police contact of `insee`: its mairie agents and the admins. */
export const mayEditPoliceContact = (roles: ReadonlyArray<StaffRole>, insee: InseeCode): boolean =>
  roles.some((r) => r._tag === "Admin" || (r._tag === "MairieAgent" && r.insee === insee))

/** Whether these roles may read the police contact of `insee` from the dashboard: its staff and the admins. */
export const mayReadPoliceContact = (roles: ReadonlyArray<StaffRole>, insee: InseeCode): boolean =>
  roles.some((r) => r._tag === "Admin" || ("insee" in r && r.insee === insee))

/**
 * The platform administration (admins only, from the web): open communes as "Mairie Vigilante"
 * chosen from the official list, invite their first mairie agents and municipal police, list and
 * revoke staff roles, see every vigilant commune's figures. And the police contact of a commune,
 * written by its mairie agents (or an admin) for the public page.
 */
export class PlatformAdministration extends Context.Tag("@vigie/domain/PlatformAdministration")<
  PlatformAdministration,
  {
    readonly searchCommunes: (actor: Actor, query: string) => Effect.Effect<ReadonlyArray<CommuneChoice>, Acting>
    readonly activateCommune: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<VigilantCommune, Acting | UnknownCommune>
    readonly listVigilantCommunes: (actor: Actor) => Effect.Effect<ReadonlyArray<VigilantCommuneFigures>, Acting>
    readonly inviteStaff: (
      actor: Actor,
      request: StaffInvitationRequest
    ) => Effect.Effect<StaffInvited, Acting | UnknownCommune | CommuneNotVigilant | EmailAlreadyUsed | PhoneAlreadyUsed>
    readonly listStaff: (
      actor: Actor,
      insee: Option.Option<InseeCode>
    ) => Effect.Effect<ReadonlyArray<StaffRoleHolder>, Acting>
    readonly revokeStaffRole: (
      actor: Actor,
      accountId: StaffRoleHolder["accountId"],
      role: StaffRole
    ) => Effect.Effect<void, Acting | StaffRoleNotFound | LastAdminRole>
    readonly getPoliceContact: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<PoliceContact, Acting | CommuneNotVigilant>
    readonly setPoliceContact: (
      actor: Actor,
      insee: InseeCode,
      contact: PoliceContact
    ) => Effect.Effect<PoliceContact, Acting | CommuneNotVigilant>
  }
>() {}

export const make = Effect.gen(function*() {
  const directory = yield* CommuneDirectory
  const vigilant = yield* VigilantCommuneRepo
  const roles = yield* StaffRoleRepo
  const staff = yield* StaffAccounts
  const email = yield* EmailSender
  const publicUrl = yield* PublicUrl
  const accounts = yield* AccountRepo
  const invitations = yield* StaffInvitationRepo
  const secrets = yield* Secrets
  const now = DateTime.now

  const officialCommune = (insee: InseeCode): Effect.Effect<Commune, UnknownCommune> =>
    Effect.flatMap(
      directory.findByInsee(insee),
      Option.match({ onNone: () => Effect.fail(new UnknownCommune({ insee })), onSome: Effect.succeed })
    )

  const searchCommunes: PlatformAdministration["Type"]["searchCommunes"] = (actor, query) =>
    Effect.gen(function*() {
      yield* requireAdmin(actor, "search_communes")
      const found = yield* directory.search(query.slice(0, 100), COMMUNE_SEARCH_LIMIT)
      const open = yield* vigilant.vigilantAmong(found.map((c) => c.insee))
      return found.map((c) =>
        new CommuneChoice({ insee: c.insee, name: c.name, postcodes: c.postcodes, population: c.population,
          vigilant: open.has(c.insee) })
      )
    }).pipe(Effect.withSpan("PlatformAdministration.searchCommunes"))

  const activateCommune: PlatformAdministration["Type"]["activateCommune"] = (actor, insee) =>
    Effect.gen(function*() {
      const admin = yield* requireAdmin(actor, "activate_commune")
      const commune = yield* officialCommune(insee)
      yield* vigilant.activate(insee, admin.id, yield* now)
      // Written just now or before (activation is idempotent): the row exists.
      const row = Option.getOrThrow(yield* vigilant.find(insee))
      return new VigilantCommune({ insee, name: commune.name, activatedAt: row.activatedAt,
        policeContact: row.policeContact })
    }).pipe(Effect.withSpan("PlatformAdministration.activateCommune"))

  const listVigilantCommunes: PlatformAdministration["Type"]["listVigilantCommunes"] = (actor) =>
    Effect.gen(function*() {
      yield* requireAdmin(actor, "list_vigilant_communes")
      const communes = yield* vigilant.list
      const figures = yield* vigilant.figures(communes.map((c) => c.insee), yield* now)
      return yield* Effect.forEach(communes, (c) =>
        Effect.map(directory.findByInsee(c.insee), (official) => {
          const f = figures.get(c.insee)
          return new VigilantCommuneFigures({
            insee: c.insee,
            name: Option.match(official, { onNone: () => c.insee, onSome: (o) => o.name }),
            activatedAt: c.activatedAt,
            quartiers: f?.quartiers ?? 0,
            verifiedMembers: f?.verifiedMembers ?? 0,
            alertsLast30Days: f?.alertsLast30Days ?? 0
          })
        }))
    }).pipe(Effect.withSpan("PlatformAdministration.listVigilantCommunes"))

  const inviteStaff: PlatformAdministration["Type"]["inviteStaff"] = (actor, request) =>
    Effect.gen(function*() {
      yield* requireAdmin(actor, "invite_staff")
      const commune = yield* officialCommune(request.insee)
      if (Option.isNone(yield* vigilant.find(request.insee))) {
        return yield* new CommuneNotVigilant({ insee: request.insee })
      }
      const role: StaffRole = request.role === "mairie"
        ? { _tag: "MairieAgent", insee: request.insee }
        : { _tag: "MunicipalPolice", insee: request.insee }
      const added = yield* staff.add({ role, email: request.email, firstName: request.firstName,
        lastName: request.lastName })
      // An account that never chose its password (its link lost or expired) gets a new link.
      const invitation = added.created || Option.isSome(yield* accounts.passwordHash(added.account.id))
        ? added.invitation
        : Option.some(
          yield* issueInvitation(added.account.id).pipe(
            Effect.provideService(StaffInvitationRepo, invitations),
            Effect.provideService(Secrets, secrets)
          )
        )
      const text = Option.match(invitation, {
        onSome: (token) =>
          staffInvitationEmail({ firstName: added.account.firstName, communeName: commune.name, role: request.role,
            link: staffInvitationLink(publicUrl, Redacted.value(token)) }),
        onNone: () =>
          staffRoleGrantedEmail({ firstName: added.account.firstName, communeName: commune.name, role: request.role,
            link: siteUrl(publicUrl, "/connexion") })
      })
      if (Option.isSome(invitation) || added.roleGranted) {
        // The account and its role are written: a lost e-mail is logged (the admin may invite again).
        yield* email.send([{ to: request.email, ...text }]).pipe(
          Effect.flatMap((outcomes) =>
            outcomes.some((o) => o._tag !== "Accepted")
              ? Effect.logWarning("staff invitation e-mail not accepted", outcomes.map((o) => o._tag))
              : Effect.void
          ),
          Effect.catchAllCause((cause) => Effect.logWarning("staff invitation e-mail not sent", cause))
        )
      }
      return { accountId: added.account.id, created: added.created, roleGranted: added.roleGranted,
        invitationSent: Option.isSome(invitation) }
    }).pipe(Effect.withSpan("PlatformAdministration.inviteStaff"))

  const listStaff: PlatformAdministration["Type"]["listStaff"] = (actor, insee) =>
    Effect.gen(function*() {
      yield* requireAdmin(actor, "list_staff")
      const rows = yield* roles.list(insee)
      return rows.map((r) => new StaffRoleHolder(r))
    }).pipe(Effect.withSpan("PlatformAdministration.listStaff"))

  const revokeStaffRole: PlatformAdministration["Type"]["revokeStaffRole"] = (actor, accountId, role) =>
    Effect.gen(function*() {
      yield* requireAdmin(actor, "revoke_staff_role")
      const decision = yield* roles.revoke(accountId, role)
      if (decision === "absent") return yield* new StaffRoleNotFound({ accountId })
      if (decision === "last_admin") return yield* new LastAdminRole({ accountId })
    }).pipe(Effect.withSpan("PlatformAdministration.revokeStaffRole"))

  const vigilantRow = (insee: InseeCode) =>
    Effect.flatMap(
      vigilant.find(insee),
      Option.match({ onNone: () => Effect.fail(new CommuneNotVigilant({ insee })), onSome: Effect.succeed })
    )

  const getPoliceContact: PlatformAdministration["Type"]["getPoliceContact"] = (actor, insee) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (!mayReadPoliceContact(account.staffRoles, insee)) {
        return yield* new Forbidden({ action: "read_police_contact" })
      }
      return (yield* vigilantRow(insee)).policeContact
    }).pipe(Effect.withSpan("PlatformAdministration.getPoliceContact"))

  const setPoliceContact: PlatformAdministration["Type"]["setPoliceContact"] = (actor, insee, contact) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (!mayEditPoliceContact(account.staffRoles, insee)) {
        return yield* new Forbidden({ action: "set_police_contact" })
      }
      const written = yield* vigilant.setPoliceContact(insee, contact, account.id, yield* now)
      if (!written) return yield* new CommuneNotVigilant({ insee })
      return contact
    }).pipe(Effect.withSpan("PlatformAdministration.setPoliceContact"))

  return PlatformAdministration.of({
    searchCommunes,
    activateCommune,
    listVigilantCommunes,
    inviteStaff,
    listStaff,
    revokeStaffRole,
    getPoliceContact,
    setPoliceContact
  })
})

export const layer = Layer.effect(PlatformAdministration, make)
