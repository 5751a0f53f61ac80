import { SqlClient } from "@effect/sql"
import { assert, layer } from "@effect/vitest"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { SmsSender } from "@vigie/domain/channels/SmsSender"
import { Effect, Layer } from "effect"
import { databases } from "../support/TestDatabase"
import { phones, smsSenderContract } from "./SmsSenderContract"

for (const db of databases) {
  const database = db.layer
  const adapter = Layer.provideMerge(OutboxSmsSender.layer, database)

  smsSenderContract(
    `OutboxSmsSender [${db.name}]`,
    adapter,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return {
        sent: (providerId: string) =>
          sql<
            { destination: string; text: string }
          >`SELECT destination, text FROM sms_outbox WHERE provider_id = ${providerId}`
            .pipe(Effect.map((rows) => rows[0]), Effect.orDie),
        count: sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_outbox`.pipe(
          Effect.map((rows) => rows[0]!.n),
          Effect.orDie
        )
      }
    })
  )

  layer(adapter, { excludeTestServices: true })(`OutboxSmsSender [${db.name}]`, (it) => {
    it.effect("lists the outbox newest first for the dev inbox", () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        yield* sender.send({ text: "premier", destinations: phones(1, "+3371") })
        const second = yield* sender.send({ text: "second", destinations: phones(2, "+3372") })
        const listed = yield* OutboxSmsSender.listSmsOutbox(2)
        assert.deepStrictEqual(listed.map((e) => e.providerId), second.accepted.map((a) => a.providerId).reverse())
        assert.strictEqual(listed[0]!.text, "second")
        assert.match(listed[0]!.providerId, /^outbox-sms-\d+$/)
      }))
  })
}
