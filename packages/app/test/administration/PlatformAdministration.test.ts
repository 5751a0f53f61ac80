import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import * as PlatformAdministrationService from "@vigie/domain/administration/PlatformAdministration"
import { PlatformAdministration } from "@vigie/domain/administration/PlatformAdministration"
import { PoliceContact } from "@vigie/domain/administration/VigilantCommune"
import type { Account, StaffRole } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { StaffInvitations } from "@vigie/domain/accounts/StaffInvitations"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommuneStatisticsRepo } from "@vigie/domain/mairie/CommuneStatisticsRepo"
import { StaffRoleRepo } from "@vigie/domain/mairie/StaffRoleRepo"
import { Email } from "@vigie/domain/shared/Text"
import { Cause, DateTime, Duration, Effect, Exit, Layer, Option, Redacted, Schema } from "effect"
import { actorOf } from "../support/Actors.js"
import { Sent } from "../support/Recorders.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld } from "../support/World.js"

const VILLENAVE = Schema.decodeSync(InseeCode)("33550")
const TALENCE = Schema.decodeSync(InseeCode)("33522")
const BEGLES = Schema.decodeSync(InseeCode)("33039")
const UNKNOWN = Schema.decodeSync(InseeCode)("33999")
const email = Schema.decodeSync(Email)

let n = 0
const staffAccount = (roles: ReadonlyArray<StaffRole>) =>
  Effect.flatMap(AccountRepo, (accounts) =>
    accounts.insert({
      firstName: "Admin",
      lastName: `N${++n}`,
      email: Option.some(email(`staff.${n}.${crypto.randomUUID().slice(0, 8)}@example.org`)),
      phone: Option.none(),
      phoneVerified: false,
      passwordHash: Option.none(),
      staffRoles: roles
    })).pipe(Effect.orDie)

