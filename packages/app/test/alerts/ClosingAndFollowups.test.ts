import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { email, phone } from "@vigie/adapters/test/sql/Fixtures"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { AlertCategory, AlertId } from "@vigie/domain/alerts/Alert"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { similarTexts } from "@vigie/domain/alerts/DuplicatePolicy"
import type { Community } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { DateTime, Duration, Effect, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { deliverAll as deliverAllTo } from "../workers/Support.js"
import { CADAUJAC, homeAddress } from "../support/World.js"

const publicUrl = new URL("https://vigie.example.fr")
const deliverAll = deliverAllTo(publicUrl)

const square = (x: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[x, 44.74], [x + 0.01, 44.74], [x + 0.01, 44.75], [x, 44.75], [x, 44.74]]]
})

/**
 * A fresh community of `size` verified residents reachable by SMS and e-mail, each with two earlier
 * alerts held long ago (so that their next alert is published at once, and nobody received those).
 */
const neighbourhood = (size: number) =>
  Effect.gen(function*() {
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const alerts = yield* AlertPublisher
    const community = yield* (yield* CommunityRepo).insert({
      insee: CADAUJAC,
      name: `Quartier ${crypto.randomUUID().slice(0, 8)}`,
      perimeter: square(-0.5 + Math.random() / 10)
    })
    const longAgo = DateTime.subtract(yield* DateTime.now, { days: 3 })
    const members: Array<Account> = []
    for (let i = 0; i < size; i++) {
      const account = yield* accounts.insert({
        firstName: "Voisin",
        lastName: `N${i}`,
        email: Option.some(email()),
        phone: Option.some(phone()),
        phoneVerified: true,
        passwordHash: Option.none(),
        staffRoles: []
      }).pipe(Effect.orDie)
      yield* memberships.insert({
        accountId: account.id,
        communityId: community.id,
        role: "resident",
        status: "verified",
        address: homeAddress(`${i} rue des Vignes`)
      }).pipe(Effect.orDie)
      for (let n = 0; n < 2; n++) {
        yield* alerts.post({ ...draftIn(community, "other", `Ancienne alerte ${n}`), authorId: account.id,
          origin: "web", status: "held_for_review" }, longAgo)
      }
      members.push(account)
    }
    return { community, members }
  })

const draftIn = (community: Community, category: AlertCategory, text: string) => ({
  scope: { _tag: "Community" as const, communityId: community.id },
  category,
  urgency: "urgent" as const,
  text,
  place: Option.some("Rue des Vignes"),
  sharedWithAuthorities: false
})

/** The (account, channel) of one message's deliveries. */
const recipientsOf = (alertId: AlertId, kind: "alert" | "followup" | "closing") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ account_id: string; channel: string; destination: string }>`
      SELECT d.account_id, d.channel, d.destination FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.alert_id = ${alertId} AND m.kind = ${kind} ORDER BY 1, 2`.pipe(Effect.orDie))

const empty = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql`TRUNCATE deliveries, messages, sms_outbox, email_outbox CASCADE`.pipe(Effect.orDie)
)

