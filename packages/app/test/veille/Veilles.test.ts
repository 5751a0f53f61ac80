import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { CHECKIN_LEASE_MS, Veilles, VeilleKeypad } from "@vigie/domain/checkin/Veilles"
import { parisWallClock } from "@vigie/domain/checkin/VeilleSchedule"
import { VeilleSms } from "@vigie/domain/sms/VeilleSmsCommands"
import { RetentionRepo } from "@vigie/domain/accounts/RetentionRepo"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import { DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import { defaultRetentionPeriods, retentionCutoffs } from "@vigie/domain/accounts/Retention"
import { DateTime, Duration, Effect, Either, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { Sent } from "../support/Recorders.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"
import { accountOf, at, nextCheckInOf, paperPerson, setupFor, textsTo, type VeilleWorld } from "./Support.js"

const HOUR = 3_600_000

const count = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(table)}`, (rows) => rows[0]!.n)
  )

for (const db of databases) {
  describe(`la veille bienveillante [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over SQL", (it) => {
      it.effect("bad input gets a typed error and writes nothing", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-bad-${db.name}`)
          const v = yield* paperPerson(world, "Bad")
          const veilles = yield* Veilles
          const referent = actorOf(world.accounts.referentA)
          const before = yield* Effect.all([count("veilles"), count("veilleurs"), count("veille_events")])
          const tries = [
            [{ time: "02:30" }, "VeilleTimeInvalid"],
            [{ time: "25:00" }, "VeilleTimeInvalid"],
            [{ days: [] }, "VeilleNoDays"],
            [{ veilleurs: [] }, "VeilleNoVeilleur"],
            [{ veilleurs: [world.accounts.memberB.id] }, "VeilleurOutsideQuartier"],
            [{ veilleurs: [v.person.id] }, "VeilleurOutsideQuartier"],
            [{ veilleurs: Array.from({ length: 6 }, () => crypto.randomUUID()) }, "VeilleTooManyVeilleurs"],
            [{ paperConsent: false }, "VeilleConsentMissing"]
          ] as const
          for (const [patch, tag] of tries) {
            const result = yield* Effect.either(veilles.setup(referent, setupFor(world, v, patch)))
            expect(Either.isLeft(result) && result.left._tag).toBe(tag)
          }
          // A member of another quartier, or a neighbour not registered on paper: forbidden.
          const outsider = yield* Effect.either(veilles.setup(actorOf(world.accounts.memberB), setupFor(world, v)))
          expect(Either.isLeft(outsider) && outsider.left._tag).toBe("Forbidden")
          expect(yield* Effect.all([count("veilles"), count("veilleurs"), count("veille_events")])).toEqual(before)
          // An absence that ends before it starts.
          yield* veilles.setup(referent, setupFor(world, v, { time: "19:45" }))
          const veille = Option.getOrThrow(yield* veilles.view(referent, Option.some(v.person.id)))
          const absence = yield* Effect.either(veilles.setAbsence(referent, veille.id, "2027-08-20", "2027-08-12"))
          expect(Either.isLeft(absence) && absence.left._tag).toBe("VeilleAbsenceInvalid")
          expect(veille.absences).toEqual([])
          const again = yield* Effect.either(veilles.setup(referent, setupFor(world, v)))
          expect(Either.isLeft(again) && again.left._tag).toBe("VeilleAlreadyExists")
          // Stopped: its check-ins leave the other tests' clocks alone.
          yield* veilles.stop(referent, veille.id)
        }))

      it.effect("the issue's path: check-in, no answer, reminder, veilleurs alerted, J'Y VAIS, OK; every step in the history", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-path-${db.name}`)
          const v = yield* paperPerson(world, "Path")
          const veilles = yield* Veilles
          const sms = yield* VeilleSms
          const referent = actorOf(world.accounts.referentA)
          const view = yield* veilles.setup(referent, setupFor(world, v))
          expect(view.consentMethod).toBe("paper")
          expect(view.schedule).toBe("tous les jours à 10 h")
          const [paul, lucie] = v.veilleurs as [typeof v.veilleurs[0], typeof v.veilleurs[0]]
          expect((yield* textsTo(Option.getOrThrow(paul.phone)))[0]).toContain("Répondez OUI")
          // Paul accepts by SMS, Lucie on the web.
          const yes = yield* sms.answer(paul, Option.getOrThrow(paul.phone), { _tag: "Yes" }, yield* DateTime.now)
          expect(Option.getOrThrow(yes)).toContain("Vous veillez désormais sur Jeanne")
          yield* veilles.answerInvitation(actorOf(lucie), view.id, true)

          const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          expect(parisWallClock(ten)).toMatchObject({ hour: 10, minute: 0 })
          // Nothing is due a minute before.
          expect((yield* at(ten - 60_000)(veilles.runDue(10))).claimed).toBe(0)
          yield* at(ten)(veilles.runDue(10))
          expect(yield* textsTo(v.personPhone)).toEqual([
            "Vigie : bonjour Jeanne MartinPath, tout va bien ? Répondez OK. Besoin d'aide ? Répondez AIDE-MOI."
          ])
          // Asked once: running again at the same time sends nothing more.
          yield* at(ten)(veilles.runDue(10))
          expect((yield* textsTo(v.personPhone)).length).toBe(1)
          yield* at(ten + HOUR)(veilles.runDue(10))
          expect((yield* textsTo(v.personPhone))[1]).toContain("nous n'avons pas encore de vos nouvelles")
          yield* at(ten + 2 * HOUR)(veilles.runDue(10))
          const alert =
            "Vigie : pas de nouvelles de Jeanne MartinPath depuis 10 h. Pouvez-vous passer la voir ? Répondez J'Y VAIS."
          expect(yield* textsTo(Option.getOrThrow(lucie.phone))).toContain(alert)
          expect(yield* textsTo(Option.getOrThrow(lucie.email))).toContain(alert)

          // Lucie goes; Paul is told; Paul's J'Y VAIS then hears that Lucie goes.
          const going = yield* at(ten + 2.2 * HOUR)(
            sms.answer(lucie, Option.getOrThrow(lucie.phone), { _tag: "Going" }, DateTime.unsafeMake(ten + 2.2 * HOUR))
          )
          expect(Option.getOrThrow(going)).toContain("vous passez voir Jeanne")
          expect(yield* textsTo(Option.getOrThrow(paul.phone))).toContain(
            "Vigie : Lucie VeilleurPath passe voir Jeanne MartinPath. Merci !"
          )
          const late = yield* sms.answer(
            paul,
            Option.getOrThrow(paul.phone),
            { _tag: "Going" },
            DateTime.unsafeMake(ten + 2.3 * HOUR)
          )
          expect(Option.getOrThrow(late)).toContain("Lucie VeilleurPath passe déjà voir")
          const ok = yield* sms.answer(
            lucie,
            Option.getOrThrow(lucie.phone),
            { _tag: "Ok" },
            DateTime.unsafeMake(ten + 2.5 * HOUR)
          )
          expect(Option.getOrThrow(ok)).toContain("tout va bien")
          // The référent was never alerted: Lucie went within the hour.
          yield* at(ten + 10 * HOUR)(veilles.runDue(10))
          expect(yield* textsTo(Option.getOrThrow(world.accounts.referentA.email))).toEqual([])

          const history = yield* veilles.history(actorOf(paul), view.id)
          expect(history.map((e) => e.text).reverse()).toEqual([
            "Veille mise en place, tous les jours à 10 h",
            "Consentement signé sur papier enregistré",
            "Veilleur : accepté par SMS",
            "Veilleur : accepté sur le web",
            "Message de veille envoyé",
            "Rappel envoyé",
            "Voisins veilleurs prévenus",
            "Un veilleur y va",
            "Un autre veilleur y allait déjà",
            "Le veilleur a vu la personne : tout va bien",
            "Personnes prévenues informées de la clôture",
            "Veille close : tout va bien"
          ])
          expect(history.find((e) => e.text === "Un veilleur y va")?.actor).toBe("Lucie VeilleurPath")
          // The veilleur sees only the name, the shared address and the last check-in.
          const watched = yield* veilles.watched(actorOf(paul))
          expect(watched.map((w) => [w.name, Option.getOrNull(w.address)])).toEqual([
            ["Jeanne MartinPath", "8 rue des Tilleuls, 33140 Cadaujac"]
          ])
          // A member of another quartier cannot read the history.
          const outsider = yield* Effect.either(veilles.history(actorOf(world.accounts.memberB), view.id))
          expect(Either.isLeft(outsider) && outsider.left._tag).toBe("VeilleNotFound")
        }))

      it.effect("two workers at once claim a check-in once; a dead worker's claim comes back after the lease", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-lease-${db.name}`)
          const v = yield* paperPerson(world, "Lease")
          const veilles = yield* Veilles
          yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { time: "09:15" }))
          const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          // A worker claims it and dies (never processes).
          const dead = yield* at(ten)(veilles.claim(10))
          expect(dead.length).toBe(1)
          // Two live workers at once, within the lease: neither gets it.
          const within = yield* at(ten + 1000)(Effect.all([veilles.runDue(10), veilles.runDue(10)], { concurrency: 2 }))
          expect(within.map((r) => r.claimed)).toEqual([0, 0])
          expect(yield* textsTo(v.personPhone)).toEqual([])
          // After the lease, two workers at once: exactly one takes it back and asks.
          const after = yield* at(ten + CHECKIN_LEASE_MS + 1)(
            Effect.all([veilles.runDue(10), veilles.runDue(10)], { concurrency: 2 })
          )
          expect(after.map((r) => r.moved).sort()).toEqual([0, 1])
          expect((yield* textsTo(v.personPhone)).length).toBe(1)
          // The dead worker's late processing is refused: its claim was lost.
          expect(yield* at(ten + CHECKIN_LEASE_MS + 2)(veilles.settle(dead[0]!))).toBe(false)
          expect((yield* textsTo(v.personPhone)).length).toBe(1)
        }))

      it.effect("a batch over many veilles asks each once under two workers and a lease that ends mid-batch", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-batch-${db.name}`)
          const veilles = yield* Veilles
          const people: Array<VeilleWorld> = []
          for (let i = 0; i < 12; i++) {
            const v = yield* paperPerson(world, `Batch${i}`)
            yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { time: "07:40" }))
            people.push(v)
          }
          // And a neighbour called on a landline, in the same batch: the call goes in a transaction of its own.
          const caller = yield* paperPerson(world, "BatchVoix", true)
          yield* veilles.setup(
            actorOf(world.accounts.referentA),
            setupFor(world, caller, { time: "07:40", channel: "voice" })
          )
          const callsTo = Effect.map(Sent, (sent) => sent.calls.filter((c) => c.to === caller.personPhone).length)
          const times = yield* Effect.forEach(
            [...people, caller],
            (v) => nextCheckInOf(world.accounts.referentA, v.person.id)
          )
          const first = Math.max(...times)
          const ids = people.map((v) => v.person.id)
          const allIds = [...ids, caller.person.id]
          // A slow worker claims the whole batch, asks a first part of it, then stalls past its lease.
          const slow = yield* at(first)(veilles.claim(100))
          const ours = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ id: string }>`SELECT k.id FROM veille_checkins k JOIN veilles v ON v.id = k.veille_id
              WHERE v.person_id = ANY (${allIds}::uuid[]) AND k.phase = 'scheduled' AND k.scheduled_at <= ${new Date(
                first
              )}`
          )
          const mine = slow.filter((c) => ours.some((o) => o.id === c.id))
          expect(mine.length).toBe(13)
          expect(yield* at(first + 1000)(veilles.settleBatch(mine.slice(0, 5)))).toBe(5)
          // Within the lease, nobody else takes the rest.
          expect((yield* at(first + 2000)(veilles.claim(100))).filter((c) => mine.some((m) => m.id === c.id)))
            .toEqual([])
          // The lease ends: two workers at once, in small batches, take the rest back and ask it.
          const worker = Effect.gen(function*() {
            let moved = 0
            for (;;) {
              const r = yield* veilles.runDue(3)
              moved += r.moved
              if (r.claimed === 0) return moved
            }
          })
          yield* at(first + CHECKIN_LEASE_MS + 1)(Effect.all([worker, worker], { concurrency: 2 }))
          // The slow worker wakes up: its whole batch was lost (asked or taken back), nothing is written twice.
          expect(yield* at(first + CHECKIN_LEASE_MS + 2)(veilles.settleBatch(mine))).toBe(0)
          const rows = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ person_id: string; asked: number; next: number; asks: number; sms: number }>`
SELECT v.person_id,
       (SELECT count(*) FROM veille_checkins k WHERE k.veille_id = v.id AND k.phase = 'asked')::int AS asked,
       (SELECT count(*) FROM veille_checkins k WHERE k.veille_id = v.id AND k.phase = 'scheduled')::int AS next,
       (SELECT count(*) FROM veille_events e WHERE e.veille_id = v.id AND e.kind = 'AskPerson')::int AS asks,
       (SELECT count(*) FROM deliveries d WHERE d.veille_id = v.id AND d.destination = v.phone)::int AS sms
FROM veilles v WHERE v.person_id = ANY (${allIds}::uuid[]) ORDER BY v.person_id`
          )
          expect(rows.map((r) => [r.asked, r.next, r.asks, r.sms])).toEqual(
            rows.map((r) => [1, 1, 1, r.person_id === caller.person.id ? 0 : 1])
          )
          expect(rows.length).toBe(13)
          expect(yield* callsTo).toBe(1)
          for (const v of people) {
            expect(yield* textsTo(v.personPhone)).toEqual([
              `Vigie : bonjour ${v.person.firstName} ${v.person.lastName}, tout va bien ? Répondez OK. Besoin d'aide ? Répondez AIDE-MOI.`
            ])
          }
          // The next day's check-ins are each scheduled once, at 07:40 Paris.
          for (const v of people) {
            expect(parisWallClock(yield* nextCheckInOf(world.accounts.referentA, v.person.id))).toMatchObject({
              hour: 7,
              minute: 40
            })
          }
          // An hour after the last ask the reminders go, in batches, once each.
          yield* at(first + CHECKIN_LEASE_MS + HOUR + 1000)(Effect.all([worker, worker], { concurrency: 2 }))
          for (const v of people) expect((yield* textsTo(v.personPhone)).length).toBe(2)
          expect(yield* callsTo).toBe(2)
          const referent = actorOf(world.accounts.referentA)
          for (const v of [...people, caller]) {
            yield* veilles.stop(referent, Option.getOrThrow(yield* veilles.view(referent, Option.some(v.person.id))).id)
          }
        }))

      it.effect("AIDE-MOI alerts the veilleurs at once; URGENCE tells to call 15 or 112 and informs the référent; a late OK tells the alerted", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-help-${db.name}`)
          const v = yield* paperPerson(world, "Help")
          const veilles = yield* Veilles
          const sms = yield* VeilleSms
          const view = yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v))
          for (const w of v.veilleurs) yield* veilles.answerInvitation(actorOf(w), view.id, true)
          const person = yield* accountOf(v.person.id)
          const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          yield* at(ten)(veilles.runDue(10))
          const help = yield* sms.answer(person, v.personPhone, { _tag: "HelpMe" }, DateTime.unsafeMake(ten + 60_000))
          expect(Option.getOrThrow(help)).toContain("vos voisins veilleurs sont prévenus")
          const [paul] = v.veilleurs as [typeof v.veilleurs[0]]
          expect((yield* textsTo(Option.getOrThrow(paul.phone))).at(-1)).toContain("demande de l'aide")
          yield* sms.answer(paul, Option.getOrThrow(paul.phone), { _tag: "Going" }, DateTime.unsafeMake(ten + 120_000))
          const urgent = yield* sms.answer(
            paul,
            Option.getOrThrow(paul.phone),
            { _tag: "Urgent" },
            DateTime.unsafeMake(ten + 180_000)
          )
          expect(Option.getOrThrow(urgent)).toContain("Appelez le 15 (SAMU) ou le 112")
          expect(Option.getOrThrow(world.accounts.referentA.email)).toBeDefined()
          expect((yield* textsTo(Option.getOrThrow(world.accounts.referentA.email))).at(-1)).toContain("URGENCE")

          // Next day: no answer until the référent is alerted, then a late OK closes it and tells them.
          const next = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          for (const h of [0, 1, 2, 3]) yield* at(next + h * HOUR)(veilles.runDue(10))
          expect((yield* textsTo(Option.getOrThrow(world.accounts.referentA.email))).at(-1)).toContain(
            "aucun veilleur n'a pu passer"
          )
          const lateOk = yield* sms.answer(
            person,
            v.personPhone,
            { _tag: "Ok" },
            DateTime.unsafeMake(next + 3.5 * HOUR)
          )
          expect(Option.getOrThrow(lateOk)).toContain("merci")
          expect((yield* textsTo(Option.getOrThrow(world.accounts.referentA.email))).at(-1)).toContain("va bien")
          expect((yield* textsTo(Option.getOrThrow(paul.email))).at(-1)).toContain("va bien")
          // An OK with nothing open is no veille reply: the message keeps its ordinary meaning.
          expect(yield* sms.answer(person, v.personPhone, { _tag: "Ok" }, DateTime.unsafeMake(next + 4 * HOUR)))
            .toEqual(Option.none())
        }))

      it.effect("ABSENT by SMS: no check-in meanwhile, the person told when it resumes; STOP VEILLE ends it", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-absent-${db.name}`)
          const v = yield* paperPerson(world, "Absent")
          const veilles = yield* Veilles
          const sms = yield* VeilleSms
          const view = yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v))
          const person = yield* accountOf(v.person.id)
          const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          const day = (offset: number) => {
            const d = new Date(ten + offset * 86_400_000)
            return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}`
          }
          const reply = yield* sms.answer(
            person,
            v.personPhone,
            { _tag: "Absent", from: day(0), to: day(2) },
            yield* DateTime.now
          )
          expect(Option.getOrThrow(reply)).toContain(`absence notée du ${day(0)} au ${day(2)}`)
          expect(Option.getOrThrow(reply)).toContain(`La veille reprendra le ${day(3)} à 10 h`)
          expect(yield* nextCheckInOf(world.accounts.referentA, v.person.id)).toBe(ten + 3 * 86_400_000)
          for (const d of [0, 1, 2]) yield* at(ten + d * 86_400_000)(veilles.runDue(10))
          expect(yield* textsTo(v.personPhone)).toEqual([])
          // Back: the first check-in after the absence says the veille resumes.
          yield* at(ten + 3 * 86_400_000)(veilles.runDue(10))
          expect(yield* textsTo(v.personPhone)).toEqual([
            "Vigie : bon retour ! Votre veille reprend, tous les jours à 10 h.",
            "Vigie : bonjour Jeanne MartinAbsent, tout va bien ? Répondez OK. Besoin d'aide ? Répondez AIDE-MOI."
          ])
          const bad = yield* sms.answer(
            person,
            v.personPhone,
            { _tag: "Absent", from: "20/08", to: "12/08" },
            yield* DateTime.now
          )
          expect(Option.getOrThrow(bad)).toContain("dates non comprises")
          const stopped = yield* sms.answer(person, v.personPhone, { _tag: "StopVeille" }, yield* DateTime.now)
          expect(Option.getOrThrow(stopped)).toContain("votre veille est arrêtée")
          expect(yield* veilles.view(actorOf(world.accounts.referentA), Option.some(v.person.id))).toEqual(
            Option.none()
          )
          yield* at(ten + 4 * 86_400_000)(veilles.runDue(10))
          expect((yield* textsTo(v.personPhone)).length).toBe(2)
          expect(view.id).toBeDefined()
        }))

      it.effect("by voice: the call says the script with keys 1 and 9; 1 closes it", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-voice-${db.name}`)
          const v = yield* paperPerson(world, "Voix", true)
          const veilles = yield* Veilles
          const sms = yield* Effect.either(veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v)))
          expect(Either.isLeft(sms) && sms.left._tag).toBe("VeillePhoneUnsuitable")
          yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { channel: "voice" }))
          const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          yield* at(ten)(veilles.runDue(10))
          const sent = yield* Sent
          const call = sent.calls.find((c) => c.to === v.personPhone)!
          expect(call.text).toBe(
            "Bonjour Jeanne MartinVoix, tout va bien ? Appuyez sur 1 si tout va bien, sur 9 si vous avez besoin d'aide."
          )
          expect(call.digits).toBe("19")
          expect(call.reference).toMatch(/^veille:[0-9a-f-]{36}$/)
          const answer = yield* at(ten + 60_000)((yield* VeilleKeypad).answer(call.reference, "1"))
          expect(answer.speak).toBe("Merci, bonne journée !")
          const history = yield* veilles.history(
            actorOf(world.accounts.referentA),
            Option.getOrThrow(yield* veilles.view(actorOf(world.accounts.referentA), Option.some(v.person.id))).id
          )
          expect(history[0]?.text).toBe("Veille close : tout va bien")
        }))

      it.effect("a veilleur who withdraws: the person is told and asked to choose another; the delivery workers send the veille's messages with their text", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-withdraw-${db.name}`)
          const v = yield* paperPerson(world, "Retrait")
          const veilles = yield* Veilles
          const view = yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { time: "19:40" }))
          const [paul] = v.veilleurs as [typeof v.veilleurs[0]]
          yield* veilles.answerInvitation(actorOf(paul), view.id, true)
          yield* veilles.answerInvitation(actorOf(paul), view.id, false)
          expect((yield* textsTo(v.personPhone)).at(-1)).toBe(
            "Vigie : Paul VeilleurRetrait ne peut plus être votre voisin veilleur. Choisissez-en un autre sur Vigie ou avec votre référent."
          )
          const again = yield* veilles.view(actorOf(world.accounts.referentA), Option.some(v.person.id))
          expect(Option.getOrThrow(again).veilleurs.find((w) => w.accountId === paul.id)?.status).toBe("withdrawn")
          // As the SMS workers claim them: the veille's subject and its stored text.
          const claimed = yield* (yield* DeliveryRepo).claim(
            "sms",
            1000,
            DateTime.unsafeMake(Date.now() + 60_000),
            DateTime.unsafeMake(Date.now() + 120_000)
          )
          const mine = claimed.filter((c) => c.destination === v.personPhone)
          expect(mine.map((c) => [c.subject.kind, c.subject.id, Option.getOrNull(c.body)?.slice(0, 31)])).toEqual([
            ["veille_notice", view.id, "Vigie : Paul VeilleurRetrait ne"]
          ])
        }))

      it.effect("an invited veilleur's NON by SMS declines: withdrawn, recorded, the person told; NON again or from an accepted veilleur changes nothing", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-non-${db.name}`)
          const v = yield* paperPerson(world, "Non")
          const veilles = yield* Veilles
          const sms = yield* VeilleSms
          const referent = actorOf(world.accounts.referentA)
          const view = yield* veilles.setup(referent, setupFor(world, v, { time: "19:25" }))
          const [paul, lucie] = v.veilleurs as [typeof v.veilleurs[0], typeof v.veilleurs[0]]
          expect((yield* textsTo(Option.getOrThrow(paul.phone)))[0]).toMatch(
            /Répondez OUI pour accepter, NON pour refuser\.$/
          )
          const statusOf = (id: typeof paul.id) =>
            Effect.map(
              veilles.view(referent, Option.some(v.person.id)),
              (view) => Option.getOrThrow(view).veilleurs.find((w) => w.accountId === id)?.status
            )
          // Lucie accepts on the web; Paul declines by SMS.
          yield* veilles.answerInvitation(actorOf(lucie), view.id, true)
          const no = yield* sms.answer(paul, Option.getOrThrow(paul.phone), { _tag: "No" }, yield* DateTime.now)
          expect(Option.getOrThrow(no)).toBe(
            "Vigie : c'est noté, vous ne veillerez pas sur Jeanne MartinNon. Merci de votre réponse."
          )
          expect(yield* statusOf(paul.id)).toBe("withdrawn")
          expect(yield* statusOf(lucie.id)).toBe("accepted")
          const withdrew =
            "Vigie : Paul VeilleurNon ne peut plus être votre voisin veilleur. Choisissez-en un autre sur Vigie ou avec votre référent."
          expect(yield* textsTo(v.personPhone)).toEqual([withdrew])
          const history = yield* veilles.history(referent, view.id)
          expect(history[0]).toMatchObject({
            kind: "veilleur_withdrew",
            text: "Veilleur : refusé par SMS (NON)",
            actor: "Paul VeilleurNon"
          })
          expect(yield* veilles.watched(actorOf(paul))).toEqual([])
          // NON again: Paul is no longer invited, the message keeps its ordinary meaning; nothing more written.
          const again = yield* sms.answer(paul, Option.getOrThrow(paul.phone), { _tag: "No" }, yield* DateTime.now)
          expect(again).toEqual(Option.none())
          expect(yield* textsTo(v.personPhone)).toEqual([withdrew])
          expect((yield* veilles.history(referent, view.id)).length).toBe(history.length)
          // Lucie, who accepted: a bare NON does not withdraw her.
          const bare = yield* sms.answer(lucie, Option.getOrThrow(lucie.phone), { _tag: "No" }, yield* DateTime.now)
          expect(bare).toEqual(Option.none())
          expect(yield* statusOf(lucie.id)).toBe("accepted")
          expect(yield* textsTo(v.personPhone)).toEqual([withdrew])
          yield* veilles.stop(referent, view.id)
        }))

      it.effect("erasing the person's account removes the veille and its history; a veilleur erased leaves it", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-erase-${db.name}`)
          const v = yield* paperPerson(world, "Efface")
          const veilles = yield* Veilles
          const view = yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { time: "19:35" }))
          const [paul] = v.veilleurs as [typeof v.veilleurs[0]]
          const repo = yield* PersonalDataRepo
          yield* repo.erase(paul.id, yield* DateTime.now)
          const kept = yield* veilles.view(actorOf(world.accounts.referentA), Option.some(v.person.id))
          expect(Option.getOrThrow(kept).veilleurs.map((w) => w.accountId)).not.toContain(paul.id)
          yield* repo.erase(v.person.id, yield* DateTime.now)
          const sql = yield* SqlClient.SqlClient
          const left = yield* sql<{ n: number }>`
            SELECT (SELECT count(*) FROM veilles WHERE id = ${view.id})::int
                 + (SELECT count(*) FROM veille_checkins WHERE veille_id = ${view.id})::int
                 + (SELECT count(*) FROM veille_events WHERE veille_id = ${view.id})::int AS n`
          expect(left[0]!.n).toBe(0)
        }))

      it.effect("the retention job deletes the check-ins and their steps after a year, not the newer ones", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-retention-${db.name}`)
          const v = yield* paperPerson(world, "Old")
          const veilles = yield* Veilles
          const view = yield* veilles.setup(actorOf(world.accounts.referentA), setupFor(world, v, { time: "19:55" }))
          const sql = yield* SqlClient.SqlClient
          const old = new Date(Date.now() - 400 * 86_400_000)
          yield* sql`INSERT INTO veille_checkins (veille_id, scheduled_at, phase, since, outcome, updated_at)
            VALUES (${view.id}, ${old}, 'closed', ${old}, 'ok', ${old})`
          yield* sql`INSERT INTO veille_events (veille_id, at, kind, actor_label, text)
            VALUES (${view.id}, ${old}, 'closed', 'Vigie', 'Veille close : tout va bien')`
          const now = yield* DateTime.now
          const deleted = yield* (yield* RetentionRepo).deleteOldVeilleHistory(
            retentionCutoffs(now, defaultRetentionPeriods)
          )
          expect(deleted).toBeGreaterThanOrEqual(2)
          const left = yield* sql<{ n: number }>`
            SELECT (SELECT count(*) FROM veille_checkins WHERE veille_id = ${view.id} AND scheduled_at < ${old.toISOString()}::timestamptz + interval '1 day')::int
                 + (SELECT count(*) FROM veille_events WHERE veille_id = ${view.id} AND at < now() - interval '300 days')::int AS n`
          expect(left[0]!.n).toBe(0)
          // The newer steps stay: the setup and the consent, the next check-in.
          expect((yield* veilles.history(actorOf(v.person), view.id)).length).toBe(2)
        }))

      it.effect("the mairie sees counts only, and enters its CCAS contact", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-mairie-${db.name}`)
          const veilles = yield* Veilles
          const v = yield* paperPerson(world, "Mairie")
          yield* veilles.setup(actorOf(world.accounts.mairie), setupFor(world, v, { time: "19:50" }))
          const counts = yield* veilles.setCcas(
            actorOf(world.accounts.mairie),
            world.communityA.insee,
            Option.some("ccas@cadaujac.example")
          )
          expect(counts.active).toBeGreaterThanOrEqual(1)
          expect(Object.keys(counts).sort()).toEqual(
            ["active", "ccasContact", "checkInsLast30Days", "escalationsLast30Days", "veilleurs"]
          )
          const other = yield* Effect.either(
            veilles.counts(actorOf(world.accounts.mairieOther), world.communityA.insee)
          )
          expect(Either.isLeft(other) && other.left._tag).toBe("Forbidden")
        }))
    })
  })
}
