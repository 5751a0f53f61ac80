import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { VeilleSetup } from "@vigie/domain/checkin/Veille"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Duration, Effect, Either, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { makeWorld, type World } from "../support/World.js"
import { paperPerson, setupFor as veilleFor, textsTo, type VeilleWorld } from "../veille/Support.js"
import { baseUrl, postInbound, settledRow, sms, smsServerLayer } from "./Support.js"

const request = (setter: string) =>
  `Vigie : ${setter} vous propose une veille tous les jours à 10 h : un message pour prendre de vos nouvelles. ` +
  "Répondez OUI pour accepter, NON pour refuser."

/** Consent asked by SMS rather than on paper. */
const setupFor = (world: World, v: VeilleWorld, extra: Partial<VeilleSetup> = {}) =>
  veilleFor(world, v, { paperConsent: false, smsConsent: true, ...extra })

const count = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(table)}`, (rows) => rows[0]!.n)
  )

const send = (from: string, text: string) =>
  Effect.gen(function*() {
    const message = sms(from, text)
    const response = yield* postInbound(yield* baseUrl, message)
    expect(response.status).toBe(200)
    return yield* settledRow(message.MessageUUID)
  })

for (const db of databases) {
  describe(`consent to a veille asked by SMS, answered by signed webhooks [${db.name}]`, () => {
    layer(smsServerLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "POST /webhooks/plivo/sms",
      (it) => {
        it.effect("pending until OUI: no check-in, no veilleur told; OUI activates it, records the consent and invites the veilleurs", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`veille-consent-oui-${db.name}`)
            const v = yield* paperPerson(world, "Oui")
            const veilles = yield* Veilles
            const referent = actorOf(world.accounts.referentA)
            const setterName = `${world.accounts.referentA.firstName} ${world.accounts.referentA.lastName}`
            const view = yield* veilles.setup(referent, setupFor(world, v))
            expect([view.status, view.consentMethod]).toEqual(["pending", "sms"])
            expect(Option.isNone(view.nextCheckIn)).toBe(true)
            expect(yield* textsTo(v.personPhone)).toEqual([request(setterName)])
            for (const w of v.veilleurs) expect(yield* textsTo(Option.getOrThrow(w.phone))).toEqual([])
            // Pending: the veilleurs see nothing of it, cannot accept it, and their OUI is no veille reply.
            const [paul] = v.veilleurs as [typeof v.veilleurs[0]]
            expect(yield* veilles.watched(actorOf(paul))).toEqual([])
            const early = yield* Effect.either(veilles.answerInvitation(actorOf(paul), view.id, true))
            expect(Either.isLeft(early) && early.left._tag).toBe("VeilleNotFound")
            expect((yield* send(Option.getOrThrow(paul.phone), "OUI")).outcome).not.toBe("veille")

            const yes = yield* send(v.personPhone, "oui")
            expect(yes).toMatchObject({ outcome: "veille", replyKind: "veille" })
            expect(yes.replyText).toBe(
              "Vigie : votre veille est en place, tous les jours à 10 h. STOP VEILLE pour l'arrêter."
            )
            const active = Option.getOrThrow(yield* veilles.view(referent, Option.some(v.person.id)))
            expect([active.status, active.consentMethod]).toEqual(["active", "sms"])
            expect(Option.isSome(active.nextCheckIn)).toBe(true)
            for (const w of v.veilleurs) {
              expect((yield* textsTo(Option.getOrThrow(w.phone)))[0]).toContain("Répondez OUI pour accepter")
            }
            expect((yield* veilles.watched(actorOf(paul))).map((w) => w.myStatus)).toEqual(["invited"])
            const history = yield* veilles.history(referent, view.id)
            expect(history.map((e) => e.text).reverse()).toEqual([
              "Veille mise en place, tous les jours à 10 h",
              "Consentement demandé par SMS",
              "Consentement donné par SMS (OUI)"
            ])
            expect(history[0]?.actor).toBe(`${v.person.firstName} ${v.person.lastName}`)
            // OUI again: the veille is already active; nothing more for the person.
            const again = yield* send(v.personPhone, "OUI")
            expect(again.outcome).not.toBe("veille")
          }))

        it.effect("NON or STOP VEILLE cancels the pending veille; nobody else is told", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`veille-consent-non-${db.name}`)
            const veilles = yield* Veilles
            const referent = actorOf(world.accounts.referentA)
            for (
              const [tag, answer, reply] of [
                ["Non", "Non merci",
                  "Vigie : c'est noté, pas de veille. Votre référent ou la mairie peut vous la proposer à nouveau."],
                ["Stop", "STOP VEILLE",
                  "Vigie : votre veille est arrêtée. Vous pouvez la reprendre sur Vigie ou avec votre référent."]
              ] as const
            ) {
              const v = yield* paperPerson(world, tag)
              const view = yield* veilles.setup(referent, setupFor(world, v))
              const no = yield* send(v.personPhone, answer)
              expect(no).toMatchObject({ outcome: "veille", replyText: reply })
              // Stopped: the person has no veille any more (a new one may be proposed).
              expect(yield* veilles.view(referent, Option.some(v.person.id))).toEqual(Option.none())
              for (const w of v.veilleurs) expect(yield* textsTo(Option.getOrThrow(w.phone))).toEqual([])
              const history = (yield* veilles.history(referent, view.id)).map((e) => e.text)
              expect(history[0]).toBe("Veille arrêtée")
              if (tag === "Non") expect(history).toContain("Consentement refusé par SMS (NON)")
            }
          }))

        it.effect("an invited veilleur's NON declines the invitation and is no alert; an accepted veilleur's NON withdraws nobody", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`veille-veilleur-non-${db.name}`)
            const v = yield* paperPerson(world, "Decline")
            const veilles = yield* Veilles
            const referent = actorOf(world.accounts.referentA)
            const view = yield* veilles.setup(referent, setupFor(world, v, { paperConsent: true, smsConsent: false }))
            const [paul, lucie] = v.veilleurs as [typeof v.veilleurs[0], typeof v.veilleurs[0]]
            yield* veilles.answerInvitation(actorOf(lucie), view.id, true)
            const statuses = Effect.map(
              veilles.view(referent, Option.some(v.person.id)),
              // By account (the view's order is not the point here).
              (view) => Object.fromEntries(Option.getOrThrow(view).veilleurs.map((w) => [w.accountId, w.status]))
            )
            const alerts = count("alerts")
            const before = yield* alerts
            const no = yield* send(Option.getOrThrow(paul.phone), "Non")
            expect(no).toMatchObject({
              outcome: "veille",
              replyKind: "veille",
              replyText: "Vigie : c'est noté, vous ne veillerez pas sur Jeanne MartinDecline. Merci de votre réponse.",
              alertId: null
            })
            expect(yield* alerts).toBe(before)
            expect(yield* statuses).toEqual({ [paul.id]: "withdrawn", [lucie.id]: "accepted" })
            expect(yield* textsTo(v.personPhone)).toEqual([
              "Vigie : Paul VeilleurDecline ne peut plus être votre voisin veilleur. " +
              "Choisissez-en un autre sur Vigie ou avec votre référent."
            ])
            expect((yield* veilles.history(referent, view.id))[0]?.text).toBe("Veilleur : refusé par SMS (NON)")
            // Lucie accepted: her NON is no veille reply, and she stays.
            expect((yield* send(Option.getOrThrow(lucie.phone), "NON")).outcome).not.toBe("veille")
            expect(yield* statuses).toEqual({ [paul.id]: "withdrawn", [lucie.id]: "accepted" })
            expect((yield* textsTo(v.personPhone)).length).toBe(1)
          }))

        it.effect("bad input: no consent chosen, or asking a landline by SMS, gets a typed error and writes nothing", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`veille-consent-bad-${db.name}`)
            const veilles = yield* Veilles
            const referent = actorOf(world.accounts.referentA)
            const mobile = yield* paperPerson(world, "Rien")
            const landline = yield* paperPerson(world, "Fixe", true)
            const before = yield* Effect.all([count("veilles"), count("veilleurs"), count("veille_events"),
              count("deliveries")])
            const none = yield* Effect.either(veilles.setup(referent, setupFor(world, mobile, { smsConsent: false })))
            expect(Either.isLeft(none) && none.left._tag).toBe("VeilleConsentMissing")
            const fixed = yield* Effect.either(veilles.setup(referent, setupFor(world, landline, { channel: "voice" })))
            expect(Either.isLeft(fixed) && fixed.left._tag === "VeillePhoneUnsuitable" && fixed.left.channel).toBe(
              "sms"
            )
            expect(
              yield* Effect.all([count("veilles"), count("veilleurs"), count("veille_events"), count("deliveries")])
            ).toEqual(before)
            // NON from someone with no pending veille is no veille reply.
            const stray = yield* send(mobile.personPhone, "NON")
            expect(stray.outcome).not.toBe("veille")
          }))
      }
    )
  })
}
