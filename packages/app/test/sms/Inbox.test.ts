import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import * as PgInboundSms from "@vigie/adapters/sql/PgInboundSms"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { InboundSms } from "@vigie/domain/sms/InboundSms"
import type { MessageUuid } from "@vigie/domain/sms/InboundSms"
import { INBOX_MAX_ATTEMPTS } from "@vigie/domain/sms/InboxPolicy"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import { SmsGateway } from "@vigie/domain/sms/SmsGateway"
import { DateTime, Duration, Effect, Exit } from "effect"
import * as InboxWorker from "../../src/workers/InboxWorker.js"
import {
  baseUrl,
  counts,
  neighbourhood,
  outboxTo,
  phoneOf,
  postInbound,
  settledRow,
  sms,
  smsServerLayer,
  testInboxConfig
} from "./Support.js"

/** The inbox rows of some messages, in the order given. */
const inboxRows = (uuids: ReadonlyArray<string>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ messageUuid: string; handling: string; attempts: number; outcome: string | null; error: string | null }>`
        SELECT message_uuid AS "messageUuid", handling, handle_attempts AS attempts, outcome, handle_error AS error
        FROM inbound_sms WHERE message_uuid IN ${sql.in(uuids)}`,
      (rows) => uuids.map((uuid) => rows.find((r) => r.messageUuid === uuid))
    ))

const suppressed = (phone: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql`SELECT 1 FROM sms_suppressions WHERE phone = ${phone}`, (rows) => rows.length === 1)
  )

/** Makes the messages waiting for a retry due now (instead of waiting out the backoff). */
const retriesDue = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql`UPDATE inbound_sms SET handle_next_attempt_at = now() - interval '1 second' WHERE handling = 'pending'`
)

const drain = InboxWorker.drain(testInboxConfig)