for (const db of databases) {
  describe(`closing and follow-up messages [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("alerts", (it) => {
      it.effect("resolving or retracting a published alert sends one closing message to its recipients, on their channels, rendered by the workers", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const alerts = yield* Alerts
          yield* empty
          const { community, members } = yield* neighbourhood(5)
          const [author, failing] = [members[0]!, members[1]!]
          const toResolve = yield* alerts.post(
            actorOf(author),
            draftIn(community, "suspicious_vehicle", "Camionnette blanche qui tourne")
          )
          const toRetract = yield* alerts.post(
            actorOf(author),
            draftIn(community, "fire_or_smoke", "Fumée derrière le gymnase")
          )
          assert.strictEqual(toResolve.status, "published")
          const sent = yield* recipientsOf(toResolve.id, "alert")
          assert.strictEqual(sent.length, 8)
          // One neighbour's SMS of the first alert failed for good: no closing SMS for them.
          yield* sql`UPDATE deliveries SET status = 'failed' WHERE alert_id = ${toResolve.id} AND account_id = ${failing.id} AND channel = 'sms'`

          const resolved = yield* alerts.close(actorOf(author), toResolve.id, "resolved")
          assert.strictEqual(resolved.status, "resolved")
          const closing = yield* recipientsOf(toResolve.id, "closing")
          assert.deepStrictEqual(closing, sent.filter((r) => !(r.account_id === failing.id && r.channel === "sms")))
          // Once: resolving again or retracting afterwards is refused, and writes nothing.
          const again = yield* Effect.flip(alerts.close(actorOf(author), toResolve.id, "resolved"))
          const retractAfter = yield* Effect.flip(alerts.close(actorOf(author), toResolve.id, "retracted"))
          assert.deepStrictEqual([again._tag, retractAfter._tag], ["InvalidAlertTransition", "InvalidAlertTransition"])
          assert.strictEqual((yield* recipientsOf(toResolve.id, "closing")).length, 7)

          yield* alerts.close(actorOf(author), toRetract.id, "retracted")
          assert.deepStrictEqual(
            (yield* recipientsOf(toRetract.id, "closing")).map((r) => `${r.account_id} ${r.channel}`),
            (yield* recipientsOf(toRetract.id, "alert")).map((r) => `${r.account_id} ${r.channel}`)
          )

          const { mails, sms } = yield* deliverAll
          const resolvedSms = sms.filter((m) => m.text.includes("est résolue"))
          const retractedSms = sms.filter((m) => m.text.includes("est retirée"))
          assert.deepStrictEqual(
            resolvedSms.map((m) => m.destination).sort(),
            closing.filter((r) => r.channel === "sms").map((r) => r.destination).sort()
          )
          assert.strictEqual(retractedSms.length, 4)
          assert.isTrue([...resolvedSms, ...retractedSms].every((m) => m.text.startsWith("Vigie: l'alerte ")))
          assert.strictEqual(mails.filter((m) => m.subject.includes("Alerte résolue")).length, 4)
          assert.strictEqual(mails.filter((m) => m.subject.includes("Alerte retirée")).length, 4)
          assert.isTrue(sms.every((m) => m.destination !== Option.getOrThrow(author.phone)))
        }))

      it.effect("a held alert that is retracted sends nothing", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const alerts = yield* Alerts
          yield* empty
          const { community, members } = yield* neighbourhood(3)
          const newcomer = members[2]!
          yield* sql`DELETE FROM alerts WHERE author_id = ${newcomer.id}`
          const held = yield* alerts.post(actorOf(newcomer), draftIn(community, "burglary", "Cambriolage au 4"))
          assert.strictEqual(held.status, "held_for_review")
          yield* alerts.close(actorOf(newcomer), held.id, "retracted")
          const [n] = yield* sql<{ messages: number; deliveries: number }>`
            SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM deliveries) AS deliveries`
          assert.deepStrictEqual(n, { messages: 0, deliveries: 0 })
        }))

      it.effect("similar alerts within 10 minutes are follow-ups: one full fan-out, then one 'un autre voisin confirme' to the first's recipients but neither author, whatever their number", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const alerts = yield* Alerts
          yield* empty
          const { community, members } = yield* neighbourhood(6)
          const [first, second, third, fourth] = [members[0]!, members[1]!, members[2]!, members[3]!]
          const original = yield* alerts.post(
            actorOf(first),
            draftIn(community, "suspicious_vehicle", "Voiture suspecte rue des Lilas")
          )
          const confirmation = yield* alerts.post(
            actorOf(second),
            draftIn(community, "suspicious_vehicle", "voitures suspectes, rue des Lilas !")
          )
          const another = yield* alerts.post(
            actorOf(third),
            draftIn(community, "suspicious_vehicle", "Une voiture suspecte rue des Lilas")
          )
          assert.isTrue(Option.isNone(original.followupOf))
          assert.deepStrictEqual([confirmation.status, another.status], ["published", "published"])
          assert.deepStrictEqual([confirmation.followupOf, another.followupOf], [Option.some(original.id),
            Option.some(original.id)])
          assert.deepStrictEqual(
            (yield* alerts.get(actorOf(fourth), confirmation.id)).followupOf,
            Option.some(original.id)
          )

          const followup = yield* recipientsOf(original.id, "followup")
          const expected = (yield* recipientsOf(original.id, "alert")).filter((r) => r.account_id !== second.id)
          assert.deepStrictEqual(followup, expected)
          assert.strictEqual(followup.length, 8)
          assert.isTrue(followup.every((r) => r.account_id !== first.id && r.account_id !== second.id))
          const [counts] = yield* sql<{ alert: number; followup: number; own: number }>`
            SELECT count(*) FILTER (WHERE kind = 'alert')::int AS alert, count(*) FILTER (WHERE kind = 'followup')::int AS followup,
                   count(*) FILTER (WHERE alert_id IN (${confirmation.id}, ${another.id}))::int AS own
            FROM messages`
          assert.deepStrictEqual(counts, { alert: 1, followup: 1, own: 0 })

          const { sms } = yield* deliverAll
          const confirms = sms.filter((m) => m.text.includes("un autre voisin confirme"))
          assert.deepStrictEqual(
            confirms.map((m) => m.destination).sort(),
            followup.filter((r) => r.channel === "sms").map((r) => r.destination).sort()
          )
          assert.strictEqual(sms.filter((m) => m.text.startsWith("Vigie ALERTE")).length, 5)
        }))

      it.effect("a different category, an alert 11 minutes later, or a different text is a full alert; a repeat of one's own alert tells nobody", () =>
        Effect.gen(function*() {
          const repo = yield* AlertPublisher
          const alerts = yield* Alerts
          yield* empty
          const { community, members } = yield* neighbourhood(4)
          const [a, b] = [members[0]!, members[1]!]
          const text = "Arbre tombé sur la chaussée rue des Lilas"
          const at = yield* DateTime.now
          const old = yield* repo.post({
            ...draftIn(community, "road_danger", text),
            authorId: a.id,
            origin: "web",
            status: "published"
          }, DateTime.subtract(at, { minutes: 11 }))
          assert.isTrue(similarTexts(text, "Un arbre tombé sur la chaussée, rue des Lilas"))
          const late = yield* alerts.post(
            actorOf(b),
            draftIn(community, "road_danger", "Un arbre tombé sur la chaussée, rue des Lilas")
          )
          assert.isTrue(Option.isNone(late.followupOf))
          assert.strictEqual((yield* recipientsOf(late.id, "alert")).length, 6)
          assert.strictEqual((yield* recipientsOf(old.alert.id, "followup")).length, 0)

          const otherCategory = yield* alerts.post(
            actorOf(a),
            draftIn(community, "fire_or_smoke", "Arbre tombé sur la chaussée rue des Lilas")
          )
          assert.isTrue(Option.isNone(otherCategory.followupOf))
          assert.strictEqual((yield* recipientsOf(otherCategory.id, "alert")).length, 6)
          const otherText = yield* alerts.post(
            actorOf(a),
            draftIn(community, "road_danger", "Nid de poule avenue Foch")
          )
          assert.isTrue(Option.isNone(otherText.followupOf))

          // The same author twice (a double submission): linked, no fan-out, and no "another neighbour".
          const twice = yield* alerts.post(actorOf(a), draftIn(community, "road_danger", "Nid de poule, avenue Foch"))
          assert.deepStrictEqual(twice.followupOf, Option.some(otherText.id))
          assert.strictEqual((yield* recipientsOf(otherText.id, "followup")).length, 0)
          assert.strictEqual((yield* recipientsOf(twice.id, "alert")).length, 0)
        }))
    })
  })
}
