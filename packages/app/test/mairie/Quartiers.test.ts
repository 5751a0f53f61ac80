import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account, StaffRole } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import * as QuartiersService from "@vigie/domain/mairie/Quartiers"
import { Quartiers } from "@vigie/domain/mairie/Quartiers"
import { HomeAddress, type MembershipStatus } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Registration } from "@vigie/domain/registration/Registration"
import type { Email } from "@vigie/domain/shared/Text"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { Duration, Effect, Either, Layer, Option, Schedule, Schema } from "effect"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { actorOf, mairiePlatform, publicUrl } from "./Support.js"

const insee = Schema.decodeSync(InseeCode)
const postcode = Schema.decodeSync(Postcode)

/** A rectangle [west, south, east, north] in degrees (a few hundred metres in Gironde). */
const box = (w: number, s: number, e: number, n: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]]
})

let counter = 0
const unique = () => `${process.pid}-${++counter}-${crypto.randomUUID().slice(0, 6)}`

const account = (firstName: string, lastName: string, roles: ReadonlyArray<StaffRole> = []) =>
  Effect.flatMap(AccountRepo, (accounts) =>
    accounts.insert({
      firstName,
      lastName,
      email: Option.some(`${firstName.toLowerCase()}.${unique()}@example.org` as Email),
      phone: Option.none(),
      phoneVerified: false,
      passwordHash: Option.none(),
      staffRoles: roles
    }).pipe(Effect.orDie))

/** The staff of one commune (its own, so that the tests' quartiers never meet), an admin, strangers. */
const staffOf = (code: string) =>
  Effect.gen(function*() {
    const commune = insee(code)
    return {
      commune,
      agent: actorOf(yield* account("Agnès", "Mairie", [{ _tag: "MairieAgent", insee: commune }])),
      admin: actorOf(yield* account("Adèle", "Admin", [{ _tag: "Admin" }])),
      otherAgent: actorOf(yield* account("Olivier", "Ailleurs", [{ _tag: "MairieAgent", insee: insee("33063") }])),
      police: actorOf(yield* account("Paul", "Police", [{ _tag: "MunicipalPolice", insee: commune }])),
      moderator: actorOf(yield* account("Mona", "Modération", [{ _tag: "Moderator" }]))
    }
  })

/** A member of `community` living at `line1`, at `location` (none: unknown). */
const member = (
  community: Community,
  firstName: string,
  lastName: string,
  line1: string,
  location: readonly [number, number] | undefined,
  status: MembershipStatus = "verified"
) =>
  Effect.gen(function*() {
    const person: Account = yield* account(firstName, lastName)
    const membership = yield* (yield* MembershipRepo).insert({
      accountId: person.id,
      communityId: community.id,
      role: "resident",
      status,
      address: new HomeAddress({
        line1,
        line2: Option.none(),
        postcode: postcode("33140"),
        city: "Cadaujac",
        location: location === undefined ? Option.none() : Option.some(location)
      })
    }).pipe(Effect.orDie)
    return { person, membership }
  })

