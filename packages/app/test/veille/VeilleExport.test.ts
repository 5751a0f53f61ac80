import { describe, expect, layer } from "@effect/vitest"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { VeilleSetup } from "@vigie/domain/checkin/Veille"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import type { AccountId } from "@vigie/domain/shared/Ids"
import { Duration, Effect, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"
import { at, nextCheckInOf, paperPerson } from "./Support.js"

type Row = Record<string, unknown>
interface VeilleFile {
  readonly ma_veille: ReadonlyArray<
    Row & {
      readonly veilleurs: ReadonlyArray<Row>
      readonly absences: ReadonlyArray<Row>
      readonly historique: ReadonlyArray<Row>
    }
  >
  readonly je_veille_sur: ReadonlyArray<Row>
}

const veilleFile = (accountId: AccountId) =>
  Effect.gen(function*() {
    const files = yield* (yield* PersonalDataRepo).collect(accountId, new Uint8Array(32))
    return (files.find((f) => f.name === "veille.json")!.content as ReadonlyArray<VeilleFile>)[0]!
  })

for (const db of databases) {
  describe(`the GDPR export holds the veille [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over SQL", (it) => {
      it.effect("the person's veille (schedule, channel, veilleurs by display name, absences, history); the veilleur's watch", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`veille-export-${db.name}`)
          const v = yield* paperPerson(world, "Export")
          const veilles = yield* Veilles
          const referent = actorOf(world.accounts.referentA)
          const [paul, lucie] = v.veilleurs as [typeof v.veilleurs[0], typeof v.veilleurs[0]]
          const view = yield* veilles.setup(referent, {
            person: v.person.id,
            communityId: world.communityA.id,
            days: [1, 4],
            time: "18:00",
            channel: "sms",
            veilleurs: [paul.id, lucie.id],
            shareAddress: true,
            paperConsent: true
          } as VeilleSetup)
          yield* veilles.answerInvitation(actorOf(paul), view.id, true)
          yield* veilles.setAbsence(referent, view.id, "2031-08-12", "2031-08-20")
          const due = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
          yield* at(due)(veilles.runDue(10))

          const mine = yield* veilleFile(v.person.id)
          expect(mine.je_veille_sur).toEqual([])
          const [veille, ...others] = mine.ma_veille
          expect(others).toEqual([])
          expect(veille).toMatchObject({
            jours: [1, 4],
            heure: "18:00",
            canal: "sms",
            telephone: v.personPhone,
            adresse_partagee: "8 rue des Tilleuls, 33140 Cadaujac",
            statut: "active",
            consentement: "paper",
            consentement_par_moi: false
          })
          expect(veille!.veilleurs.map((w) => [w["veilleur"], w["statut"]]).sort()).toEqual([
            ["Lucie V.", "invited"],
            ["Paul V.", "accepted"]
          ])
          expect(veille!.absences.map((a) => [a["du"], a["au"]])).toEqual([["2031-08-12", "2031-08-20"]])
          expect(veille!.historique.map((e) => e["texte"])).toEqual(expect.arrayContaining([
            "Veille mise en place, lundi et jeudi à 18 h",
            "Consentement signé sur papier enregistré",
            "Veilleur : accepté sur le web",
            "Message de veille envoyé"
          ]))
          expect(veille!.historique.find((e) => e["texte"] === "Veilleur : accepté sur le web")?.["par"]).toBe(
            "Paul V."
          )
          // Nobody else by account id, nor the veilleurs' full names or contacts.
          const text = JSON.stringify(mine)
          for (const w of v.veilleurs) {
            expect(text).not.toContain(w.id)
            expect(text).not.toContain(`${w.firstName} ${w.lastName}`)
            expect(text).not.toContain(Option.getOrThrow(w.phone))
          }
          expect(text).not.toContain(world.accounts.referentA.id)

          // Paul's export: the person by name, his role; nothing of her schedule, phone or history.
          const watcher = yield* veilleFile(paul.id)
          expect(watcher.ma_veille).toEqual([])
          expect(watcher.je_veille_sur).toHaveLength(1)
          expect(watcher.je_veille_sur[0]).toMatchObject({
            personne: `${v.person.firstName} ${v.person.lastName}`,
            mon_role: "accepted",
            statut_de_la_veille: "active"
          })
          expect(JSON.stringify(watcher)).not.toContain(v.personPhone)
          expect(JSON.stringify(watcher)).not.toContain(v.person.id)
          expect((yield* veilleFile(lucie.id)).je_veille_sur[0]?.["mon_role"]).toBe("invited")
          yield* veilles.stop(referent, view.id)
        }))
    })
  })
}
