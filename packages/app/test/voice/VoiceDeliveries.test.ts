import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import { bordeaux, repositories, square, truncate, verifiedResident } from "@vigie/adapters/test/sql/Fixtures"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { describeEachDatabase } from "@vigie/adapters/test/support/TestDatabase"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import type { Account } from "@vigie/domain/accounts/Account"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { Urgency } from "@vigie/domain/alerts/Alert"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { NotificationPreferences } from "@vigie/domain/delivery/NotificationPreferences"
import { PreferencesRepo } from "@vigie/domain/delivery/PreferencesRepo"
import { VOICE_EMERGENCY_REMINDER } from "@vigie/domain/delivery/VoiceScript"
import { DateTime, Duration, Effect, Layer, Option, Schedule } from "effect"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { drained } from "../workers/Support.js"
import { recordingSenders } from "../workers/Senders.js"
import { recordingKeypad, settled, voiceWorld } from "./VoiceSupport.js"

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  lease: Duration.seconds(5),
  poll: Duration.millis(50),
  retry: { baseDelay: Duration.millis(5), maxDelay: Duration.millis(50), maxAttempts: 3 },
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  voice: { ratePerSecond: 50, batchWindow: Duration.seconds(1), claimLimit: 50, loops: 1 }
}

const infrastructure = Layer.mergeAll(
  PgDeliveryRepo.layer,
  PgPacer.layer,
  PgAlertRepo.layer,
  PgReferentBulletins.layer,
  PgGazetteDigestRepo.layer,
  PgGazetteImmediateRepo.layer,
  PubSubDeliveryWakeup.layer
)

interface VoiceRow {
  readonly account_id: string
  readonly kind: string
  readonly urgency: string
  readonly status: string
  readonly attempts: number
  readonly last_error: string | null
}

const voiceRows = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<VoiceRow>`
    SELECT d.account_id, m.kind, a.urgency, d.status, d.attempts, d.last_error
    FROM deliveries d JOIN messages m ON m.id = d.message_id JOIN alerts a ON a.id = m.alert_id
    WHERE d.channel = 'voice' ORDER BY d.id`)

const choose = (account: Account, sms: "all" | "none", voiceUrgent: boolean) =>
  Effect.flatMap(
    PreferencesRepo,
    (repo) =>
      repo.put(
        new NotificationPreferences({ accountId: account.id, sms, email: sms, quietHours: Option.none(), voiceUrgent })
      )
  )