const communitiesIn = (commune: InseeCode) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM communities WHERE insee = ${commune}`.pipe(
        Effect.map((rows) => rows[0]!.n),
        Effect.orDie
      )
  )

/** The community notices' e-mails per account, with their text. */
const noticesTo = (accountIds: ReadonlyArray<string>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ account_id: string; channel: string; body: string }>`
      SELECT d.account_id::text, d.channel, m.body FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.kind = 'community_notice' AND d.account_id = ANY (${accountIds}::uuid[])
      ORDER BY d.account_id`.pipe(Effect.orDie))

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  poll: Duration.millis(50),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

/** Runs the delivery worker with the real French texts until the e-mails to `addresses` are sent; returns them. */
const sentEmails = (addresses: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const mails = sql<{ destination: string; subject: string; text: string }>`
      SELECT destination, subject, text FROM email_outbox WHERE destination = ANY (${addresses}::text[])`.pipe(
      Effect.orDie
    )
    return yield* Effect.scoped(Effect.gen(function*() {
      const outbox = Layer.merge(OutboxSmsSender.layer, OutboxEmailSender.layer)
      yield* Effect.forkScoped(DeliveryWorker.run(yield* alertRenderer(publicUrl), fast).pipe(Effect.provide(outbox)))
      return yield* mails.pipe(
        Effect.filterOrFail((all) => all.length >= addresses.length, () => "not sent yet"),
        Effect.retry(Schedule.spaced(Duration.millis(50))),
        Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("notices not sent in time") })
      )
    }))
  })

const platformWithQuartiers = (db: (typeof databases)[number]) =>
  QuartiersService.layer.pipe(Layer.provideMerge(mairiePlatform(db)))

for (const db of databases) {
  describe(`quartiers managed by the mairie [${db.name}]`, () => {
    layer(platformWithQuartiers(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "Quartiers",
      (it) => {
        it.effect("an agent of the commune and an admin create quartiers; the police, a moderator, another commune's agent and anonymous callers are refused", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33550")
            const created = yield* q.create(s.agent, { insee: s.commune, name: "Le Bourg", perimeter: box(0, 0, 1, 1) })
            expect(created.status).toBe("active")
            expect(created.name).toBe("Le Bourg")
            const byAdmin = yield* q.create(s.admin, { insee: s.commune, name: "Chambéry", perimeter: box(1, 0, 2, 1) })
            const listed = yield* q.list(s.agent, s.commune)
            expect(listed.map((l) => [l.community.id, l.verifiedMembers, l.referents])).toStrictEqual([
              [byAdmin.id, 0, []],
              [created.id, 0, []]
            ])
            // Sign-up lists them too.
            const open = yield* (yield* Registration).listCommunities(s.commune)
            expect(open.map((c) => c.name)).toStrictEqual(["Chambéry", "Le Bourg"])

            for (const refused of [s.otherAgent, s.police, s.moderator]) {
              const error = yield* Effect.flip(
                q.create(refused, { insee: s.commune, name: "Non", perimeter: box(5, 5, 6, 6) })
              )
              expect(error._tag).toBe("Forbidden")
              expect((yield* Effect.flip(q.list(refused, s.commune)))._tag).toBe("Forbidden")
            }
            expect(
              (yield* Effect.flip(q.create(anonymous, { insee: s.commune, name: "Non", perimeter: box(5, 5, 6, 6) })))
                ._tag
            )
              .toBe("Unauthenticated")
            expect(yield* communitiesIn(s.commune)).toBe(2)
            // An unknown INSEE code (admins manage every commune): UnknownCommune, nothing written.
            const unknown = yield* Effect.flip(
              q.create(s.admin, { insee: insee("99999"), name: "Nulle part", perimeter: box(0, 0, 1, 1) })
            )
            expect(unknown._tag).toBe("UnknownCommune")
          }))

        it.effect("an overlapping perimeter is refused naming the other quartier, and nothing is written; touching is allowed", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33039")
            const first = yield* q.create(s.agent, { insee: s.commune, name: "Les Vignes", perimeter: box(0, 0, 2, 2) })
            for (const perimeter of [box(1, 1, 3, 3), box(0.5, 0.5, 1, 1), box(0, 0, 2, 2), box(-1, -1, 3, 3)]) {
              const error = yield* Effect.flip(q.create(s.agent, { insee: s.commune, name: "Chevauchant", perimeter }))
              expect(error).toMatchObject({ _tag: "PerimeterOverlap", otherCommunityId: first.id,
                otherName: "Les Vignes" })
            }
            expect(yield* communitiesIn(s.commune)).toBe(1)
            // Sharing a side, or a corner: two neighbouring quartiers.
            yield* q.create(s.agent, { insee: s.commune, name: "Le Port", perimeter: box(2, 0, 4, 2) })
            yield* q.create(s.agent, { insee: s.commune, name: "La Gare", perimeter: box(2, 2, 3, 3) })
            // The same name (case and accents aside) is refused too.
            const same = yield* Effect.flip(
              q.create(s.agent, { insee: s.commune, name: "les vignes", perimeter: box(9, 9, 10, 10) })
            )
            expect(same).toMatchObject({ _tag: "CommunityNameTaken", name: "Les Vignes" })
            expect(yield* communitiesIn(s.commune)).toBe(3)
          }))

        it.effect("a self-crossing or flat perimeter is refused and nothing is written", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33522")
            const bowTie: Polygon = { type: "Polygon", coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }
            const flat: Polygon = { type: "Polygon", coordinates: [[[0, 0], [1, 1], [2, 2], [0, 0]]] }
            expect(yield* Effect.flip(q.create(s.agent, { insee: s.commune, name: "Noeud", perimeter: bowTie })))
              .toMatchObject({ _tag: "InvalidPerimeter", reason: "self_intersecting" })
            expect(yield* Effect.flip(q.create(s.agent, { insee: s.commune, name: "Trait", perimeter: flat })))
              .toMatchObject({ _tag: "InvalidPerimeter", reason: "degenerate" })
            expect(yield* communitiesIn(s.commune)).toBe(0)
          }))

        it.effect("two overlapping creations at once: exactly one quartier, the other told which", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33318")
            for (let round = 0; round < 3; round++) {
              const y = round * 10
              const results = yield* Effect.all([
                Effect.either(
                  q.create(s.agent, { insee: s.commune, name: `Nord ${round}`, perimeter: box(0, y, 2, y + 2) })
                ),
                Effect.either(
                  q.create(s.admin, { insee: s.commune, name: `Sud ${round}`, perimeter: box(1, y + 1, 3, y + 3) })
                )
              ], { concurrency: 2 })
              const created = results.filter(Either.isRight)
              const refused = results.filter(Either.isLeft)
              expect(created).toHaveLength(1)
              expect(refused).toHaveLength(1)
              expect(refused[0]!.left).toMatchObject({ _tag: "PerimeterOverlap",
                otherCommunityId: created[0]!.right.id })
            }
            expect(yield* communitiesIn(s.commune)).toBe(3)
          }))

        it.effect("rename: a new name, not one another active quartier has; an archived quartier is not renamed", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33281")
            const a = yield* q.create(s.agent, { insee: s.commune, name: "Arlac", perimeter: box(0, 0, 1, 1) })
            const b = yield* q.create(s.agent, { insee: s.commune, name: "Capeyron", perimeter: box(1, 0, 2, 1) })
            const renamed = yield* q.rename(s.agent, a.id, "Arlac Nord")
            expect(renamed.name).toBe("Arlac Nord")
            expect((yield* q.list(s.agent, s.commune)).map((l) => l.community.name)).toStrictEqual(["Arlac Nord",
              "Capeyron"])
            expect(yield* Effect.flip(q.rename(s.agent, a.id, "CAPEYRON"))).toMatchObject({
              _tag: "CommunityNameTaken"
            })
            expect((yield* Effect.flip(q.rename(s.otherAgent, a.id, "Volé")))._tag).toBe("Forbidden")
            yield* q.archive(s.agent, b.id)
            // Once archived, its name is free again.
            yield* q.rename(s.agent, a.id, "Capeyron")
            expect((yield* Effect.flip(q.rename(s.agent, b.id, "Capeyron 2")))._tag).toBe("CommunityArchived")
          }))

        it.effect("redraw: the members left outside are previewed, then their memberships end and each is e-mailed, with the new perimeter", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const sql = yield* SqlClient.SqlClient
            const s = yield* staffOf("33192")
            const quartier = yield* q.create(s.agent, { insee: s.commune, name: "Malartic",
              perimeter: box(0, 0, 4, 4) })
            const inside = yield* member(quartier, "Inès", "Dedans", "3 rue du Centre", [1, 1])
            const out1 = yield* member(quartier, "Omar", "Dehors", "12 bis rue des Lilas", [3.5, 3.5])
            const out2 = yield* member(
              quartier,
              "Olga",
              "Loin",
              "7 avenue de la Gare",
              [3.2, 0.5],
              "pending_verification"
            )
            const unknown = yield* member(quartier, "Ugo", "Inconnu", "1 impasse Perdue", undefined)
            const smaller = box(0, 0, 3, 3)

            const preview = yield* q.previewRedraw(s.agent, quartier.id, smaller)
            expect(preview.outside).toStrictEqual([
              { membershipId: out2.membership.id, displayName: "Olga L.", street: "avenue de la Gare" },
              { membershipId: out1.membership.id, displayName: "Omar D.", street: "rue des Lilas" }
            ])
            expect((yield* Effect.flip(q.previewRedraw(s.police, quartier.id, smaller)))._tag).toBe("Forbidden")

            const redrawn = yield* q.redraw(s.agent, quartier.id, smaller, preview.outside.map((m) => m.membershipId))
            expect(redrawn.perimeter).toStrictEqual(smaller)
            const statuses = yield* sql<{ id: string; status: string; left_reason: string | null }>`
            SELECT id::text, status, left_reason FROM memberships WHERE community_id = ${quartier.id} ORDER BY id`
            const byId = new Map(statuses.map((r) => [r.id, [r.status, r.left_reason]]))
            expect(byId.get(inside.membership.id)).toStrictEqual(["verified", null])
            expect(byId.get(unknown.membership.id)).toStrictEqual(["verified", null])
            expect(byId.get(out1.membership.id)).toStrictEqual(["left", "perimeter_redrawn"])
            expect(byId.get(out2.membership.id)).toStrictEqual(["left", "perimeter_redrawn"])

            const told = yield* noticesTo([inside, out1, out2, unknown].map((m) => m.person.id))
            expect(told.map((t) => [t.account_id, t.channel]).sort()).toStrictEqual(
              [[out1.person.id, "email"], [out2.person.id, "email"]].sort()
            )
            expect(told[0]!.body).toContain("« Malartic »")
            expect(told[0]!.body).toContain("Gradignan")
            // The quartier's figures follow: only Inès and Ugo remain verified.
            const [listed] = yield* q.list(s.agent, s.commune)
            expect(listed!.verifiedMembers).toBe(2)
            const [change] = yield* sql<
              { action: string }
            >`SELECT action FROM community_changes WHERE community_id = ${quartier.id}`
            expect(change!.action).toBe("redrawn")
          }))

        it.effect("a redraw whose members outside changed since the preview is RedrawPreviewStale and changes nothing", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const sql = yield* SqlClient.SqlClient
            const s = yield* staffOf("33238")
            const quartier = yield* q.create(s.agent, { insee: s.commune, name: "Le Bourg",
              perimeter: box(0, 0, 4, 4) })
            const out1 = yield* member(quartier, "Omar", "Dehors", "12 rue des Lilas", [3.5, 3.5])
            const smaller = box(0, 0, 3, 3)
            const preview = yield* q.previewRedraw(s.agent, quartier.id, smaller)
            expect(preview.outside.map((m) => m.membershipId)).toStrictEqual([out1.membership.id])
            const late = yield* member(quartier, "Léa", "Tardive", "2 rue des Lilas", [3.6, 3.6])

            const stale = yield* Effect.flip(q.redraw(s.agent, quartier.id, smaller, [out1.membership.id]))
            expect(stale).toMatchObject({ _tag: "RedrawPreviewStale", communityId: quartier.id })
            // A list that names more than are outside is stale too.
            const more = yield* Effect.flip(
              q.redraw(s.agent, quartier.id, box(0, 0, 3.55, 3.55), [out1.membership.id, late.membership.id])
            )
            expect(more._tag).toBe("RedrawPreviewStale")
            const [row] = yield* sql<
              { perimeter: unknown }
            >`SELECT perimeter FROM communities WHERE id = ${quartier.id}`
            expect(row!.perimeter).toStrictEqual(box(0, 0, 4, 4))
            const left = yield* sql<{ n: number }>`
            SELECT count(*)::int AS n FROM memberships WHERE community_id = ${quartier.id} AND status = 'left'`
            expect(left[0]!.n).toBe(0)
            expect(yield* noticesTo([out1.person.id, late.person.id])).toStrictEqual([])
            // A redraw into another quartier is refused like a creation.
            yield* q.create(s.agent, { insee: s.commune, name: "Voisin", perimeter: box(4, 0, 6, 4) })
            expect(yield* Effect.flip(q.previewRedraw(s.agent, quartier.id, box(0, 0, 5, 4))))
              .toMatchObject({ _tag: "PerimeterOverlap", otherName: "Voisin" })
          }))

        it.effect("archive: every member is e-mailed and the quartier leaves the mairie's list and sign-up", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33249")
            const quartier = yield* q.create(s.agent, { insee: s.commune, name: "Carriet", perimeter: box(0, 0, 4, 4) })
            const kept = yield* q.create(s.agent, { insee: s.commune, name: "Génicart", perimeter: box(4, 0, 8, 4) })
            const a = yield* member(quartier, "Anne", "Un", "1 rue A", [1, 1])
            const b = yield* member(quartier, "Bruno", "Deux", "2 rue B", undefined, "pending_verification")
            const elsewhere = yield* member(kept, "Chloé", "Trois", "3 rue C", [5, 1])
            expect((yield* Effect.flip(q.archive(s.police, quartier.id)))._tag).toBe("Forbidden")

            yield* q.archive(s.admin, quartier.id)
            const told = yield* noticesTo([a.person.id, b.person.id, elsewhere.person.id])
            expect(told.map((t) => t.account_id).sort()).toStrictEqual([a.person.id, b.person.id].sort())
            expect(told.every((t) => t.channel === "email" && t.body.includes("a fermé le quartier « Carriet »"))).toBe(
              true
            )
            expect((yield* q.list(s.agent, s.commune)).map((l) => l.community.id)).toStrictEqual([kept.id])
            const open = yield* (yield* Registration).listCommunities(s.commune)
            expect(open.map((c) => c.id)).toStrictEqual([kept.id])
            expect((yield* Effect.flip(q.archive(s.agent, quartier.id)))._tag).toBe("CommunityArchived")
            // The worker sends them with the French texts.
            const addresses = [a.person, b.person].map((p) => Option.getOrThrow(p.email) as string)
            const mails = yield* sentEmails(addresses)
            expect(mails.map((m) => m.destination).sort()).toStrictEqual([...addresses].sort())
            for (const m of mails) {
              expect(m.subject).toBe("Vigie – votre quartier change")
              expect(m.text).toContain("La mairie de Lormont a fermé le quartier « Carriet » sur Vigie.")
            }
            // Its perimeter no longer stands in the way of a new quartier.
            yield* q.create(s.agent, { insee: s.commune, name: "Carriet", perimeter: box(0, 0, 4, 4) })
          }))

        it.effect("référents: only a verified member of that quartier is appointed; appoint and remove are idempotent", () =>
          Effect.gen(function*() {
            const q = yield* Quartiers
            const s = yield* staffOf("33119")
            const quartier = yield* q.create(s.agent, { insee: s.commune, name: "Centre", perimeter: box(0, 0, 4, 4) })
            const other = yield* q.create(s.agent, { insee: s.commune, name: "Sud", perimeter: box(0, -4, 4, 0) })
            const verified = yield* member(quartier, "Vera", "Vérifiée", "1 rue V", [1, 1])
            const pending = yield* member(quartier, "Paul", "Pendant", "2 rue P", [1, 2], "pending_verification")
            const stranger = yield* member(other, "Sam", "Ailleurs", "3 rue S", [1, -1])

            expect(yield* Effect.flip(q.appointReferent(s.agent, quartier.id, pending.membership.id)))
              .toMatchObject({ _tag: "NotAVerifiedMember", communityId: quartier.id,
                membershipId: pending.membership.id })
            expect(yield* Effect.flip(q.appointReferent(s.agent, quartier.id, stranger.membership.id)))
              .toMatchObject({ _tag: "NotAVerifiedMember" })
            expect((yield* Effect.flip(q.appointReferent(s.otherAgent, quartier.id, verified.membership.id)))._tag)
              .toBe("Forbidden")

            yield* q.appointReferent(s.agent, quartier.id, verified.membership.id)
            yield* q.appointReferent(s.admin, quartier.id, verified.membership.id)
            const members = yield* q.members(s.agent, quartier.id)
            expect(members).toStrictEqual([
              { membershipId: pending.membership.id, displayName: "Paul P.", role: "resident", verified: false },
              { membershipId: verified.membership.id, displayName: "Vera V.", role: "referent", verified: true }
            ])
            const listed = (yield* q.list(s.agent, s.commune)).find((l) => l.community.id === quartier.id)!
            expect(listed.referents).toStrictEqual([{ membershipId: verified.membership.id, displayName: "Vera V." }])

            yield* q.removeReferent(s.agent, quartier.id, verified.membership.id)
            yield* q.removeReferent(s.agent, quartier.id, verified.membership.id)
            expect((yield* q.members(s.agent, quartier.id)).map((m) => m.role)).toStrictEqual(["resident", "resident"])
            expect(yield* Effect.flip(q.removeReferent(s.agent, quartier.id, stranger.membership.id)))
              .toMatchObject({ _tag: "NotAVerifiedMember" })
          }))
      }
    )
  })
}
