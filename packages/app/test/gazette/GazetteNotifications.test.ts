import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { DeliveryId, MessageId } from "@vigie/domain/delivery/Delivery"
import { ClaimedDelivery } from "@vigie/domain/delivery/DeliveryRepo"
import { renderClaim } from "@vigie/domain/delivery/SubjectTexts"
import { nextDigestAt } from "@vigie/domain/gazette/GazetteDigest"
import * as GazetteDigests from "@vigie/domain/gazette/GazetteDigests"
import * as GazetteImmediate from "@vigie/domain/gazette/GazetteImmediate"
import { Gazette } from "@vigie/domain/gazette/Gazette"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import type { AccountId } from "@vigie/domain/shared/Ids"
import { DateTime, Duration, Effect, Either, Layer, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld } from "../support/World.js"
import { alertRenderer } from "../../src/workers/AlertTexts.js"

interface Row {
  readonly id: string
  readonly message_id: string
  readonly kind: string
  readonly subject_id: string
  readonly account_id: string
  readonly channel: "sms" | "email"
  readonly destination: string
}

/** The deliveries of a kind of message, as the workers claim them, rendered by the registered texts. */
const rendered = (kind: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<Row>`
      SELECT d.id::text, d.message_id::text, m.kind, coalesce(m.gazette_post_id, m.gazette_digest_id)::text AS subject_id,
             d.account_id::text, d.channel, d.destination
      FROM deliveries d JOIN messages m ON m.id = d.message_id WHERE m.kind = ${kind}`
    const claimed = rows.map((r) =>
      new ClaimedDelivery({
        id: DeliveryId.make(r.id),
        attempts: 1,
        messageId: MessageId.make(r.message_id),
        subject: { kind: r.kind, id: r.subject_id },
        accountId: r.account_id as AccountId,
        channel: r.channel,
        destination: r.destination,
        body: Option.none()
      })
    )
    const renderers = yield* alertRenderer(new URL("https://vigie.example"))
    const emails = yield* renderClaim.email(renderers, claimed.filter((c) => c.channel === "email"))
    const sms = yield* renderClaim.sms(renderers, claimed.filter((c) => c.channel === "sms"))
    return {
      emails: claimed.filter((c) => c.channel === "email").map((c, i) => ({ to: c.accountId, text: emails[i]! })),
      sms: claimed.filter((c) => c.channel === "sms").map((c, i) => ({ to: c.accountId, text: sms[i]! }))
    }
  })

