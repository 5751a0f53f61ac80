import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { VigilantCommuneRepo } from "@vigie/domain/administration/VigilantCommuneRepo"
import type { Account, StaffRole } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import * as ProposalsService from "@vigie/domain/proposals/Proposals"
import { Proposals } from "@vigie/domain/proposals/Proposals"
import type { ProposalStatus } from "@vigie/domain/proposals/CommunityProposal"
import { nextStatus, type ProposalEvent } from "@vigie/domain/proposals/ProposalPolicy"
import { ProposalRepo } from "@vigie/domain/proposals/ProposalRepo"
import { Email } from "@vigie/domain/shared/Text"
import { Cause, DateTime, Duration, Effect, Exit, FastCheck, Layer, Option, Redacted, Schedule, Schema } from "effect"
import { actorOf } from "../support/Actors.js"
import { Sent } from "../support/Recorders.js"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { mairiePlatform, publicUrl } from "../mairie/Support.js"

const insee = Schema.decodeSync(InseeCode)
const postcode = Schema.decodeSync(Postcode)
const email = Schema.decodeSync(Email)
const VILLENAVE = insee("33550")
const TALENCE = insee("33522")

/** A rectangle [west, south, east, north] in degrees. */
const box = (w: number, s: number, e: number, n: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]]
})
/** The n-th square of a row: the tests' perimeters never meet. */
const square = (n: number): Polygon => box(-0.6 + n * 0.02, 44.7, -0.59 + n * 0.02, 44.71)

let n = 0
const person = (roles: ReadonlyArray<StaffRole> = [], firstName = "Camille") =>
  Effect.flatMap(AccountRepo, (accounts) =>
    accounts.insert({
      firstName,
      lastName: `Proposante${++n}`,
      email: Option.some(email(`prop.${n}.${crypto.randomUUID().slice(0, 8)}@example.org`)),
      phone: Option.none(),
      phoneVerified: false,
      passwordHash: Option.none(),
      staffRoles: roles
    })).pipe(Effect.orDie)

const villenaveHome = new HomeAddress({ line1: "12 rue des Saules", line2: Option.none(), postcode: postcode("33140"),
  city: "Villenave-d'Ornon", location: Option.none() })
const talenceHome = new HomeAddress({ line1: "3 bis allée des Tilleuls", line2: Option.none(),
  postcode: postcode("33400"), city: "Talence", location: Option.none() })

const proposal = (commune: InseeCode, perimeter: Polygon, name = "Les Saules") => ({
  insee: commune,
  name,
  reason: "Notre rue n'est couverte par aucun quartier et nous sommes une vingtaine de foyers.",
  perimeter,
  address: commune === TALENCE ? talenceHome : villenaveHome
})

/** "success", or the tag of the typed failure (a defect fails the test). */
const outcome = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>) =>
  Exit.match(exit, {
    onSuccess: () => "success",
    onFailure: (cause) => Option.getOrThrow(Cause.failureOption(cause))._tag
  })

const proposalsOf = (account: Account) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ status: string }>`SELECT status FROM community_proposals WHERE requester_id = ${account.id}`.pipe(
        Effect.map((rows) => rows.map((r) => r.status)),
        Effect.orDie
      )
  )

const communitiesNamed = (name: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ id: string }>`SELECT id FROM communities WHERE name = ${name}`.pipe(Effect.orDie)
  )

const mailsTo = (account: Account) =>
  Effect.map(Sent, (sent) => sent.emails.filter((m) => m.to === Option.getOrThrow(account.email)))

/** The decision's e-mails waiting in the outbox for the requester: their stored texts. */
const noticesTo = (account: Account) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ body: string; channel: string; destination: string }>`
SELECT m.body, d.channel, d.destination FROM deliveries d JOIN messages m ON m.id = d.message_id
WHERE d.account_id = ${account.id} AND m.kind = 'proposal_notice' AND d.proposal_id = m.proposal_id`.pipe(
      Effect.orDie
    ))

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  poll: Duration.millis(50),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