describeEachDatabase("urgent alerts by voice call, through the delivery engine", (it) => {
  it.scoped("one call per urgent alert per member who chose it; none for information, closings or the others; ends delivered, failed or dead", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      yield* sql`TRUNCATE voice_calls, provider_pace`
      const now = yield* DateTime.now
      const setup = Effect.gen(function*() {
        const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Chartrons",
          perimeter: square })
        const members = []
        for (let i = 0; i < 6; i++) members.push(yield* verifiedResident(community.id, i))
        const [author, listener, landline, silent, unreachable, flaky] = members as [
          Account,
          Account,
          Account,
          Account,
          Account,
          Account
        ]
        yield* choose(listener, "all", true)
        yield* choose(landline, "none", true) // a landline only: no SMS, no e-mail, the voice call alone
        yield* choose(silent, "all", false)
        yield* choose(unreachable, "all", true)
        yield* choose(flaky, "all", true)
        // Registered on paper with a landline: the signed form attests the number, never verified by SMS.
        const paper = yield* verifiedResident(community.id, 6)
        yield* sql`UPDATE accounts SET phone = '+33549771234', phone_verified = false, email = NULL
          WHERE id = ${paper.id}`
        yield* sql`INSERT INTO paper_registrations (membership_id, account_id, recorded_by, recorded_at, consent,
            phone_kind)
          SELECT id, account_id, ${author.id}, now(), true, 'landline' FROM memberships WHERE account_id = ${paper.id}`
        yield* choose(paper, "all", true) // SMS chosen too: a landline still gets none
        const post = (urgency: Urgency, text: string) =>
          Effect.flatMap(AlertPublisher, (publisher) =>
            publisher.post({
              scope: { _tag: "Community", communityId: community.id },
              authorId: author.id,
              origin: "web",
              category: urgency === "urgent" ? "fire_or_smoke" : "lost_or_found_animal",
              urgency,
              text,
              place: Option.none(),
              sharedWithAuthorities: false,
              status: "published"
            }, now))
        const urgent = yield* post("urgent", "Fumée épaisse derrière l'école")
        yield* post("info", "Chat tigré trouvé rue Notre-Dame")
        return { author, listener, landline, silent, unreachable, flaky, paper, urgent: urgent.alert }
      }).pipe(Effect.provide(repositories))
      const world = yield* setup
      const phoneOf = (a: Account) => a.id === world.paper.id ? "+33549771234" : Option.getOrThrow(a.phone)

      const { caller, fake } = yield* voiceWorld(recordingKeypad([]), {
        voiceFault: (to) =>
          to === phoneOf(world.unreachable)
            ? FakePlivo.InvalidDestination
            : to === phoneOf(world.flaky)
            ? FakePlivo.ServerError
            : FakePlivo.Ok,
        callee: (to) => to === phoneOf(world.landline) ? { _tag: "NoAnswer" } : { _tag: "Answer" }
      })

      // Planned with the alert, in its transaction: one voice row per member who chose it, urgent only.
      const planned = yield* voiceRows
      const voiceMembers = [world.listener, world.landline, world.unreachable, world.flaky, world.paper].map((a) =>
        a.id as string
      )
      assert.deepStrictEqual(planned.map((r) => r.urgency), ["urgent", "urgent", "urgent", "urgent", "urgent"])
      // The paper landline: the voice call alone, for the urgent alert only (no SMS, and no e-mail address).
      const paperRows = yield* sql<{ channel: string; urgency: string }>`
        SELECT d.channel, a.urgency FROM deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE d.account_id = ${world.paper.id}`
      assert.deepStrictEqual(paperRows, [{ channel: "voice", urgency: "urgent" }])
      assert.sameMembers(planned.map((r) => r.account_id), voiceMembers)

      const senders = recordingSenders()
      const render = yield* alertRenderer(new URL("https://vigie.example.fr"))
      yield* Effect.forkScoped(
        DeliveryWorker.run(render, fast).pipe(
          Effect.provide(Layer.merge(senders.layer, Layer.succeed(VoiceCaller, caller)))
        )
      )
      yield* drained()
      yield* settled(fake)
      // The hangups came back through the signed webhook: answered → delivered, unanswered → failed.
      const ended = (status: string) => (rows: ReadonlyArray<VoiceRow>) =>
        rows.filter((r) => r.status === status).length
      yield* voiceRows.pipe(
        Effect.filterOrFail((rows) => ended("sent")(rows) === 0, () => "receipts not applied yet"),
        Effect.retry(Schedule.spaced(Duration.millis(50))),
        Effect.timeout(Duration.seconds(20))
      )

      const byAccount = new Map((yield* voiceRows).map((r) => [r.account_id, r] as const))
      const status = (a: Account) => {
        const row = byAccount.get(a.id)!
        return [row.status, row.attempts]
      }
      assert.deepStrictEqual(status(world.listener), ["delivered", 1])
      assert.deepStrictEqual(status(world.paper), ["delivered", 1])
      assert.deepStrictEqual(status(world.landline), ["failed", 1])
      assert.include(byAccount.get(world.landline.id)!.last_error, "NO_ANSWER")
      assert.deepStrictEqual(status(world.unreachable), ["failed", 1])
      assert.include(byAccount.get(world.unreachable.id)!.last_error, "VoiceRejected")
      assert.deepStrictEqual(status(world.flaky), ["dead", 3])
      assert.include(byAccount.get(world.flaky.id)!.last_error, "VoiceUnavailable")

      // Exactly one call rang each member who chose it (the refused and the failing ones: none).
      const calls = fake.voiceCalls()
      assert.sameMembers(calls.map((c) => c.to), [
        phoneOf(world.listener),
        phoneOf(world.landline),
        phoneOf(world.paper)
      ])
      assert.isUndefined(senders.smsCounts.get(phoneOf(world.paper)))
      const heard = calls.find((c) => c.to === phoneOf(world.listener))!
      assert.strictEqual(heard.spoken.length, 1)
      assert.match(heard.spoken[0]!, /^Message de Vigie\. ALERTE/)
      assert.include(heard.spoken[0]!, "Fumée épaisse derrière l'école")
      assert.isTrue(heard.spoken[0]!.endsWith(VOICE_EMERGENCY_REMINDER))
      assert.notInclude(heard.spoken[0]!, "http")
      assert.notInclude(heard.answerXml!, "GetDigits")
      // Their own pace: the voice calls drew on the plivo_voice bucket.
      const buckets = yield* sql<{ provider: string }>`SELECT provider FROM provider_pace ORDER BY provider`
      assert.include(buckets.map((b) => b.provider), DeliveryWorker.VOICE_PACE_KEY)

      // Resolving the alert sends its closing by SMS and e-mail, never by voice.
      const closed = yield* Effect.flatMap(
        AlertPublisher,
        (publisher) => publisher.transition(world.urgent.id, "published", "resolved", now)
      ).pipe(Effect.provide(repositories))
      assert.isTrue(Option.isSome(Option.flatMap(closed, (moved) => moved.closing)))
      assert.deepStrictEqual((yield* voiceRows).filter((r) => r.kind !== "alert"), [])
    }).pipe(Effect.provide(infrastructure)))
})
