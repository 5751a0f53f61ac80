import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { MessageUuid } from "@vigie/domain/sms/InboundSms"
import { parseInbound } from "@vigie/domain/sms/SmsKeywords"
import { SmsReplies } from "@vigie/domain/sms/SmsReplies"
import type { PhoneE164 } from "@vigie/domain/shared/Text"
import { Duration, Effect, FastCheck as fc } from "effect"
import { INBOUND_PATH } from "../../src/http/PlivoInboundWebhook.js"
import {
  baseUrl,
  counts,
  drainInbox,
  handledWithReply,
  neighbourhood,
  outboxTo,
  phoneOf,
  postInbound,
  settledRow,
  smsServerLayer
} from "./Support.js"
import type { PostOptions } from "./Support.js"

const text = fc.oneof(
  fc.constantFrom("STOP", "arrêt", "Start", "AIDE", "help!", "", " ", "VOL vélo", "SANS NOUVELLES de Mme Roux"),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 400 }),
  fc.string({ maxLength: 3000 }),
  fc.constant("\u0000\u0001\uD800".repeat(20))
)

for (const db of databases) {
  describe(`generated inbound webhooks [${db.name}]`, () => {
    layer(smsServerLayer(db), { excludeTestServices: true, timeout: Duration.seconds(300) })(
      "POST /webhooks/plivo/sms",
      (it) => {
        it.effect(
          "never a 5xx; unsigned or forged → 403 and no write; signed → only the writes its sender and text allow",
          () =>
            Effect.gen(function*() {
              const base = yield* baseUrl
              const place = yield* neighbourhood(2)
              const members = [place.author, place.newcomer, ...place.neighbours].map(phoneOf)
              const senders = fc.oneof(
                fc.constantFrom(...members).map((p) => p.slice(1)),
                fc.constantFrom("33757001111", "+33757002222", "MYBANK", "", "0", "33 6 12 34 56 78"),
                fc.string({ maxLength: 70 })
              )
              const uuid = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }), fc.constant("dup-0001"))
              const request = fc.record({
                fields: fc.record({ From: senders, To: fc.string({ maxLength: 20 }), Text: text,
                  Type: fc.constantFrom("sms", "mms", ""), MessageUUID: uuid }, { requiredKeys: [] }),
                extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
                signature: fc.constantFrom<NonNullable<PostOptions["signature"]>>(
                  "valid",
                  "valid",
                  "valid",
                  "none",
                  "forged",
                  "wrong-url",
                  "wrong-token"
                )
              })
              const runs = Number(process.env["FUZZ_RUNS"] ?? 60)
              const samples = fc.sample(request, { numRuns: runs, seed: 5 })
              for (const sample of samples) {
                const fields: Record<string, string> = { ...sample.extra, ...sample.fields }
                const before = yield* counts
                const response = yield* postInbound(base, fields, { signature: sample.signature })
                yield* drainInbox
                const context = `${sample.signature} ${JSON.stringify(fields).slice(0, 200)}`
                expect(response.status, context).toBeLessThan(500)
                const after = yield* counts
                if (sample.signature !== "valid") {
                  expect(response.status, context).toBe(403)
                  expect({ ...after, outbox: before.outbox }, context).toStrictEqual(before)
                  continue
                }
                const command = parseInbound(fields["Text"] ?? "")
                const fromMember = members.some((m) => m.slice(1) === (fields["From"] ?? "").replace(/^\+/, ""))
                if (!fromMember || command._tag !== "Alert") expect(after.alerts, context).toBe(before.alerts)
                if (command._tag !== "Stop" && command._tag !== "Start") {
                  expect(after.suppressions, context).toBe(before.suppressions)
                }
                expect(after.inbound - before.inbound, context).toBeLessThanOrEqual(1)
              }
              // Every recorded message was handled, at once or at its first attempt: none failed, none is left.
              const sql = yield* SqlClient.SqlClient
              expect(
                yield* sql`SELECT message_uuid FROM inbound_sms WHERE handling <> 'handled' OR handle_error IS NOT NULL OR handle_attempts > 1`
              )
                .toStrictEqual([])
              // Raw bodies that are no form at all, signed over no parameters or not at all.
              for (const body of ["{\"From\":\"33612345678\"}", "%%%==&&", "\u0000\u00ff", "a=".repeat(5000)]) {
                const before = yield* counts
                const response = yield* Effect.promise(() =>
                  fetch(base + INBOUND_PATH, { method: "POST", headers: { "content-type": "application/json" }, body })
                    .then((r) => r.status)
                )
                expect(response).toBe(403)
                expect(yield* counts).toStrictEqual(before)
              }
            }),
          { timeout: 300_000 }
        )

        it.effect("a reply committed but never sent (crash before the send) goes out once at the next sweep", () =>
          Effect.gen(function*() {
            const replies = yield* SmsReplies
            const sql = yield* SqlClient.SqlClient
            const to = "+33757003333" as PhoneE164
            const uuid = crypto.randomUUID() as MessageUuid
            // What the gateway commits, without the dispatch that follows it: the process "died".
            yield* handledWithReply(uuid, to, { kind: "help", text: "Vigie : aide" })
            // And one a sender had leased when it died: taken back once the lease is over.
            const leased = crypto.randomUUID() as MessageUuid
            yield* handledWithReply(leased, to, { kind: "help", text: "Vigie : aide 2" })
            yield* sql`UPDATE inbound_sms SET reply_status = 'sending', reply_attempts = 1,
                       reply_next_attempt_at = now() - interval '1 second' WHERE message_uuid = ${leased}`

            expect(yield* replies.sweep).toBe(2)
            expect(yield* replies.sweep).toBe(0)
            expect((yield* outboxTo(to)).sort()).toStrictEqual(["Vigie : aide", "Vigie : aide 2"])
            const rows = yield* sql<
              { status: string }
            >`SELECT reply_status AS status FROM inbound_sms WHERE message_uuid IN (${uuid}, ${leased})`
            expect(rows.map((r) => r.status)).toStrictEqual(["sent", "sent"])
          }))

        it.effect("a reply still pending when its number sends STOP is cancelled; the STOP confirmation goes", () =>
          Effect.gen(function*() {
            const replies = yield* SmsReplies
            const base = yield* baseUrl
            const to = "+33757004444" as PhoneE164
            const uuid = crypto.randomUUID() as MessageUuid
            yield* handledWithReply(uuid, to, { kind: "join", text: "Vigie : rejoignez" })
            const stop = { From: to.slice(1), To: "", Text: "STOP", Type: "sms", MessageUUID: crypto.randomUUID() }
            yield* postInbound(base, stop)
            yield* drainInbox
            yield* replies.sweep
            // Both settled (the background sender may hold one while this sweep runs): sent, or cancelled.
            expect((yield* settledRow(stop.MessageUUID)).replyStatus).toBe("sent")
            expect((yield* settledRow(uuid)).replyStatus).toBe("cancelled")
            const sent = yield* outboxTo(to)
            expect(sent).toHaveLength(1)
            expect(sent[0]).toContain("plus aucun SMS")
          }))
      }
    )
  })
}
