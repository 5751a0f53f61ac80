import { SqlClient } from "@effect/sql"
import { assert, layer } from "@effect/vitest"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import { EmailSender } from "@vigie/domain/channels/EmailSender"
import { Effect, Layer } from "effect"
import { databases } from "../support/TestDatabase"
import { emailSenderContract, messages } from "./EmailSenderContract"

for (const db of databases) {
  const adapter = Layer.provideMerge(OutboxEmailSender.layer, db.layer)

  emailSenderContract(
    `OutboxEmailSender [${db.name}]`,
    adapter,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return {
        sent: (providerId: string) =>
          sql<{ to: string; subject: string; text: string; html: string }>`
SELECT destination AS "to", subject, text, html FROM email_outbox WHERE provider_id = ${providerId}`.pipe(
            Effect.map((rows) => rows[0] && { ...rows[0] }),
            Effect.orDie
          ),
        count: sql<{ n: number }>`SELECT count(*)::int AS n FROM email_outbox`.pipe(
          Effect.map((rows) => rows[0]!.n),
          Effect.orDie
        )
      }
    })
  )

  layer(adapter, { excludeTestServices: true })(`OutboxEmailSender [${db.name}]`, (it) => {
    it.effect("lists the outbox newest first for the dev inbox", () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        yield* sender.send(messages(2, "list"))
        const listed = yield* OutboxEmailSender.listEmailOutbox(2)
        assert.deepStrictEqual(listed.map((e) => e.destination), ["voisin1.list@example.fr", "voisin0.list@example.fr"])
        assert.match(listed[0]!.providerId, /^outbox-email-\d+$/)
        assert.strictEqual(listed[0]!.html, "<p>Bonjour,</p><p>un véhicule suspect a été signalé (1).</p>")
      }))
  })
}
