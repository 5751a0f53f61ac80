import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import * as GazetteExpiry from "@vigie/domain/gazette/GazetteExpiry"
import type { GazettePostId } from "@vigie/domain/gazette/GazettePost"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { DateTime, Duration, Effect, Layer, Option } from "effect"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld } from "../support/World.js"

for (const db of databases) {
  describe(`the Gazette's clock [${db.name}]`, () => {
    layer(GazetteExpiry.layer.pipe(Layer.provideMerge(platform(db))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("expiry and reminders", (it) => {
      it.scoped("marks expired posts past their expiry, and reminds each author once per expiry, 3 days before, whoever runs", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-clock-${db.name}`)
          const repo = yield* GazetteRepo
          const job = yield* GazetteExpiry.GazetteExpiry
          const sql = yield* SqlClient.SqlClient
          const now = yield* DateTime.now
          const post = (title: string, expiresInDays: number, status: "published" | "held_for_review" = "published") =>
            Effect.map(
              repo.insert({
                kind: "annonce",
                communityId: world.communityA.id,
                insee: CADAUJAC,
                authorId: world.accounts.memberA.id,
                title,
                body: "Texte",
                photos: [],
                attachment: null,
                details: { _tag: "annonce", offer: "donne" },
                status,
                holdReasons: [],
                createdAt: DateTime.add(now, { days: expiresInDays - 30 }),
                expiresAt: DateTime.add(now, { days: expiresInDays })
              }),
              (p) => p.id
            )
          const soon = yield* post("Expire dans deux jours", 2)
          const later = yield* post("Expire dans dix jours", 10)
          const past = yield* post("Expiré hier", -1)
          const held = yield* post("En attente", 2, "held_for_review")
          const notices = (id: GazettePostId) =>
            Effect.map(
              sql<{ body: string; deliveries: number }>`
SELECT m.body, (SELECT count(*)::int FROM deliveries d WHERE d.message_id = m.id AND d.channel = 'email') AS deliveries
FROM messages m WHERE m.kind = 'gazette_notice' AND m.gazette_post_id = ${id}`,
              (rows) => rows.map((r) => ({ body: r.body, deliveries: r.deliveries }))
            )

          // Two runs at once (two processes): one reminder.
          yield* Effect.all([job.runOnce, job.runOnce], { concurrency: "unbounded" })
          yield* job.runOnce
          const sent = yield* notices(soon)
          expect(sent).toHaveLength(1)
          expect(sent[0]!.deliveries).toBe(1)
          expect(sent[0]!.body).toContain("« Expire dans deux jours »")
          expect(sent[0]!.body).toContain("renouvelez-la")
          expect(yield* notices(later)).toEqual([])
          expect(yield* notices(past)).toEqual([])
          expect(yield* notices(held)).toEqual([])
          expect(Option.map(yield* repo.findById(past), (p) => p.state)).toEqual(Option.some("expired"))
          expect(Option.map(yield* repo.findById(soon), (p) => p.state)).toEqual(Option.some("open"))

          // Renewed (a new expiry, again within 3 days here): a new period, a new reminder.
          expect(yield* repo.renew(soon, DateTime.add(now, { days: 1 }))).toBe(true)
          yield* job.runOnce
          yield* job.runOnce
          expect(yield* notices(soon)).toHaveLength(2)
          // The expired post renewed by its author opens again.
          expect(yield* repo.renew(past, DateTime.add(now, { days: 30 }))).toBe(true)
          expect(Option.map(yield* repo.findById(past), (p) => p.state)).toEqual(Option.some("open"))
        }))
    })
  })
}
