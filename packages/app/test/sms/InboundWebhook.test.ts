import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Duration, Effect, Option } from "effect"
import {
  baseUrl,
  counts,
  drainInbox,
  neighbourhood,
  outboxTo,
  phoneOf,
  postInbound,
  settledRow,
  sms,
  smsServerLayer
} from "./Support.js"

const deliveriesOf = (alertId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ accountId: string; channel: string; destination: string }>`
      SELECT account_id::text AS "accountId", channel, destination FROM deliveries WHERE alert_id = ${alertId}::uuid`)

const alertOf = (alertId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ origin: string; urgency: string; category: string; text: string; status: string; communityId: string }>`
        SELECT origin, urgency, category, text, status, community_id::text AS "communityId" FROM alerts WHERE id = ${alertId}::uuid`,
      (rows) => rows[0]!
    ))

for (const db of databases) {
  describe(`SMS gateway over real HTTP [${db.name}]`, () => {
    layer(smsServerLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "POST /webhooks/plivo/sms",
      (it) => {
        it.effect("unsigned, forged, wrong-token and wrong-URL signatures get 403 and write nothing", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood()
            const before = yield* counts
            for (const signature of ["none", "forged", "wrong-token", "wrong-url"] as const) {
              const alert = sms(phoneOf(place.author), "VOL vélo rue des Vignes")
              expect((yield* postInbound(base, alert, { signature })).status, signature).toBe(403)
              const stop = sms(phoneOf(place.neighbours[0]!), "STOP")
              expect((yield* postInbound(base, stop, { signature })).status, signature).toBe(403)
            }
            // A body changed after signing (Plivo signed "AIDE", we receive "STOP").
            const signed = sms(phoneOf(place.neighbours[0]!), "AIDE")
            const response = yield* Effect.promise(async () => {
              const { signV3 } = await import("@vigie/adapters/sms/PlivoSignature")
              const nonce = "12345"
              const signature = signV3("test-plivo-auth-token", { method: "POST",
                url: "https://vigie.example.fr/webhooks/plivo/sms", nonce, params: signed })
              const r = await fetch(base + "/webhooks/plivo/sms", {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded", "x-plivo-signature-v3": signature,
                  "x-plivo-signature-v3-nonce": nonce },
                body: new URLSearchParams({ ...signed, Text: "STOP" }).toString()
              })
              return r.status
            })
            expect(response).toBe(403)
            expect(yield* counts).toStrictEqual(before)
          }))

        it.effect("a member's SMS becomes an urgent sms alert in the home community; one reply with the count and 17/18/15", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(3)
            const message = sms(
              phoneOf(place.author),
              "Vol : deux hommes forcent la porte du garage au 12 rue des Vignes 🚨"
            )
            expect((yield* postInbound(base, message)).status).toBe(200)
            const row = yield* settledRow(message.MessageUUID)
            expect(row.outcome).toBe("alert_published")
            const alert = yield* alertOf(row.alertId!)
            expect(alert).toMatchObject({
              origin: "sms",
              urgency: "urgent",
              category: "burglary",
              status: "published",
              communityId: place.community.id,
              text: "Vol : deux hommes forcent la porte du garage au 12 rue des Vignes 🚨"
            })
            // 3 neighbours, the newcomer, and the member of two communities: 5 people, the author excluded.
            const deliveries = yield* deliveriesOf(row.alertId!)
            const people = new Set(deliveries.map((d) => d.accountId))
            expect(people.size).toBe(5)
            expect(people.has(place.author.id)).toBe(false)
            const replies = yield* outboxTo(phoneOf(place.author))
            expect(replies).toStrictEqual(["Vigie : alerte envoyée à 5 voisins. En cas d'urgence : 17, 18, 15."])
          }))

        it.effect("the same MessageUUID delivered four times: one alert, one delivery set, one reply", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(2)
            const message = sms(phoneOf(place.author), "SUSPECT homme qui photographie les boîtes aux lettres")
            const before = yield* counts
            const statuses: Array<number> = []
            // Plivo's retries, the last two at the same time.
            statuses.push((yield* postInbound(base, message)).status)
            statuses.push((yield* postInbound(base, message)).status)
            const both = yield* Effect.all([postInbound(base, message), postInbound(base, message)], { concurrency: 2 })
            statuses.push(...both.map((r) => r.status))
            expect(statuses).toStrictEqual([200, 200, 200, 200])
            yield* settledRow(message.MessageUUID)
            const after = yield* counts
            expect(after.alerts - before.alerts).toBe(1)
            expect(after.inbound - before.inbound).toBe(1)
            expect(after.deliveries - before.deliveries).toBe(2 * 4) // 4 people (2 + newcomer + two-homes) × SMS + e-mail
            expect(yield* outboxTo(phoneOf(place.author))).toHaveLength(1)
            expect(after.outbox - before.outbox).toBe(1)
          }))

        it.effect("a new member's alert is held for a moderator: no delivery, the reply says so", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(1)
            const message = sms(phoneOf(place.newcomer), "feu de broussailles derrière le stade")
            yield* postInbound(base, message)
            const row = yield* settledRow(message.MessageUUID)
            expect(row.outcome).toBe("alert_held")
            expect(yield* alertOf(row.alertId!)).toMatchObject({ status: "held_for_review", category: "fire_or_smoke" })
            expect(yield* deliveriesOf(row.alertId!)).toHaveLength(0)
            expect(yield* outboxTo(phoneOf(place.newcomer))).toStrictEqual([
              "Vigie : alerte enregistrée. Un modérateur la vérifie avant de la diffuser. En cas d'urgence : 17, 18, 15."
            ])
          }))

        it.effect("a member of two communities alerts the home one", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(0)
            const message = sms(phoneOf(place.twoHomes), "ANIMAL chat roux trouvé")
            yield* postInbound(base, message)
            const row = yield* settledRow(message.MessageUUID)
            expect((yield* alertOf(row.alertId!)).communityId).toBe(place.other.id)
          }))

        it.effect("STOP: no SMS delivery for the stopped number on the next alert, e-mail still planned; START restores", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(2)
            const stopped = place.neighbours[0]!
            const stop = sms(phoneOf(stopped), "  Arrêt ! ")
            yield* postInbound(base, stop)
            expect((yield* settledRow(stop.MessageUUID)).outcome).toBe("stopped")
            // A second STOP: no second confirmation.
            const again = sms(phoneOf(stopped), "STOP SMS")
            yield* postInbound(base, again)
            expect((yield* settledRow(again.MessageUUID)).outcome).toBe("already_stopped")
            // A text from the stopped number: no alert, nothing sent back.
            const text = sms(phoneOf(stopped), "VOL de vélo")
            yield* postInbound(base, text)
            expect((yield* settledRow(text.MessageUUID)).outcome).toBe("suppressed_sender")
            expect(yield* outboxTo(phoneOf(stopped))).toStrictEqual([
              "Vigie : vous ne recevrez plus aucun SMS de Vigie. Pour les recevoir à nouveau, envoyez START."
            ])

            const alert = sms(phoneOf(place.author), "VEHICULE camionnette blanche sans plaque")
            yield* postInbound(base, alert)
            const row = yield* settledRow(alert.MessageUUID)
            const mine = (yield* deliveriesOf(row.alertId!)).filter((d) => d.accountId === stopped.id).map((d) =>
              d.channel
            )
            expect(mine).toStrictEqual(["email"])

            const start = sms(phoneOf(stopped), "marche")
            yield* postInbound(base, start)
            expect((yield* settledRow(start.MessageUUID)).outcome).toBe("started")
            const next = sms(phoneOf(place.author), "DANGER arbre tombé sur la route de Bordeaux")
            yield* postInbound(base, next)
            const nextRow = yield* settledRow(next.MessageUUID)
            const channels = (yield* deliveriesOf(nextRow.alertId!)).filter((d) => d.accountId === stopped.id).map((
              d
            ) => d.channel).sort()
            expect(channels).toStrictEqual(["email", "sms"])
            expect((yield* outboxTo(phoneOf(stopped))).at(-1)).toContain("à nouveau les SMS")
          }))

        it.effect("STOP from an unknown number is honoured, confirmed once, and nothing follows it", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const stranger = "+33757001234"
            for (const text of ["stop", "AIDE", "Bonjour ?"]) yield* postInbound(base, sms(stranger, text))
            yield* drainInbox
            const sql = yield* SqlClient.SqlClient
            for (
              let i = 0;
              i < 100 &&
              (yield* sql`SELECT 1 FROM inbound_sms WHERE reply_status IN ('pending', 'sending') AND from_number = '33757001234'`)
                  .length > 0;
              i++
            ) {
              yield* Effect.sleep(Duration.millis(50))
            }
            expect(yield* sql`SELECT 1 FROM sms_suppressions WHERE phone = ${stranger}`).toHaveLength(1)
            expect(yield* outboxTo(stranger)).toStrictEqual([
              "Vigie : vous ne recevrez plus aucun SMS de Vigie. Pour les recevoir à nouveau, envoyez START."
            ])
          }))

        it.effect("AIDE answers the help text; an empty SMS from a member too, without an alert", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(0)
            const before = yield* counts
            for (const text of ["aide", "Help!", "", "   "]) {
              const message = sms(phoneOf(place.author), text)
              yield* postInbound(base, message)
              yield* settledRow(message.MessageUUID)
            }
            const replies = yield* outboxTo(phoneOf(place.author))
            expect(replies).toHaveLength(4)
            for (const reply of replies) expect(reply).toMatch(/^Vigie : pour alerter vos voisins.*STOP.*17, 18, 15\.$/)
            expect((yield* counts).alerts).toBe(before.alerts)
          }))

        it.effect("an unknown number twice in a day: no alert, one 'how to join' reply", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const stranger = "+33757005678"
            const before = yield* counts
            const first = sms(stranger, "VOL chez mon voisin")
            const second = sms(stranger, "Vous m'entendez ?")
            yield* postInbound(base, first)
            yield* postInbound(base, second)
            expect((yield* settledRow(first.MessageUUID)).outcome).toBe("unknown_sender")
            expect((yield* settledRow(second.MessageUUID)).replyStatus).toBeNull()
            expect((yield* counts).alerts).toBe(before.alerts)
            const replies = yield* outboxTo(stranger)
            expect(replies).toHaveLength(1)
            expect(replies[0]).toContain("https://vigie.example.fr")
          }))

        it.effect("a verified phone whose membership is pending: no alert, the pending reply once a day", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(0)
            for (const text of ["SUSPECT rôdeur", "SUSPECT encore"]) {
              const message = sms(phoneOf(place.pending), text)
              yield* postInbound(base, message)
              expect((yield* settledRow(message.MessageUUID)).outcome).toBe("unverified_member")
            }
            expect(yield* outboxTo(phoneOf(place.pending))).toHaveLength(1)
          }))

        it.effect("over the rate rule (5 alerts an hour) the member gets a clear refusal", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(0)
            const outcomes: Array<string | null> = []
            for (let i = 0; i < 6; i++) {
              const message = sms(phoneOf(place.author), `SUSPECT passage numéro ${i}`)
              yield* postInbound(base, message)
              outcomes.push((yield* settledRow(message.MessageUUID)).outcome)
            }
            // The first five pass the rate rule (the trust policy may hold some of a burst for a moderator).
            expect(outcomes[0]).toBe("alert_published")
            for (const outcome of outcomes.slice(0, 5)) expect(["alert_published", "alert_held"]).toContain(outcome)
            expect(outcomes[5]).toBe("rate_limited")
            expect((yield* outboxTo(phoneOf(place.author))).at(-1)).toMatch(
              /^Vigie : trop d'alertes en peu de temps, celle-ci n'est PAS envoyée\. Réessayez dans 60 min\./
            )
          }))

        it.effect("oversize, multipart, emoji, non-Latin and control-character texts are handled without error", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(0)
            const texts = [
              "VOL " + "très long message concaténé par Plivo ".repeat(45), // about 1,700 characters
              "🚨🚨🚨 " + "😀".repeat(700),
              "Пожар на улице 火事です حريق",
              "FEU\u0000 dans la\u0007 cuisine\r\n",
              "\uD83D orphan half"
            ]
            for (const text of texts) {
              const message = sms(phoneOf(place.author), text)
              const response = yield* postInbound(base, message)
              expect(response.status, text.slice(0, 20)).toBe(200)
              const row = yield* settledRow(message.MessageUUID)
              expect(["alert_published", "alert_held", "rate_limited"]).toContain(row.outcome)
              if (row.alertId !== null) {
                const alert = yield* alertOf(row.alertId)
                expect(alert.text.length).toBeLessThanOrEqual(1000)
                expect(alert.text).not.toMatch(/[\u0000-\u0008]/)
              }
            }
            const first = (yield* outboxTo(phoneOf(place.author)))[0]
            expect(first).toContain("Texte trop long, raccourci.")
          }))

        it.effect("a signed request without MessageUUID or From is a 400 and writes nothing", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const before = yield* counts
            expect((yield* postInbound(base, { From: "33612345678", Text: "VOL" })).status).toBe(400)
            expect((yield* postInbound(base, { MessageUUID: crypto.randomUUID(), Text: "VOL" })).status).toBe(400)
            expect((yield* postInbound(base, { ...sms("+33612345678", "x"), MessageUUID: "../../etc" })).status).toBe(
              400
            )
            expect(yield* counts).toStrictEqual(before)
            // A sender that is no phone number (an alphanumeric sender id): recorded, ignored, no reply.
            const named = { ...sms("+33612345678", "Promo !"), From: "MYBANK" }
            expect((yield* postInbound(base, named)).status).toBe(200)
            expect((yield* settledRow(named.MessageUUID)).outcome).toBe("invalid_sender")
            expect(Option.some((yield* counts).outbox)).toStrictEqual(Option.some(before.outbox))
          }))
      }
    )
  })
}
