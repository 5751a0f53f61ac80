import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Duration, Effect, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { makeWorld } from "../support/World.js"
import { at, nextCheckInOf, paperPerson, setupFor, textsTo } from "../veille/Support.js"
import { baseUrl, counts, postInbound, settledRow, sms, smsServerLayer } from "./Support.js"

const HOUR = 3_600_000

for (const db of databases) {
  describe(`the veille by signed webhooks only [${db.name}]`, () => {
    layer(smsServerLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "POST /webhooks/plivo/sms",
      (it) => {
        it.effect("OUI, no answer, J'Y VAIS, OK: each a signed SMS; a forged one writes nothing; OK afterwards is an alert again", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const world = yield* makeWorld(`veille-webhooks-${db.name}`)
            const v = yield* paperPerson(world, "Hook")
            const veilles = yield* Veilles
            const setup = setupFor(world, v)
            const view = yield* veilles.setup(actorOf(world.accounts.referentA), setup)
            const [paul, lucie] = v.veilleurs.map((a) => Option.getOrThrow(a.phone) as string) as unknown as [
              string,
              string
            ]

            const send = (from: string, text: string) =>
              Effect.gen(function*() {
                const message = sms(from, text)
                const response = yield* postInbound(base, message)
                expect(response.status).toBe(200)
                return yield* settledRow(message.MessageUUID)
              })

            for (const phone of [paul, lucie]) {
              const yes = yield* send(phone, "Oui")
              expect(yes).toMatchObject({ outcome: "veille", replyKind: "veille" })
              expect(yes.replyText).toContain("Vous veillez désormais sur Jeanne MartinHook")
            }

            const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
            for (const h of [0, 1, 2]) yield* at(ten + h * HOUR)(veilles.runDue(50))
            expect((yield* textsTo(lucie)).at(-1)).toContain("Répondez J'Y VAIS")

            // A forged J'Y VAIS: refused, nothing written.
            const before = yield* counts
            const forged = yield* postInbound(base, sms(lucie, "J'Y VAIS"), { signature: "forged" })
            expect(forged.status).toBe(403)
            expect(yield* counts).toEqual(before)

            const going = yield* send(lucie, "j'y vais !")
            expect(going.replyText).toContain("vous passez voir Jeanne MartinHook")
            expect((yield* textsTo(paul)).at(-1)).toBe(
              "Vigie : Lucie VeilleurHook passe voir Jeanne MartinHook. Merci !"
            )
            const ok = yield* send(lucie, "OK")
            expect(ok.replyText).toContain("La veille de Jeanne MartinHook est close : tout va bien")

            const history = yield* veilles.history(actorOf(world.accounts.referentA), view.id)
            expect(history.map((e) => e.text)).toEqual(expect.arrayContaining([
              "Veilleur : accepté par SMS",
              "Message de veille envoyé",
              "Rappel envoyé",
              "Voisins veilleurs prévenus",
              "Un veilleur y va",
              "Le veilleur a vu la personne : tout va bien",
              "Veille close : tout va bien"
            ]))

            // Nothing open any more: the same OK from Lucie is an ordinary SMS again (an alert).
            const after = yield* send(lucie, "OK")
            expect(after.outcome).not.toBe("veille")
            expect(after.outcome).toMatch(/^alert_/)
            // "AIDE" alone stays the help keyword.
            expect((yield* send(paul, "AIDE")).outcome).toBe("help")
          }))
      }
    )
  })
}