/** Runs the delivery worker with the real French texts until an e-mail to `address` is sent; returns it. */
const sentEmail = (address: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const mails = sql<{ subject: string; text: string }>`
      SELECT subject, text FROM email_outbox WHERE destination = ${address}`.pipe(Effect.orDie)
    return yield* Effect.scoped(Effect.gen(function*() {
      const outbox = Layer.merge(OutboxSmsSender.layer, OutboxEmailSender.layer)
      yield* Effect.forkScoped(DeliveryWorker.run(yield* alertRenderer(publicUrl), fast).pipe(Effect.provide(outbox)))
      return yield* mails.pipe(
        Effect.filterOrFail((all) => all.length > 0, () => "not sent yet"),
        Effect.retry(Schedule.spaced(Duration.millis(50))),
        Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("notice not sent in time") }),
        Effect.map((all) => all[0]!)
      )
    }))
  })

for (const db of databases) {
  const services = ProposalsService.layer.pipe(Layer.provideMerge(mairiePlatform(db)))
  layer(services, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `quartier proposals [${db.name}]`,
    (it) => {
      it.effect("a signed-in resident proposes a quartier and sees it pending; bad input writes nothing", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person()
          const made = yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(0)))
          expect([made.status, made.name, made.communeName]).toStrictEqual(["pending", "Les Saules",
            "Villenave-d'Ornon"])
          expect((yield* proposals.listMine(actorOf(resident))).map((p) => p.id)).toStrictEqual([made.id])

          const refusals = [
            yield* Effect.exit(proposals.propose(anonymous, proposal(VILLENAVE, square(1)))),
            yield* Effect.exit(
              proposals.propose(actorOf(resident), { ...proposal(VILLENAVE, square(1)), address: talenceHome })
            ),
            yield* Effect.exit(proposals.propose(actorOf(resident), proposal(insee("33999"), square(1)))),
            yield* Effect.exit(
              proposals.propose(
                actorOf(resident),
                proposal(VILLENAVE, { type: "Polygon",
                  coordinates: [[[-0.5, 44.7], [-0.49, 44.71], [-0.49, 44.7], [-0.5, 44.71], [-0.5, 44.7]]] })
              )
            )
          ]
          expect(refusals.map(outcome)).toStrictEqual(["Unauthenticated", "AddressOutsideCommune", "UnknownCommune",
            "InvalidPerimeter"])
          yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(1)))
          yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(2)))
          const fourth = yield* Effect.exit(proposals.propose(actorOf(resident), proposal(VILLENAVE, square(3))))
          expect(outcome(fourth)).toBe("TooManyPendingProposals")
          expect(yield* proposalsOf(resident)).toStrictEqual(["pending", "pending", "pending"])
        }))

      it.effect("where the commune is not vigilant only the admins decide; accepting opens the quartier with the requester as référent", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person([], "Bastien")
          const agent = yield* person([{ _tag: "MairieAgent", insee: VILLENAVE }])
          const admin = yield* person([{ _tag: "Admin" }])
          const made = yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(5), "Bastien ouvre"))

          // Villenave-d'Ornon is no Mairie Vigilante: its agent is refused, the proposal goes to the admins.
          expect(
            outcome(
              yield* Effect.exit(
                proposals.accept(actorOf(agent), made.id, { name: Option.none(), perimeter: Option.none() })
              )
            )
          ).toBe("Forbidden")
          expect(outcome(yield* Effect.exit(proposals.list(actorOf(agent), Option.some(VILLENAVE))))).toBe("Forbidden")
          expect((yield* proposals.list(actorOf(admin), Option.none())).map((p) => p.id)).toContain(made.id)

          const opened = yield* proposals.accept(actorOf(admin), made.id, { name: Option.none(),
            perimeter: Option.none() })
          expect([opened.name, opened.insee, opened.status]).toStrictEqual(["Bastien ouvre", VILLENAVE, "active"])
          const membership = (yield* (yield* MembershipRepo).listByAccount(resident.id))[0]!
          expect([membership.communityId, membership.role, membership.status, membership.address.line1])
            .toStrictEqual([opened.id, "referent", "pending_verification", "12 rue des Saules"])
          const mine = (yield* proposals.listMine(actorOf(resident)))[0]!
          expect([mine.status, Option.getOrNull(mine.communityId)]).toStrictEqual(["accepted", opened.id])
          const mails = yield* noticesTo(resident)
          expect(mails.map((m) => [m.channel, m.destination])).toStrictEqual([["email",
            Option.getOrThrow(resident.email)]])
          expect(mails[0]!.body).toContain(
            "Bonjour Bastien, le quartier « Bastien ouvre » que vous avez proposé à " +
              "Villenave-d'Ornon est ouvert sur Vigie. Vous en êtes le référent"
          )

          const again = yield* Effect.exit(
            proposals.accept(actorOf(admin), made.id, { name: Option.none(), perimeter: Option.none() })
          )
          const refusedAfter = yield* Effect.exit(proposals.refuse(actorOf(admin), made.id, "Trop tard"))
          expect([outcome(again), outcome(refusedAfter)]).toStrictEqual(["ProposalAlreadyDecided",
            "ProposalAlreadyDecided"])
          expect((yield* communitiesNamed("Bastien ouvre")).length).toBe(1)
        }))

      it.effect("the agent of a Mairie Vigilante refuses with a reason, told by e-mail; nobody else may decide", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const admin = yield* person([{ _tag: "Admin" }])
          yield* (yield* VigilantCommuneRepo).activate(TALENCE, admin.id, yield* DateTime.now)
          const resident = yield* person([], "Denise")
          const agent = yield* person([{ _tag: "MairieAgent", insee: TALENCE }])
          const others = [
            yield* person([{ _tag: "MairieAgent", insee: VILLENAVE }]),
            yield* person([{ _tag: "MunicipalPolice", insee: TALENCE }]),
            yield* person([{ _tag: "Moderator" }]),
            yield* person()
          ]
          const made = yield* proposals.propose(actorOf(resident), proposal(TALENCE, square(7), "Les Tilleuls"))
          expect((yield* proposals.list(actorOf(agent), Option.some(TALENCE)))[0]).toMatchObject({
            id: made.id,
            street: "allée des Tilleuls",
            postcode: "33400",
            status: "pending",
            requesterName: "Denise P."
          })
          for (const other of others) {
            expect(outcome(yield* Effect.exit(proposals.refuse(actorOf(other), made.id, "Non")))).toBe("Forbidden")
            expect(outcome(yield* Effect.exit(proposals.list(actorOf(other), Option.some(TALENCE))))).toBe("Forbidden")
          }
          // Someone who is no requester cannot withdraw it either.
          expect(outcome(yield* Effect.exit(proposals.withdraw(actorOf(others[3]!), made.id)))).toBe("ProposalNotFound")

          yield* proposals.refuse(actorOf(agent), made.id, "Ce secteur rejoindra le quartier des Écoles en janvier.")
          const mine = (yield* proposals.listMine(actorOf(resident)))[0]!
          expect([mine.status, Option.getOrNull(mine.refusalReason)]).toStrictEqual(["refused",
            "Ce secteur rejoindra le quartier des Écoles en janvier."])
          const mails = yield* noticesTo(resident)
          expect(mails.length).toBe(1)
          expect(mails[0]!.body).toContain("Raison donnée : Ce secteur rejoindra le quartier des Écoles en janvier.")
          // The worker sends it with the French layout.
          const sent = yield* sentEmail(Option.getOrThrow(resident.email))
          expect(sent.subject).toBe("Vigie – votre proposition de quartier")
          expect(sent.text).toContain("Raison donnée : Ce secteur rejoindra le quartier des Écoles en janvier.")
          expect(sent.text).toContain("http://vigie.test/propositions")
          expect(
            outcome(
              yield* Effect.exit(
                proposals.accept(actorOf(agent), made.id, { name: Option.none(), perimeter: Option.none() })
              )
            )
          ).toBe("ProposalAlreadyDecided")
          expect(outcome(yield* Effect.exit(proposals.withdraw(actorOf(resident), made.id))))
            .toBe("ProposalAlreadyDecided")
          expect((yield* communitiesNamed("Les Tilleuls")).length).toBe(0)
        }))

      it.effect("the requester withdraws a pending proposal; it can no longer be decided", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person()
          const admin = yield* person([{ _tag: "Admin" }])
          const made = yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(9), "Retirée"))
          yield* proposals.withdraw(actorOf(resident), made.id)
          expect(yield* proposalsOf(resident)).toStrictEqual(["withdrawn"])
          expect(
            outcome(
              yield* Effect.exit(
                proposals.accept(actorOf(admin), made.id, { name: Option.none(), perimeter: Option.none() })
              )
            )
          ).toBe("ProposalAlreadyDecided")
          expect((yield* communitiesNamed("Retirée")).length).toBe(0)
        }))

      it.effect("two acceptances at once open one quartier; the other is told it is decided", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person()
          const admin = yield* person([{ _tag: "Admin" }])
          const admin2 = yield* person([{ _tag: "Admin" }])
          const made = yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(11), "Une seule fois"))
          const both = yield* Effect.all([
            Effect.exit(proposals.accept(actorOf(admin), made.id, { name: Option.none(), perimeter: Option.none() })),
            Effect.exit(proposals.accept(actorOf(admin2), made.id, { name: Option.none(), perimeter: Option.none() }))
          ], { concurrency: 2 })
          expect(both.map(outcome).sort()).toStrictEqual(["ProposalAlreadyDecided", "success"])
          expect((yield* communitiesNamed("Une seule fois")).length).toBe(1)
          expect((yield* (yield* MembershipRepo).listByAccount(resident.id)).length).toBe(1)
        }))

      it.effect("a quartier drawn meanwhile over the proposal: PerimeterOverlap names it and the proposal stays pending; adjusted, it opens", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person()
          const admin = yield* person([{ _tag: "Admin" }])
          const made = yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(13), "Chevauchée"))
          const meanwhile = yield* (yield* CommunityRepo).insert({ insee: VILLENAVE, name: "Ouvert entre-temps",
            perimeter: box(-0.6 + 13 * 0.02 + 0.005, 44.7, -0.59 + 13 * 0.02 + 0.005, 44.71) })
          const refused = yield* Effect.exit(
            proposals.accept(actorOf(admin), made.id, { name: Option.none(), perimeter: Option.none() })
          )
          expect(refused).toStrictEqual(
            Exit.fail(
              expect.objectContaining({ _tag: "PerimeterOverlap", otherName: "Ouvert entre-temps",
                otherCommunityId: meanwhile.id })
            )
          )
          expect(yield* proposalsOf(resident)).toStrictEqual(["pending"])
          expect((yield* (yield* MembershipRepo).listByAccount(resident.id)).length).toBe(0)

          const west = box(-0.6 + 13 * 0.02 - 0.005, 44.7, -0.6 + 13 * 0.02 + 0.005, 44.71)
          const opened = yield* proposals.accept(actorOf(admin), made.id, { name: Option.some("Chevauchée ajustée"),
            perimeter: Option.some(west) })
          expect([opened.name, opened.perimeter]).toStrictEqual(["Chevauchée ajustée", west])
          expect(yield* proposalsOf(resident)).toStrictEqual(["accepted"])
        }))

      it.effect("a member of as many quartiers as one may be cannot propose another", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const resident = yield* person()
          for (let i = 0; i < 5; i++) {
            const community = yield* (yield* CommunityRepo).insert({ insee: VILLENAVE,
              name: `Plein ${i} ${crypto.randomUUID()}`, perimeter: square(80 + i) })
            yield* (yield* MembershipRepo).insert({ accountId: resident.id, communityId: community.id, role: "resident",
              status: "verified", address: villenaveHome }).pipe(Effect.orDie)
          }
          const refused = yield* Effect.exit(proposals.propose(actorOf(resident), proposal(VILLENAVE, square(90))))
          expect(refused).toStrictEqual(Exit.fail(expect.objectContaining({ _tag: "TooManyCommunities", max: 5 })))
          expect(yield* proposalsOf(resident)).toStrictEqual([])
        }))

      it.effect("accepting is refused, nothing opened and the proposal still pending, when the requester was suspended since or has joined as many quartiers as one may be", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const accounts = yield* AccountRepo
          const admin = yield* person([{ _tag: "Admin" }])
          const keep = { name: Option.none(), perimeter: Option.none() }

          const suspended = yield* person()
          const first = yield* proposals.propose(actorOf(suspended), proposal(VILLENAVE, square(21), "Suspendue"))
          yield* accounts.setStatus(suspended.id, "suspended")
          expect(yield* Effect.exit(proposals.accept(actorOf(admin), first.id, keep))).toStrictEqual(
            Exit.fail(
              expect.objectContaining({ _tag: "RequesterUnavailable", reason: "suspended", proposalId: first.id })
            )
          )
          expect(yield* communitiesNamed("Suspendue")).toStrictEqual([])
          expect(yield* proposalsOf(suspended)).toStrictEqual(["pending"])
          expect(yield* (yield* MembershipRepo).listByAccount(suspended.id)).toStrictEqual([])
          expect(yield* noticesTo(suspended)).toStrictEqual([])
          // Reinstated, the same acceptance opens the quartier with them as référent.
          yield* accounts.setStatus(suspended.id, "active")
          yield* proposals.accept(actorOf(admin), first.id, keep)
          expect(yield* proposalsOf(suspended)).toStrictEqual(["accepted"])
          expect((yield* (yield* MembershipRepo).listByAccount(suspended.id)).map((m) => m.role)).toStrictEqual([
            "referent"
          ])

          // Proposed with four quartiers, then joined a fifth while the proposal waited.
          const busy = yield* person()
          const joinOne = (i: number) =>
            Effect.gen(function*() {
              const community = yield* (yield* CommunityRepo).insert({ insee: VILLENAVE,
                name: `Occupé ${i} ${crypto.randomUUID()}`, perimeter: square(60 + i) })
              yield* (yield* MembershipRepo).insert({ accountId: busy.id, communityId: community.id, role: "resident",
                status: i === 4 ? "pending_verification" : "verified", address: villenaveHome })
                .pipe(Effect.orDie)
            })
          for (let i = 0; i < 4; i++) yield* joinOne(i)
          const second = yield* proposals.propose(actorOf(busy), proposal(VILLENAVE, square(22), "Complète"))
          yield* joinOne(4)
          expect(yield* Effect.exit(proposals.accept(actorOf(admin), second.id, keep))).toStrictEqual(
            Exit.fail(
              expect.objectContaining({ _tag: "RequesterUnavailable", reason: "too_many_communities", max: 5 })
            )
          )
          expect(yield* communitiesNamed("Complète")).toStrictEqual([])
          expect(yield* proposalsOf(busy)).toStrictEqual(["pending"])
          expect((yield* (yield* MembershipRepo).listByAccount(busy.id)).length).toBe(5)
          // The decider can still refuse it, with a reason the requester is told.
          yield* proposals.refuse(actorOf(admin), second.id, "Vous êtes déjà dans cinq quartiers.")
          expect(yield* proposalsOf(busy)).toStrictEqual(["refused"])
        }))

      it.effect("SQL moves a proposal exactly as ProposalPolicy does, whatever the sequence of events", () =>
        Effect.gen(function*() {
          const repo = yield* ProposalRepo
          const resident = yield* person()
          const decider = yield* person([{ _tag: "Admin" }])
          const sequences = FastCheck.sample(
            FastCheck.array(FastCheck.constantFrom<ProposalEvent>("accept", "refuse", "withdraw"), { minLength: 1,
              maxLength: 5 }),
            { numRuns: 15, seed: 14 }
          )
          for (const [n, events] of sequences.entries()) {
            const at = yield* DateTime.now
            const id = yield* repo.insert({ requesterId: resident.id, insee: VILLENAVE, name: `Suite ${n}`,
              reason: "Essai", perimeter: square(40 + n), address: villenaveHome, at })
            let status: ProposalStatus = "pending"
            for (const event of events) {
              const community = event === "accept"
                ? yield* (yield* CommunityRepo).insert({ insee: VILLENAVE, name: `Suite ${n} ${crypto.randomUUID()}`,
                  perimeter: square(60 + n) })
                : undefined
              const moved = yield* repo.decide(
                id,
                event === "accept"
                  ? { status: "accepted", communityId: community!.id }
                  : event === "refuse"
                  ? { status: "refused", reason: "Non" }
                  : { status: "withdrawn" },
                decider.id,
                at
              )
              const expected = nextStatus(status, event)
              expect(moved).toBe(expected !== undefined)
              status = expected ?? status
              expect(Option.getOrThrow(yield* repo.find(id)).status).toBe(status)
            }
          }
        }))

      it.effect("the requester's data: exported with their account; erased, a pending proposal is withdrawn and its reason and address blanked", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const data = yield* PersonalDataRepo
          const resident = yield* person()
          yield* proposals.propose(actorOf(resident), proposal(VILLENAVE, square(17), "Effacée"))
          const files = yield* data.collect(resident.id, new Uint8Array(32))
          const exported = files.find((f) => f.name === "propositions-de-quartier.json")!
          expect(JSON.stringify(exported.content)).toContain("Notre rue n'est couverte par aucun quartier")
          yield* data.erase(resident.id, yield* DateTime.now)
          const rows = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ status: string; reason: string; address_line1: string }>`
SELECT status, reason, address_line1 FROM community_proposals WHERE requester_id = ${resident.id}`.pipe(Effect.orDie)
          )
          expect(rows).toStrictEqual([{ status: "withdrawn", reason: "—", address_line1: "—" }])
        }))

      it.effect("a visitor signs up with a proposal: account and proposal together, a known e-mail answered alike", () =>
        Effect.gen(function*() {
          const proposals = yield* Proposals
          const accounts = yield* AccountRepo
          const address = email(`visiteur.${crypto.randomUUID().slice(0, 8)}@example.org`)
          const input = {
            firstName: "Élise",
            lastName: "Visiteuse",
            email: address,
            phone: Option.none(),
            password: Redacted.make("une phrase de passe assez longue"),
            ...proposal(VILLENAVE, square(15), "Quartier d'Élise")
          }
          yield* proposals.registerWithProposal(input)
          const created = Option.getOrThrow(yield* accounts.findByEmail(address))
          expect(yield* proposalsOf(created)).toStrictEqual(["pending"])

          // Again with the same e-mail: the same answer, nothing written, the owner told by e-mail.
          yield* proposals.registerWithProposal({ ...input, perimeter: square(16) })
          expect(yield* proposalsOf(created)).toStrictEqual(["pending"])
          expect((yield* mailsTo(created)).map((m) => m.subject)).toStrictEqual([
            "Vigie : tentative d'inscription avec votre adresse"
          ])

          const weak = yield* Effect.exit(
            proposals.registerWithProposal({ ...input,
              email: email(`faible.${crypto.randomUUID().slice(0, 8)}@example.org`), password: Redacted.make("court") })
          )
          expect(outcome(weak)).toBe("WeakPassword")
        }))
    }
  )
}