for (const db of databases) {
  describe(`the Gazette's e-mails [${db.name}]`, () => {
    layer(Layer.mergeAll(GazetteImmediate.layer, GazetteDigests.layer).pipe(Layer.provideMerge(platform(db))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("at once and on Mondays", (it) => {
      it.scoped("a lost cat is e-mailed at once to the quartier, the mairie's news also by SMS to who asked, never the author", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gazette-mail")
          const sql = yield* SqlClient.SqlClient
          const immediate = yield* GazetteImmediate.GazetteImmediate
          const now = yield* DateTime.now
          const post = (kind: "perdu_trouve" | "communication", title: string) =>
            sql`INSERT INTO gazette_posts ${
              sql.insert({
                kind,
                community_id: kind === "communication" ? null : world.communityA.id,
                insee: CADAUJAC,
                author_id: world.accounts.memberA.id,
                title,
                body: "Un chat tigré, collier rouge, vu près de l'école.",
                details: JSON.stringify({ _tag: kind }),
                status: "published",
                created_at: DateTime.toDateUtc(now)
              })
            }`
          yield* post("perdu_trouve", "Chat perdu rue des Écoles")
          yield* sql`UPDATE accounts SET phone = '+33612345678', phone_verified = true WHERE id = ${world.accounts.memberB.id}`
          yield* sql`INSERT INTO gazette_preferences (account_id, mairie_sms) VALUES (${world.accounts.memberB.id}, true)`
          yield* post("communication", "Coupure d'eau jeudi")

          // Two processes at once, then again: each post is planned once.
          yield* Effect.all([immediate.runOnce, immediate.runOnce], { concurrency: "unbounded" })
          expect((yield* immediate.runOnce).posts).toBe(0)

          const cat = yield* rendered("gazette_post")
          const byTitle = (title: string) =>
            cat.emails.filter((e) => Either.isRight(e.text) && e.text.right.subject.includes(title)).map((e) => e.to)
          expect(byTitle("Chat perdu")).toContain(world.accounts.referentA.id)
          expect(byTitle("Chat perdu")).not.toContain(world.accounts.memberA.id)
          expect(byTitle("Chat perdu")).not.toContain(world.accounts.memberB.id)
          expect(byTitle("Coupure d'eau")).toContain(world.accounts.memberB.id)
          const email = cat.emails.find((e) => e.to === world.accounts.referentA.id && Either.isRight(e.text))!
          expect(Either.getOrThrow(email.text).text).toContain("https://vigie.example/gazette/")
          expect(cat.sms.map((s) => s.to)).toEqual([world.accounts.memberB.id])
          expect(Either.getOrThrow(cat.sms[0]!.text)).toContain("Vigie – Mairie : Coupure d'eau jeudi")

          // Hidden before it went out: the e-mail is not sent (rendering refuses it).
          yield* sql`UPDATE gazette_posts SET status = 'hidden' WHERE title = 'Chat perdu rue des Écoles'`
          const after = yield* rendered("gazette_post")
          expect(after.emails.some((e) => Either.isLeft(e.text))).toBe(true)
        }))

      it.scoped("publishing a post plans its e-mails at once, before the answer; a held post waits for its approval", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gazette-publish")
          const gazette = yield* Gazette
          const sql = yield* SqlClient.SqlClient
          const now = yield* DateTime.now
          const told = (title: string) =>
            Effect.map(
              sql<{ account_id: string }>`
                SELECT d.account_id::text FROM deliveries d JOIN gazette_posts p ON p.id = d.gazette_post_id
                WHERE p.title = ${title} AND d.channel = 'email'`,
              (rows) => rows.map((r) => r.account_id)
            )
          // memberA's first posts may be held (new member): told only once published.
          const published = yield* gazette.publish(actorOf(world.accounts.referentA), {
            communityId: world.communityA.id,
            title: "Chien trouvé place du marché",
            body: "Un petit chien noir, sans collier.",
            photos: [],
            details: { _tag: "perdu_trouve", situation: "trouve", subject: "animal", where: "place du marché",
              seenAt: now }
          })
          const tellsNow = published.post.status === "published"
          expect(yield* told("Chien trouvé place du marché")).toEqual(tellsNow ? [world.accounts.memberA.id] : [])
          if (!tellsNow) {
            yield* sql`UPDATE gazette_posts SET status = 'published' WHERE id = ${published.post.id}`
            yield* (yield* GazetteImmediate.GazetteImmediate).runOnce
            expect(yield* told("Chien trouvé place du marché")).toEqual([world.accounts.memberA.id])
          }
        }))

      it.scoped("the Monday digest goes through the delivery engine: one stored e-mail per group", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gazette-digest")
          const repo = yield* GazetteRepo
          const digests = yield* GazetteDigests.GazetteDigests
          const now = yield* DateTime.now
          yield* repo.insert({
            kind: "annonce",
            communityId: world.communityB.id,
            insee: CADAUJAC,
            authorId: world.accounts.memberB.id,
            title: "Donne vélo d'enfant",
            body: "Bon état, à prendre sur place.",
            photos: [],
            attachment: null,
            details: { _tag: "annonce", offer: "donne" },
            status: "published",
            holdReasons: [],
            createdAt: now,
            expiresAt: DateTime.add(now, { days: 30 })
          })
          const report = Option.getOrThrow(yield* digests.plan(nextDigestAt(now)))
          expect(report.messages).toBeGreaterThanOrEqual(1)
          const mails = yield* rendered("gazette_digest")
          const toB = mails.emails.find((e) => e.to === world.accounts.memberB.id)!
          expect(Either.getOrThrow(toB.text).text).toContain("Donne vélo d'enfant")
          // memberA lives in quartier A: nothing of quartier B.
          const toA = mails.emails.filter((e) => e.to === world.accounts.memberA.id)
          expect(toA.every((e) => !Either.getOrThrow(e.text).text.includes("Donne vélo d'enfant"))).toBe(true)
          expect(mails.sms).toEqual([])
        }))
    })
  })
}