for (const db of databases) {
  describe(`the inbound SMS inbox [${db.name}]`, () => {
    // No background worker: the webhooks only record, and each test drains the inbox when it chooses.
    layer(smsServerLayer(db, {}, false), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "inbox",
      (it) => {
        it.effect("the webhook records and answers; the worker then handles the message (alert, fan-out, reply)", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(2)
            const message = sms(phoneOf(place.author), "VOL vélo volé devant la boulangerie")
            const before = yield* counts
            expect((yield* postInbound(base, message)).status).toBe(200)
            const recorded = yield* counts
            expect({ alerts: recorded.alerts, inbound: recorded.inbound }).toStrictEqual({ alerts: before.alerts,
              inbound: before.inbound + 1 })
            expect(yield* inboxRows([message.MessageUUID])).toMatchObject([{ handling: "pending", attempts: 0,
              outcome: null }])

            expect(yield* drain).toStrictEqual({ claimed: 1, handled: 1, lost: 0, retried: 0, dead: 0 })
            const row = yield* settledRow(message.MessageUUID)
            expect(row.outcome).toBe("alert_published")
            expect((yield* counts).alerts).toBe(before.alerts + 1)
            expect(yield* inboxRows([message.MessageUUID])).toMatchObject([{ handling: "handled", attempts: 1,
              error: null }])
            expect(yield* outboxTo(phoneOf(place.author))).toStrictEqual([
              "Vigie : alerte envoyée à 4 voisins. En cas d'urgence : 17, 18, 15."
            ])
          }))

        it.effect("one sender's messages are claimed one at a time, oldest first; other senders meanwhile", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const repo = yield* InboundSmsRepo
            const gateway = yield* SmsGateway
            const place = yield* neighbourhood(0)
            const a = [sms(phoneOf(place.author), "STOP"), sms(phoneOf(place.author), "AIDE"),
              sms(phoneOf(place.author), "START")]
            const b = sms(phoneOf(place.newcomer), "SUSPECT homme qui essaie les poignées")
            for (const message of [...a, b]) expect((yield* postInbound(base, message)).status).toBe(200)
            expect((yield* inboxRows(a.map((m) => m.MessageUUID))).map((r) => r?.handling)).toStrictEqual(["pending",
              "pending", "pending"])

            const lease = Duration.seconds(30)
            const first = yield* repo.claimInbox({ now: yield* DateTime.now, lease, limit: 10 })
            expect(first.map((c) => c.sms.messageUuid)).toStrictEqual([a[0]!.MessageUUID, b.MessageUUID])
            // The author's first message is leased: nothing more of theirs until it is handled.
            expect(yield* repo.claimInbox({ now: yield* DateTime.now, lease, limit: 10 })).toStrictEqual([])
            for (const claim of first) expect((yield* gateway.handle(claim))._tag).toBe("Handled")
            const second = yield* repo.claimInbox({ now: yield* DateTime.now, lease, limit: 10 })
            expect(second.map((c) => c.sms.messageUuid)).toStrictEqual([a[1]!.MessageUUID])
            yield* gateway.handle(second[0]!)
            expect(yield* drain).toMatchObject({ claimed: 1, handled: 1 })
            // AIDE came after STOP: a stopped number gets nothing, not even the help.
            expect((yield* inboxRows(a.map((m) => m.MessageUUID))).map((r) => r?.outcome)).toStrictEqual(["stopped",
              "suppressed_sender", "started"])
          }))

        it.effect("STOP then START sent back to back ends with SMS allowed; START then STOP with SMS stopped", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const place = yield* neighbourhood(2)
            const [first, second] = place.neighbours.map(phoneOf)
            const stopStart = [sms(first!, "STOP"), sms(first!, "START")]
            const startStop = [sms(second!, "START"), sms(second!, "STOP")]
            // Both pairs wait in the inbox together, then the worker handles them with its full concurrency.
            for (const message of [...stopStart, ...startStop]) {
              expect((yield* postInbound(base, message)).status).toBe(200)
            }
            yield* drain
            expect((yield* inboxRows(stopStart.map((m) => m.MessageUUID))).map((r) => r?.outcome)).toStrictEqual([
              "stopped",
              "started"
            ])
            expect((yield* inboxRows(startStop.map((m) => m.MessageUUID))).map((r) => r?.outcome)).toStrictEqual([
              "started",
              "stopped"
            ])
            expect(yield* suppressed(first!)).toBe(false)
            expect(yield* suppressed(second!)).toBe(true)

            // What a neighbour's alert does next: SMS to the first, e-mail only to the second.
            const alert = sms(phoneOf(place.author), "SUSPECT homme qui relève les plaques")
            yield* postInbound(base, alert)
            const row = yield* settledRow(alert.MessageUUID)
            const sql = yield* SqlClient.SqlClient
            const deliveries = yield* sql<{ destination: string; channel: string }>`
            SELECT destination, channel FROM deliveries WHERE alert_id = ${row.alertId}::uuid AND channel = 'sms'`
            expect(deliveries.map((d) => d.destination)).toContain(first!)
            expect(deliveries.map((d) => d.destination)).not.toContain(second!)
          }))

        it.effect("crash recovery: a recorded message never handled, and one whose worker died, are handled by the sweep, once", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const repo = yield* InboundSmsRepo
            const gateway = yield* SmsGateway
            const sql = yield* SqlClient.SqlClient
            const place = yield* neighbourhood(1)
            // Claimed by a worker that died while handling it: its lease runs out.
            const leased = sms(phoneOf(place.neighbours[0]!), "STOP")
            yield* postInbound(base, leased)
            const [dying] = yield* repo.claimInbox({ now: yield* DateTime.now, lease: Duration.seconds(30), limit: 10 })
            expect(dying?.sms.messageUuid).toBe(leased.MessageUUID)
            yield* sql`UPDATE inbound_sms SET handle_next_attempt_at = now() - interval '1 second' WHERE message_uuid = ${leased.MessageUUID}`
            // Recorded and answered, then the process died before any worker ran (no worker here).
            const orphan = sms(phoneOf(place.author), "DANGER câble électrique tombé sur le trottoir")
            yield* postInbound(base, orphan)
            const before = yield* counts

            expect(yield* drain).toStrictEqual({ claimed: 2, handled: 2, lost: 0, retried: 0, dead: 0 })
            expect(yield* drain).toStrictEqual({ claimed: 0, handled: 0, lost: 0, retried: 0, dead: 0 })
            expect((yield* settledRow(orphan.MessageUUID)).outcome).toBe("alert_published")
            expect((yield* settledRow(leased.MessageUUID)).outcome).toBe("stopped")
            expect((yield* inboxRows([leased.MessageUUID]))[0]).toMatchObject({ handling: "handled", attempts: 2 })
            expect((yield* counts).alerts).toBe(before.alerts + 1)
            // The dead worker's claim, should it come back to life, settles nothing.
            expect(yield* gateway.handle(dying!)).toStrictEqual({ _tag: "Lost" })
            expect(yield* outboxTo(phoneOf(place.neighbours[0]!))).toHaveLength(1)
          }))

        it.effect("a message whose handling fails is retried, then dead with its reason; the sender's next one waits, others do not", () =>
          Effect.gen(function*() {
            const base = yield* baseUrl
            const sql = yield* SqlClient.SqlClient
            const place = yield* neighbourhood(1)
            // A real database failure: the alerts table refuses this text.
            yield* sql.unsafe(`CREATE OR REPLACE FUNCTION refuse_panne() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.text LIKE '%PANNE-TEST%' THEN RAISE EXCEPTION 'alerte refusée pour le test'; END IF; RETURN NEW; END $$`)
            yield* sql.unsafe(
              `CREATE TRIGGER refuse_panne BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_panne()`
            )
            const failing = sms(phoneOf(place.author), "VOL PANNE-TEST dans le garage")
            const next = sms(phoneOf(place.author), "AIDE")
            const other = sms(phoneOf(place.neighbours[0]!), "AIDE")
            for (const message of [failing, next, other]) yield* postInbound(base, message)
            const before = yield* counts

            // The other sender's AIDE is handled; the author's AIDE waits behind the failing alert.
            expect(yield* drain).toStrictEqual({ claimed: 2, handled: 1, lost: 0, retried: 1, dead: 0 })
            const [afterOne, waiting, done] = yield* inboxRows([failing.MessageUUID, next.MessageUUID,
              other.MessageUUID])
            expect(afterOne).toMatchObject({ handling: "pending", attempts: 1, outcome: null })
            expect(afterOne?.error).toContain("alerte refusée pour le test")
            expect(waiting).toMatchObject({ handling: "pending", attempts: 0 })
            expect(done).toMatchObject({ handling: "handled", outcome: "help" })

            for (let attempt = 2; attempt <= INBOX_MAX_ATTEMPTS; attempt++) {
              yield* retriesDue
              const report = yield* InboxWorker.cycle(testInboxConfig)
              expect(report, `attempt ${attempt}`).toMatchObject({ claimed: 1,
                ...(attempt < INBOX_MAX_ATTEMPTS ? { retried: 1 } : { dead: 1 }) })
            }
            const [dead] = yield* inboxRows([failing.MessageUUID])
            expect(dead).toMatchObject({ handling: "dead", attempts: INBOX_MAX_ATTEMPTS, outcome: null })
            expect(dead?.error).toContain("alerte refusée pour le test")
            // Once it is dead, the sender's next message goes.
            expect(yield* drain).toMatchObject({ claimed: 1, handled: 1 })
            expect((yield* settledRow(next.MessageUUID)).outcome).toBe("help")
            expect((yield* counts).alerts).toBe(before.alerts)
            expect(yield* outboxTo(phoneOf(place.author))).toHaveLength(1)
            yield* sql.unsafe(`DROP TRIGGER refuse_panne ON alerts`)
          }))

        it.effect("a recording batch with a row the table refuses is recorded message by message: the good ones land", () =>
          Effect.gen(function*() {
            const now = yield* DateTime.now
            const entry = (from: string, uuid: string = crypto.randomUUID()) => ({
              entry: {
                sms: new InboundSms({ messageUuid: uuid as MessageUuid, from, to: "33647492626", text: "AIDE",
                  type: "sms" }, {
                  disableValidation: true
                }),
                sender: from
              },
              now
            })
            const good = entry("33757009001")
            const refused = entry("3".repeat(100)) // longer than the table's 64 characters
            const other = entry("33757009002")
            const again = entry("33757009001", good.entry.sms.messageUuid) // the same MessageUUID twice in one batch
            const already = entry("33757009003")
            expect(yield* PgInboundSms.recordBatch([already])).toStrictEqual([Exit.succeed(true)])

            const exits = yield* PgInboundSms.recordBatch([good, refused, other, again, already])
            expect(exits[0]).toStrictEqual(Exit.succeed(true))
            expect(Exit.isFailure(exits[1]!)).toBe(true)
            expect(exits.slice(2)).toStrictEqual([Exit.succeed(true), Exit.succeed(false), Exit.succeed(false)])
            const rows = yield* inboxRows([good, refused, other].map((e) => e.entry.sms.messageUuid))
            expect(rows.map((r) => r?.handling)).toStrictEqual(["pending", undefined, "pending"])

            // Through the repository, several messages at once, with the refused one among them.
            const repo = yield* InboundSmsRepo
            const burst = [entry("33757009004"), entry("4".repeat(100)), entry("33757009005")]
            const recorded = yield* Effect.all(burst.map((e) => Effect.exit(repo.record(e.entry, now))), {
              concurrency: "unbounded"
            })
            expect(recorded.map(Exit.isSuccess)).toStrictEqual([true, false, true])
          }))
      }
    )
  })
}