const rowsOf = (insee: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM vigilant_communes WHERE insee = ${insee}`.pipe(
        Effect.map((rows) => rows[0]!.n),
        Effect.orDie
      )
  )

/** "success", or the tag of the typed failure (a defect fails the test). */
const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>) =>
  Exit.match(exit, {
    onSuccess: () => "success",
    onFailure: (cause) => Option.getOrThrow(Cause.failureOption(cause))._tag
  })

for (const db of databases) {
  const services = PlatformAdministrationService.layer.pipe(Layer.provideMerge(platform(db)))
  layer(services, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `platform administration [${db.name}]`,
    (it) => {
      let admin: Account
      it.effect("only an admin searches the official list, by name (accents ignored), postcode or INSEE code", () =>
        Effect.gen(function*() {
          admin = yield* staffAccount([{ _tag: "Admin" }])
          const moderator = yield* staffAccount([{ _tag: "Moderator" }])
          const administration = yield* PlatformAdministration
          const byName = yield* administration.searchCommunes(actorOf(admin), "villenave d'ornon")
          expect(byName.map((c) => [c.insee, c.name, c.vigilant])).toStrictEqual([
            ["33550", "Villenave-d'Ornon", false]
          ])
          const byPostcode = yield* administration.searchCommunes(actorOf(admin), "33140")
          // 33140 is Cadaujac's and Villenave-d'Ornon's postcode, and another commune's INSEE code (first).
          expect(byPostcode.map((c) => c.insee)).toStrictEqual(["33140", "33550", "33080"])
          expect((yield* administration.searchCommunes(actorOf(admin), "33")).length).toBe(20)
          const refused = yield* Effect.exit(administration.searchCommunes(actorOf(moderator), "Cadaujac"))
          expect(failureTag(refused)).toBe("Forbidden")
        }))

      it.effect("activates a commune once: again, or many at once, leaves one row and the first date", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const first = yield* administration.activateCommune(actorOf(admin), VILLENAVE)
          expect(first.name).toBe("Villenave-d'Ornon")
          const again = yield* administration.activateCommune(actorOf(admin), VILLENAVE)
          expect(again.activatedAt).toStrictEqual(first.activatedAt)
          expect(yield* rowsOf(VILLENAVE)).toBe(1)

          const concurrent = yield* Effect.all(
            Array.from({ length: 6 }, () => administration.activateCommune(actorOf(admin), TALENCE)),
            { concurrency: "unbounded" }
          )
          expect(new Set(concurrent.map((c) => String(c.activatedAt))).size).toBe(1)
          expect(yield* rowsOf(TALENCE)).toBe(1)
          const found = yield* administration.searchCommunes(actorOf(admin), "Villenave-d'Ornon")
          expect(found[0]?.vigilant).toBe(true)
        }))

      it.effect("refuses an unknown INSEE code, and anybody but an admin, writing nothing", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const unknown = yield* Effect.exit(administration.activateCommune(actorOf(admin), UNKNOWN))
          expect(failureTag(unknown)).toBe("UnknownCommune")
          expect(yield* rowsOf(UNKNOWN)).toBe(0)
          const agent = yield* staffAccount([{ _tag: "MairieAgent", insee: BEGLES }])
          const refused = yield* Effect.exit(administration.activateCommune(actorOf(agent), BEGLES))
          expect(failureTag(refused)).toBe("Forbidden")
          expect(yield* rowsOf(BEGLES)).toBe(0)
        }))

      it.effect("invites an agent by e-mail with a link valid 7 days that opens a session; never for a commune not vigilant", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const sent = yield* Sent
          const accounts = yield* AccountRepo
          const notVigilant = yield* Effect.exit(administration.inviteStaff(actorOf(admin), {
            insee: BEGLES,
            role: "mairie",
            firstName: "Léa",
            lastName: "Martin",
            email: email("lea.martin@begles.example.org")
          }))
          expect(failureTag(notVigilant)).toBe("CommuneNotVigilant")
          expect(Option.isNone(yield* accounts.findByEmail(email("lea.martin@begles.example.org")))).toBe(true)

          const before = sent.emails.length
          const invited = yield* administration.inviteStaff(actorOf(admin), {
            insee: VILLENAVE,
            role: "mairie",
            firstName: "Inès",
            lastName: "Durand",
            email: email("ines.durand@villenave.example.org")
          })
          expect(invited.created).toBe(true)
          const mail = sent.emails.slice(before)
          expect(mail.map((m) => m.to)).toStrictEqual(["ines.durand@villenave.example.org"])
          expect(mail[0]!.subject).toContain("Villenave-d'Ornon")
          expect(mail[0]!.text).toContain("7 jours")
          const token = /http:\/\/vigie\.test\/invitation#([A-Za-z0-9_-]+)/.exec(mail[0]!.text)?.[1]
          expect(token).toBeDefined()

          const accepted = yield* (yield* StaffInvitations).accept({
            token: token!,
            password: Redacted.make("une phrase de passe assez longue")
          })
          const sessions = yield* Sessions
          const actor = yield* sessions.authenticate(Redacted.value(accepted.token))
          expect(actor._tag === "Authenticated" && actor.account.staffRoles).toStrictEqual([
            { _tag: "MairieAgent", insee: VILLENAVE }
          ])

          // Listed with the commune's staff; revoked, the account stays and its session loses the role.
          const listed = yield* administration.listStaff(actorOf(admin), Option.some(VILLENAVE))
          expect(listed.map((s) => [s.accountId, s.role._tag])).toStrictEqual([[invited.accountId, "MairieAgent"]])
          const all = yield* administration.listStaff(actorOf(admin), Option.none())
          expect(all.some((s) => s.accountId === admin.id && s.role._tag === "Admin")).toBe(true)
          yield* administration.revokeStaffRole(actorOf(admin), invited.accountId, { _tag: "MairieAgent",
            insee: VILLENAVE })
          const after = yield* sessions.authenticate(Redacted.value(accepted.token))
          expect(after._tag).toBe("Authenticated")
          expect(after._tag === "Authenticated" && after.account.staffRoles).toStrictEqual([])
          expect(yield* administration.listStaff(actorOf(admin), Option.some(VILLENAVE))).toStrictEqual([])
          const again = yield* Effect.exit(
            administration.revokeStaffRole(actorOf(admin), invited.accountId, { _tag: "MairieAgent", insee: VILLENAVE })
          )
          expect(failureTag(again)).toBe("StaffRoleNotFound")

          // Invited again: the existing account gets the role back and an e-mail saying so.
          const reinvited = yield* administration.inviteStaff(actorOf(admin), {
            insee: VILLENAVE,
            role: "police",
            firstName: "Inès",
            lastName: "Durand",
            email: email("ines.durand@villenave.example.org")
          })
          expect([reinvited.created, reinvited.roleGranted, reinvited.invitationSent]).toStrictEqual([false, true,
            false])
          expect(sent.emails.at(-1)!.subject).toBe("Nouveau rôle Vigie pour Villenave-d'Ornon")
          expect(sent.emails.at(-1)!.text).not.toContain("/invitation#")
        }))

      it.effect("invites again a person who never chose a password: a new link, the role unchanged", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const sent = yield* Sent
          const request = { insee: VILLENAVE, role: "police" as const, firstName: "Paul", lastName: "Lefort",
            email: email("paul.lefort@villenave.example.org") }
          const first = yield* administration.inviteStaff(actorOf(admin), request)
          const firstLink = sent.emails.at(-1)!.text
          const again = yield* administration.inviteStaff(actorOf(admin), request)
          expect(again).toStrictEqual({ accountId: first.accountId, created: false, roleGranted: false,
            invitationSent: true })
          const mail = sent.emails.at(-1)!
          expect(mail.to).toBe("paul.lefort@villenave.example.org")
          const token = /\/invitation#([A-Za-z0-9_-]+)/.exec(mail.text)?.[1]
          expect(token).toBeDefined()
          expect(firstLink).not.toContain(token)
          const roles = yield* administration.listStaff(actorOf(admin), Option.some(VILLENAVE))
          expect(roles.filter((r) => r.accountId === first.accountId).map((r) => r.role)).toStrictEqual([
            { _tag: "MunicipalPolice", insee: VILLENAVE }
          ])
        }))

      it.effect("never revokes the last admin's role, even when two admins revoke each other at once", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const repo = yield* StaffRoleRepo
          const sql = yield* SqlClient.SqlClient
          const admins = () =>
            sql<{ n: number }>`SELECT count(*)::int AS n FROM staff_roles WHERE role = 'admin'`.pipe(
              Effect.map((rows) => rows[0]!.n),
              Effect.orDie
            )
          const second = yield* staffAccount([{ _tag: "Admin" }])
          yield* administration.revokeStaffRole(actorOf(admin), second.id, { _tag: "Admin" })
          expect(yield* admins()).toBe(1)
          const last = yield* Effect.exit(administration.revokeStaffRole(actorOf(admin), admin.id, { _tag: "Admin" }))
          expect(failureTag(last)).toBe("LastAdminRole")
          expect(yield* admins()).toBe(1)

          const third = yield* staffAccount([{ _tag: "Admin" }])
          const decisions = yield* Effect.all([
            repo.revoke(admin.id, { _tag: "Admin" }),
            repo.revoke(third.id, { _tag: "Admin" })
          ], { concurrency: "unbounded" })
          expect([...decisions].sort()).toStrictEqual(["last_admin", "revoke"])
          expect(yield* admins()).toBe(1)
          // Whoever remains admin acts on.
          const remaining = decisions[0] === "revoke" ? third : admin
          if (remaining.id !== admin.id) admin = remaining
        }))

      it.effect("shows every vigilant commune's figures: quartiers, verified members, alerts of 30 days", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          yield* makeWorld("administration")
          yield* administration.activateCommune(actorOf(admin), CADAUJAC)
          const figures = yield* administration.listVigilantCommunes(actorOf(admin))
          expect(figures.map((f) => [f.insee, f.quartiers, f.verifiedMembers, f.alertsLast30Days])).toStrictEqual([
            ["33080", 2, 3, 3],
            ["33522", 0, 0, 0],
            ["33550", 0, 0, 0]
          ])
          expect(figures[0]!.name).toBe("Cadaujac")
          // The same figures as the commune's own statistics (PgCommuneStatistics) count them.
          const stats = yield* (yield* CommuneStatisticsRepo).snapshot(CADAUJAC, yield* DateTime.now)
          expect(stats.communities.length).toBe(figures[0]!.quartiers)
          expect(stats.communities.reduce((n, c) => n + c.verifiedMembers, 0)).toBe(figures[0]!.verifiedMembers)
          expect(stats.categories.reduce((n, c) => n + c.alerts.last30d, 0)).toBe(figures[0]!.alertsLast30Days)
        }))

      it.effect("the police contact: set by the commune's mairie agent or an admin, not by another commune's", () =>
        Effect.gen(function*() {
          const administration = yield* PlatformAdministration
          const agent = yield* staffAccount([{ _tag: "MairieAgent", insee: VILLENAVE }])
          const police = yield* staffAccount([{ _tag: "MunicipalPolice", insee: VILLENAVE }])
          const other = yield* staffAccount([{ _tag: "MairieAgent", insee: CADAUJAC }])
          const contact = new PoliceContact({ phone: Option.some("05 56 75 69 00"),
            details: Option.some("Place Aristide Briand, du lundi au vendredi 8 h – 18 h") })
          expect(yield* administration.setPoliceContact(actorOf(agent), VILLENAVE, contact)).toStrictEqual(contact)
          expect(yield* administration.getPoliceContact(actorOf(police), VILLENAVE)).toStrictEqual(contact)
          for (const refused of [other, police]) {
            const exit = yield* Effect.exit(
              administration.setPoliceContact(
                actorOf(refused),
                VILLENAVE,
                new PoliceContact({ phone: Option.none(), details: Option.none() })
              )
            )
            expect(failureTag(exit)).toBe("Forbidden")
          }
          expect(yield* administration.getPoliceContact(actorOf(admin), VILLENAVE)).toStrictEqual(contact)
          const notVigilant = yield* Effect.exit(administration.setPoliceContact(actorOf(admin), BEGLES, contact))
          expect(failureTag(notVigilant)).toBe("CommuneNotVigilant")
          expect(yield* rowsOf(BEGLES)).toBe(0)
        }))
    }
  )
}
