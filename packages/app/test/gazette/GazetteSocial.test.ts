import { SqlClient } from "@effect/sql"
import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { GazetteComments } from "@vigie/domain/gazette/GazetteComment"
import type { GazettePost, GazettePostId } from "@vigie/domain/gazette/GazettePost"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import { GazetteSocial } from "@vigie/domain/gazette/GazetteSocial"
import { COMMENT_NOTICE_INTERVAL, nextCommentNotice } from "@vigie/domain/gazette/GazetteSocialPolicy"
import { GazetteSocialRepo } from "@vigie/domain/gazette/GazetteSocialRepo"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Email } from "@vigie/domain/shared/Text"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import {
  Chunk,
  DateTime,
  Duration,
  Effect,
  FastCheck as fc,
  Fiber,
  Layer,
  Option,
  Schedule,
  Schema,
  Stream
} from "effect"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import * as EventReminderWorker from "../../src/workers/EventReminderWorker.js"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld, verifiedNeighbour, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")
const UNKNOWN = "00000000-0000-4000-8000-00000000beef" as GazettePostId

/** A published post written straight to the repository (the posts' own tests cover publishing). */
const insertPost = (post: {
  readonly author: Account
  readonly communityId: CommunityId
  readonly details: GazettePost["details"]
  readonly title: string
  readonly status?: GazettePost["status"]
}) =>
  Effect.flatMap(GazetteRepo, (repo) =>
    Effect.flatMap(DateTime.now, (now) =>
      repo.insert({
        kind: post.details._tag,
        communityId: post.communityId,
        insee: CADAUJAC,
        authorId: post.author.id,
        title: post.title,
        body: "Venez nombreux, chacun apporte un plat.",
        photos: [],
        attachment: null,
        details: post.details,
        status: post.status ?? "published",
        holdReasons: [],
        createdAt: now,
        expiresAt: null
      })))

const inDays = (days: number) => Effect.map(DateTime.now, (now) => DateTime.add(now, { days }))
const inHours = (hours: number) => Effect.map(DateTime.now, (now) => DateTime.add(now, { hours }))

/** The Gazette activity e-mails written for a post: recipient, text and when each is due. */
const activity = (postId: GazettePostId) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ account_id: string; body: string; channel: string; due: Date; destination: string }>`
SELECT d.account_id, m.body, d.channel, d.next_attempt_at AS due, d.destination
FROM deliveries d JOIN messages m ON m.id = d.message_id
WHERE m.kind = 'gazette_activity' AND m.gazette_post_id = ${postId} AND d.gazette_post_id = ${postId}
ORDER BY d.next_attempt_at, d.account_id`.pipe(Effect.orDie)
  )

const commentCount = (postId: GazettePostId) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM gazette_comments WHERE post_id = ${postId}`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        Effect.orDie
      )
  )

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  poll: Duration.millis(50),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

/** Runs the delivery worker with the real French texts until an e-mail to `address` is sent; returns it. */
const sentEmail = (address: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const mails = sql<{ subject: string; text: string }>`
      SELECT subject, text FROM email_outbox WHERE destination = ${address}`.pipe(Effect.orDie)
    return yield* Effect.scoped(Effect.gen(function*() {
      const outbox = Layer.merge(OutboxSmsSender.layer, OutboxEmailSender.layer)
      yield* Effect.forkScoped(DeliveryWorker.run(yield* alertRenderer(publicUrl), fast).pipe(Effect.provide(outbox)))
      return yield* mails.pipe(
        Effect.filterOrFail((all) => all.length > 0, () => "not sent yet"),
        Effect.retry(Schedule.spaced(Duration.millis(50))),
        Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("e-mail not sent in time") }),
        Effect.map((all) => all[0]!)
      )
    }))
  })

const shape = (comments: GazetteComments) =>
  comments.threads.map((t) => ({
    who: t.comment.authorName,
    body: t.comment.body,
    deleted: t.comment.deleted,
    replies: t.replies.map((r) => `${r.authorName}: ${r.body}`)
  }))

const neighbours = (communityId: CommunityId, tag: string, count: number) =>
  Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
    verifiedNeighbour({
      communityId,
      firstName: `Voisin${i}`,
      lastName: `Nom${i}`,
      email: Schema.decodeSync(Email)(`voisin${i}.${tag}@example.org`),
      phone: Option.none(),
      line1: `${i + 2} rue des Acacias`
    }), { concurrency: 1 })

for (const db of databases) {
  describe(`Gazette comments, merci and events [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(180)
    })("through the RPCs", (it) => {
      it.scoped("comments: one level of replies, trimmed text, deletion, who reads and who writes, the author told once an hour, live", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`comments-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const live = yield* LiveEvents
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const postId =
            (yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
              title: "Vélo d'enfant", details: { _tag: "annonce", offer: "donne" } })).id
          const marker = (e: LiveEvent) => e._tag === "GazetteChanged" && e.postId === UNKNOWN
          const onBus = yield* Effect.fork(
            Effect.map(Stream.runCollect(Stream.takeUntil(yield* live.subscribe, marker)), Chunk.toReadonlyArray)
          )

          // The referent asks; the text is trimmed; the author (memberA) is told by e-mail at once.
          const first = yield* as("referentA", client.CommentGazettePost({ postId, text: "  Toujours disponible ?  " }))
          expect(first.comment.body).toBe("Toujours disponible ?")
          expect(first.comment.authorName).toBe("Test R.")
          expect(first.comment.held).toBe(false)
          expect(Option.isNone(first.parentId)).toBe(true)
          const told = yield* activity(postId)
          expect(told.map((m) => m.destination)).toEqual([world.emails.memberA])
          expect(told[0]!.body).toContain("Vélo d'enfant")

          // The author answers; a reply to a reply joins the top comment's thread (one level deep).
          const reply = yield* as(
            "memberA",
            client.CommentGazettePost({ postId, text: "Oui !", replyTo: first.comment.id })
          )
          expect(Option.getOrNull(reply.parentId)).toBe(first.comment.id)
          const again = yield* as(
            "referentA",
            client.CommentGazettePost({ postId, text: "Je passe ce soir.", replyTo: reply.comment.id })
          )
          expect(Option.getOrNull(again.parentId)).toBe(first.comment.id)
          // Two more comments within the hour: one more e-mail, due an hour after the first (coalesced),
          // and none for the author's own comment.
          yield* as("referentA", client.CommentGazettePost({ postId, text: "Merci d'avance." }))
          const coalesced = yield* activity(postId)
          expect(coalesced).toHaveLength(2)
          expect(coalesced[1]!.due.getTime() - coalesced[0]!.due.getTime()).toBeGreaterThanOrEqual(3_600_000 - 5)
          expect(coalesced[1]!.due.getTime() - coalesced[0]!.due.getTime()).toBeLessThan(3_600_000 + 60_000)

          const listed = yield* as("memberA", client.ListGazetteComments({ postId }))
          expect(shape(listed)).toEqual([
            { who: "Test R.", body: "Toujours disponible ?", deleted: false,
              replies: ["Test M.: Oui !", "Test R.: Je passe ce soir."] },
            { who: "Test R.", body: "Merci d'avance.", deleted: false, replies: [] }
          ])
          expect(listed.threads[0]!.comment.mine).toBe(false)
          expect(listed.threads[0]!.replies[0]!.mine).toBe(true)

          // Bad input: a typed error, nothing written.
          const before = yield* commentCount(postId)
          expect(yield* failure(as("referentA", client.CommentGazettePost({ postId, text: "   \n " })))).toBe(
            "InvalidGazetteComment"
          )
          const tooLong = yield* Effect.flip(
            as("referentA", client.CommentGazettePost({ postId, text: "é".repeat(2001) }))
          )
          expect(tooLong).toMatchObject({ _tag: "InvalidGazetteComment", reason: "too_long", maxLength: 2000 })
          expect((yield* as("referentA", client.CommentGazettePost({ postId, text: "é".repeat(2000) }))).comment.body)
            .toHaveLength(2000)
          expect(
            yield* failure(
              as(
                "referentA",
                client.CommentGazettePost({ postId, text: "Et ici ?",
                  replyTo: "00000000-0000-4000-8000-0000000000aa" as typeof first.comment.id })
              )
            )
          ).toBe("GazetteCommentNotFound")
          expect(yield* commentCount(postId)).toBe(before + 1)

          // Who may not read the post learns nothing, exactly as for an unknown post.
          for (
            const stranger of ["memberB", "pending", "mairie", "mairieOther", "police", "moderator", "admin"] as const
          ) {
            expect(yield* failure(as(stranger, client.CommentGazettePost({ postId, text: "Bonjour" }))), stranger)
              .toBe("GazettePostNotFound")
            expect(yield* failure(as(stranger, client.ListGazetteComments({ postId }))), stranger)
              .toBe("GazettePostNotFound")
            expect(yield* failure(as(stranger, client.DeleteGazetteComment({ commentId: first.comment.id }))), stranger)
              .toBe("GazetteCommentNotFound")
          }
          expect(yield* failure(as("anonymous", client.ListGazetteComments({ postId })))).toBe("Unauthenticated")
          expect(yield* failure(as("memberA", client.ListGazetteComments({ postId: UNKNOWN })))).toBe(
            "GazettePostNotFound"
          )

          // Only its author deletes a comment; with replies it reads "Commentaire supprimé", without it goes.
          expect(yield* failure(as("memberA", client.DeleteGazetteComment({ commentId: first.comment.id })))).toBe(
            "Forbidden"
          )
          const deleted = yield* as("referentA", client.DeleteGazetteComment({ commentId: first.comment.id }))
          expect(shape(deleted)[0]).toEqual({ who: "Test R.", body: "", deleted: true,
            replies: ["Test M.: Oui !", "Test R.: Je passe ce soir."] })
          expect(yield* failure(as("referentA", client.DeleteGazetteComment({ commentId: first.comment.id })))).toBe(
            "GazetteCommentNotFound"
          )
          expect(
            yield* failure(
              as("referentA", client.CommentGazettePost({ postId, text: "Encore ?", replyTo: first.comment.id }))
            )
          ).toBe("GazetteCommentNotFound")
          const lone = (yield* as("referentA", client.ListGazetteComments({ postId }))).threads[1]!.comment.id
          const afterLone = yield* as("referentA", client.DeleteGazetteComment({ commentId: lone }))
          expect(afterLone.threads.map((t) => t.comment.body)).not.toContain("Merci d'avance.")

          // A withdrawn post is read by nobody; a held one takes no comment, even from its author.
          yield* as("memberA", client.WithdrawGazettePost({ postId: world.gazetteToWithdraw.id }))
          expect(
            yield* failure(
              as("referentA", client.CommentGazettePost({ postId: world.gazetteToWithdraw.id, text: "?" }))
            )
          ).toBe("GazettePostNotFound")
          const held = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Table de jardin", details: { _tag: "annonce", offer: "donne" }, status: "held_for_review" })
          expect(yield* failure(as("memberA", client.CommentGazettePost({ postId: held.id, text: "Précision" }))))
            .toBe("GazettePostNotOpenToReplies")

          yield* live.publish({ _tag: "GazetteChanged", postId: UNKNOWN, insee: CADAUJAC, communityIds: [],
            mairie: false })
          const changes = (yield* Fiber.join(onBus)).filter((e) => e._tag === "GazetteChanged" && e.postId === postId)
          // Five comments, two deletions (plus the posts' own changes, none on this post): each told once.
          expect(changes).toHaveLength(7)
          expect(changes[0]).toEqual({ _tag: "GazetteChanged", postId, insee: CADAUJAC,
            communityIds: [world.communityA.id], mairie: false })
        }))

      it.scoped("perdu / trouvé: a comment that trips the sensitive check is held and seen by its author only; retrouvé tells each commenter once, never the author", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`found-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const social = yield* GazetteSocial
          const [chloe] = yield* neighbours(world.communityA.id, `found-${db.name}`, 1)
          const cat = yield* insertPost({
            author: world.accounts.memberA,
            communityId: world.communityA.id,
            title: "Chat roux perdu",
            details: { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "Rue des Écoles",
              seenAt: yield* inDays(-1) }
          })
          const postId = cat.id

          const flagged = yield* as(
            "referentA",
            client.CommentGazettePost({ postId, text: "Un homme de type maghrébin l'a pris" })
          )
          expect(flagged.comment.held).toBe(true)
          expect(flagged.flagged.map((s) => s.kind)).toEqual(["origin"])
          // Nobody but its writer sees it, and the author is not told of it.
          expect((yield* as("memberA", client.ListGazetteComments({ postId }))).threads).toEqual([])
          expect((yield* as("referentA", client.ListGazetteComments({ postId }))).threads.map((t) => t.comment.held))
            .toEqual([true])
          expect(yield* activity(postId)).toEqual([])

          yield* as("referentA", client.CommentGazettePost({ postId, text: "Je l'ai vu rue des Écoles" }))
          yield* social.comment(actorOf(chloe!), postId, "Il était dans mon jardin ce matin", Option.none())
          yield* social.comment(actorOf(chloe!), postId, "Il est reparti vers l'école", Option.none())
          yield* as("memberA", client.CommentGazettePost({ postId, text: "Merci, je le cherche !" }))
          expect((yield* activity(postId)).filter((m) => m.body.includes("retrouvé"))).toEqual([])

          yield* as("memberA", client.CloseGazettePost({ postId, outcome: "retrouve" }))
          const found = (yield* activity(postId)).filter((m) => m.body.includes("retrouvé"))
          expect(found.map((m) => m.destination).sort()).toEqual(
            [world.emails.referentA, Option.getOrThrow(chloe!.email)].sort()
          )
          for (const m of found) expect(m.body).toContain("« Chat roux perdu »")
          for (const m of found) expect(m.body).toContain("retrouvé")
          // The delivery engine sends it with the real French texts, linking to the post.
          const mail = yield* sentEmail(Option.getOrThrow(chloe!.email))
          expect(mail.subject).toBe("Vigie – la Gazette de votre quartier")
          expect(mail.text).toContain("« Chat roux perdu », que vous aviez commenté, est retrouvé")
          expect(mail.text).toContain(`http://vigie.test/gazette/${postId}`)
          // Comments go on after closing (thanks), and closing again tells nobody again.
          yield* as("referentA", client.CommentGazettePost({ postId, text: "Super nouvelle !" }))
          expect(
            (yield* Effect.flip(as("memberA", client.CloseGazettePost({ postId, outcome: "retrouve" }))))._tag
          ).toBe("GazettePostClosed")
          expect((yield* activity(postId)).filter((m) => m.body.includes("retrouvé"))).toHaveLength(2)
        }))

      it.scoped("the mairie's communication: its agents and the members it reaches comment it, signed \"Mairie\" for its author; nobody else reads the comments", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`communication-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const published = yield* as(
            "mairie",
            client.PublishMairieCommunication({ insee: CADAUJAC, communityIds: [world.communityA.id],
              title: "Coupure d'eau", body: "Mardi de 9 h à 12 h." })
          )
          const postId = published.post.id
          yield* as("memberA", client.CommentGazettePost({ postId, text: "Toute la rue est concernée ?" }))
          const answer = yield* as("mairie", client.CommentGazettePost({ postId, text: "Oui, de 9 h à 12 h." }))
          expect(answer.comment.authorName).toBe("Mairie")
          // The author of a communication is a mairie agent, and is told of comments like any author.
          expect((yield* activity(postId)).map((m) => m.destination)).toEqual([world.emails.mairie])
          const listed = yield* as("referentA", client.ListGazetteComments({ postId }))
          expect(listed.threads.map((t) => t.comment.authorName)).toEqual(["Test M.", "Mairie"])
          expect((yield* as("referentA", client.ThankGazettePost({ postId }))).count).toBe(1)
          for (const stranger of ["memberB", "mairieOther", "moderator", "police", "pending"] as const) {
            expect(yield* failure(as(stranger, client.ListGazetteComments({ postId }))), stranger).toBe(
              "GazettePostNotFound"
            )
            expect(
              yield* failure(as(stranger, client.CommentGazettePost({ postId, text: "Et chez nous ?" }))),
              stranger
            ).toBe("GazettePostNotFound")
          }
        }))

      it.scoped("a member's comments, merci and answers are in their data export, and go with their account", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gdpr-${db.name}`)
          const social = yield* GazetteSocial
          const data = yield* PersonalDataRepo
          const [leaving] = yield* neighbours(world.communityA.id, `gdpr-${db.name}`, 1)
          const event = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Repas partagé", details: { _tag: "evenement", startsAt: yield* inDays(4), place: "Square" } })
          const asked = yield* social.comment(actorOf(leaving!), event.id, "J'apporte un gâteau", Option.none())
          yield* social.comment(actorOf(world.accounts.memberA), event.id, "Merci !", Option.some(asked.comment.id))
          yield* social.thank(actorOf(leaving!), event.id)
          yield* social.answer(actorOf(leaving!), event.id, "going")

          const files = yield* data.collect(leaving!.id, new Uint8Array(32))
          const exported = JSON.stringify(files.find((f) => f.name === "gazette-participation.json")!.content)
          expect(exported).toContain("J'apporte un gâteau")
          expect(exported).toContain("going")

          yield* data.erase(leaving!.id, yield* DateTime.now)
          const after = yield* social.comments(actorOf(world.accounts.memberA), event.id)
          expect(shape(after)).toEqual([{ who: "Ancien membre", body: "", deleted: true,
            replies: ["Test M.: Merci !"] }])
          const answers = yield* social.answers(actorOf(world.accounts.memberA), event.id)
          expect([answers.going, answers.coming]).toEqual([0, []])
          expect((yield* social.thanks(actorOf(world.accounts.memberA), event.id)).count).toBe(0)
        }))

      it.scoped("merci: one per member, idempotent set and unset, the count, whether mine and who", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`merci-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const postId = world.gazettePost.id
          const view = (
            t: { readonly count: number; readonly mine: boolean; readonly names: ReadonlyArray<string> }
          ) => ({
            count: t.count,
            mine: t.mine,
            names: t.names
          })

          expect(view(yield* as("referentA", client.ThankGazettePost({ postId })))).toEqual({ count: 1, mine: true,
            names: ["Test R."] })
          expect(view(yield* as("referentA", client.ThankGazettePost({ postId })))).toEqual({ count: 1, mine: true,
            names: ["Test R."] })
          expect(view(yield* as("memberA", client.ThankGazettePost({ postId })))).toEqual({ count: 2, mine: true,
            names: ["Test R.", "Test M."] })
          expect(view(yield* as("memberA", client.GetGazetteThanks({ postId })))).toEqual({ count: 2, mine: true,
            names: ["Test R.", "Test M."] })
          expect(view(yield* as("referentA", client.UnthankGazettePost({ postId })))).toEqual({ count: 1, mine: false,
            names: ["Test M."] })
          expect(view(yield* as("referentA", client.UnthankGazettePost({ postId })))).toEqual({ count: 1, mine: false,
            names: ["Test M."] })
          for (const stranger of ["memberB", "pending", "mairie", "moderator"] as const) {
            expect(yield* failure(as(stranger, client.ThankGazettePost({ postId }))), stranger).toBe(
              "GazettePostNotFound"
            )
            expect(yield* failure(as(stranger, client.GetGazetteThanks({ postId }))), stranger).toBe(
              "GazettePostNotFound"
            )
          }
        }))

      it.scoped("events: answers with places, a past, cancelled or full event refused, moves and cancellation told to those who answered yes or maybe, the calendar's sequence", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`events-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const social = yield* GazetteSocial
          const [anne, bruno, carla] = yield* neighbours(world.communityA.id, `events-${db.name}`, 3)
          const startsAt = yield* inDays(3)
          const fete = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Fête des voisins",
            details: { _tag: "evenement", startsAt, place: "Square des Lilas", capacity: 2 } })
          const postId = fete.id
          const answer = (who: Account, given: "going" | "maybe" | "no") => social.answer(actorOf(who), postId, given)

          expect((yield* as("referentA", client.AnswerGazetteEvent({ postId, answer: "going" }))).placesLeft)
            .toEqual(Option.some(1))
          yield* answer(anne!, "going")
          expect((yield* Effect.flip(answer(bruno!, "going")))._tag).toBe("EventFull")
          // Saying "j'y serai" again keeps one's place; another answer is always taken.
          yield* answer(anne!, "going")
          yield* answer(bruno!, "maybe")
          yield* answer(carla!, "no")
          yield* as("referentA", client.AnswerGazetteEvent({ postId, answer: "no" }))
          const answers = yield* answer(bruno!, "going")
          expect({ going: answers.going, maybe: answers.maybe, no: answers.no, coming: answers.coming,
            mine: answers.mine, left: answers.placesLeft }).toEqual({ going: 2, maybe: 0, no: 2,
              coming: ["Voisin0 N.", "Voisin1 N."], mine: Option.some("going"), left: Option.some(0) })
          yield* answer(carla!, "maybe")
          expect((yield* as("memberB", client.GetGazetteEventAnswers({ postId })).pipe(Effect.flip))._tag).toBe(
            "GazettePostNotFound"
          )
          expect(
            yield* failure(as("memberA", client.AnswerGazetteEvent({ postId: world.gazettePost.id, answer: "going" })))
          ).toBe("NotAnEvent")
          expect(yield* failure(as("mairie", client.AnswerGazetteEvent({ postId, answer: "going" })))).toBe(
            "GazettePostNotFound"
          )

          // Moving: only its author; never into the past (nothing written then); those coming or maybe are told.
          expect(
            yield* failure(
              as("referentA", client.MoveGazetteEvent({ postId, startsAt: yield* inDays(4), place: "Salle des fêtes" }))
            )
          ).toBe("Forbidden")
          const intoThePast = yield* Effect.flip(
            as("memberA", client.MoveGazetteEvent({ postId, startsAt: yield* inDays(-1), place: "Salle des fêtes" }))
          )
          expect(intoThePast).toMatchObject({ _tag: "InvalidGazettePost", field: "startsAt", reason: "in_the_past" })
          expect(
            yield* failure(
              as(
                "memberA",
                client.MoveGazetteEvent({ postId, startsAt: yield* inDays(4), endsAt: yield* inDays(3),
                  place: "Salle des fêtes" })
              )
            )
          ).toBe("InvalidGazettePost")
          expect(
            yield* failure(as("memberA", client.MoveGazetteEvent({ postId, startsAt: yield* inDays(4), place: "" })))
          ).toBe("InvalidGazettePost")
          expect(yield* activity(postId)).toEqual([])
          expect(yield* social.calendar(actorOf(world.accounts.memberA), postId, publicUrl)).toMatchObject({
            body: expect.stringContaining("SEQUENCE:0")
          })

          const newStart = yield* inDays(5)
          const moved = yield* as(
            "memberA",
            client.MoveGazetteEvent({ postId, startsAt: newStart, place: "Salle des fêtes" })
          )
          expect(moved.details).toMatchObject({ _tag: "evenement", place: "Salle des fêtes", capacity: 2 })
          const movedMails = yield* activity(postId)
          expect(movedMails.map((m) => m.destination).sort()).toEqual(
            [anne!, bruno!, carla!].map((a) => Option.getOrThrow(a.email)).sort()
          )
          for (const m of movedMails) expect(m.body).toContain("Salle des fêtes")
          const movedIcs = (yield* social.calendar(actorOf(anne!), postId, publicUrl)).body
          expect(movedIcs).toContain("SEQUENCE:1")
          expect(movedIcs).toContain("STATUS:CONFIRMED")

          expect(yield* failure(as("referentA", client.CancelGazetteEvent({ postId })))).toBe("Forbidden")
          const cancelled = yield* as("memberA", client.CancelGazetteEvent({ postId }))
          expect(cancelled.state).toBe("closed")
          const all = yield* activity(postId)
          expect(all).toHaveLength(6)
          expect(all.slice(3).every((m) => m.body.includes("annulé"))).toBe(true)
          expect(yield* failure(as("referentA", client.AnswerGazetteEvent({ postId, answer: "going" })))).toBe(
            "EventClosed"
          )
          expect(yield* failure(as("memberA", client.CancelGazetteEvent({ postId })))).toBe("EventClosed")
          expect(
            yield* failure(
              as("memberA", client.MoveGazetteEvent({ postId, startsAt: yield* inDays(6), place: "Mairie" }))
            )
          ).toBe("EventClosed")
          const cancelledIcs = (yield* social.calendar(actorOf(anne!), postId, publicUrl)).body
          expect(cancelledIcs).toContain("SEQUENCE:2")
          expect(cancelledIcs).toContain("STATUS:CANCELLED")
          expect(yield* activity(postId)).toHaveLength(6)

          // An event that has started takes no answer.
          const past = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Nettoyage du parc", details: { _tag: "evenement", startsAt: yield* inHours(-1), place: "Parc" } })
          const refused = yield* Effect.flip(
            as("referentA", client.AnswerGazetteEvent({ postId: past.id, answer: "going" }))
          )
          expect(refused).toMatchObject({ _tag: "EventClosed", reason: "past" })
          expect((yield* as("referentA", client.GetGazetteEventAnswers({ postId: past.id }))).going).toBe(0)
        }))

      it.scoped("places are taken atomically: capacity 5, 20 neighbours answer going at once, exactly 5 get in", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`capacity-${db.name}`)
          const social = yield* GazetteSocial
          const crowd = yield* neighbours(world.communityA.id, `capacity-${db.name}`, 20)
          const event = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Atelier vélo",
            details: { _tag: "evenement", startsAt: yield* inDays(2), place: "Garage", capacity: 5 } })
          const results = yield* Effect.forEach(
            crowd,
            (who) => Effect.either(social.answer(actorOf(who), event.id, "going")),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r._tag === "Right")).toHaveLength(5)
          expect(results.filter((r) => r._tag === "Left").map((r) => r._tag === "Left" && r.left._tag))
            .toEqual(Array(15).fill("EventFull"))
          const final = yield* social.answers(actorOf(world.accounts.memberA), event.id)
          expect(final.going).toBe(5)
          expect(final.coming).toHaveLength(5)
        }))

      it.scoped("a cancellation racing with answers: every answer taken before it is told of it, none taken after", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`race-${db.name}`)
          const social = yield* GazetteSocial
          const crowd = yield* neighbours(world.communityA.id, `race-${db.name}`, 10)
          const event = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Chorale", details: { _tag: "evenement", startsAt: yield* inDays(2), place: "Église" } })
          const [answers] = yield* Effect.all([
            Effect.forEach(crowd, (who) => Effect.either(social.answer(actorOf(who), event.id, "going")), {
              concurrency: "unbounded"
            }),
            social.cancelEvent(actorOf(world.accounts.memberA), event.id)
          ], { concurrency: "unbounded" })
          const taken = answers.filter((r) => r._tag === "Right").length
          expect(answers.filter((r) => r._tag === "Left").map((r) => r._tag === "Left" && r.left._tag))
            .toEqual(Array(10 - taken).fill("EventClosed"))
          const stored = (yield* social.answers(actorOf(world.accounts.memberA), event.id)).going
          expect(stored).toBe(taken)
          expect((yield* activity(event.id)).filter((m) => m.body.includes("annulé"))).toHaveLength(taken)
        }))

      it.scoped("the comment e-mails' coalescing in SQL agrees with nextCommentNotice on generated sequences of comments", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`coalesce-${db.name}`)
          const repo = yield* GazetteSocialRepo
          const sql = yield* SqlClient.SqlClient
          const postId = world.gazettePost.id
          const start = DateTime.unsafeMake("2027-03-01T08:00:00Z")
          const interval = Duration.toMillis(COMMENT_NOTICE_INTERVAL)
          // Minutes between comments: bursts (0 to 5) and quiet spells (up to 3 hours).
          const gaps = fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 180 })), {
            minLength: 1,
            maxLength: 15
          })
          for (const sample of fc.sample(gaps, { numRuns: 25, seed: 15 })) {
            yield* sql`DELETE FROM gazette_comment_notices WHERE post_id = ${postId}`.pipe(Effect.orDie)
            let at = start
            let last: DateTime.Utc | undefined
            for (const gap of sample) {
              at = DateTime.add(at, { minutes: gap })
              const expected = nextCommentNotice(last, at, COMMENT_NOTICE_INTERVAL)
              const got = yield* repo.scheduleCommentNotice(postId, at, interval)
              expect(Option.map(got, DateTime.toEpochMillis)).toEqual(
                Option.map(Option.fromNullable(expected), DateTime.toEpochMillis)
              )
              if (expected !== undefined) last = expected
            }
          }
        }))

      it.scoped("comments are rate-limited atomically: 50 at once from one member, exactly 30 accepted", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`burst-${db.name}`)
          const social = yield* GazetteSocial
          const post = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Vide-grenier", details: { _tag: "vie_du_quartier", topic: "nouvelle" } })
          const results = yield* Effect.forEach(
            Array.from({ length: 50 }, (_, i) => i),
            (i) =>
              Effect.either(social.comment(actorOf(world.accounts.referentA), post.id, `Message ${i}`, Option.none())),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r._tag === "Right")).toHaveLength(30)
          expect(new Set(results.flatMap((r) => r._tag === "Left" ? [r.left._tag] : []))).toEqual(
            new Set(["GazetteCommentRateLimited"])
          )
          expect(yield* commentCount(post.id)).toBe(30)
          // The author: one e-mail now, one coalesced an hour later, whatever the number of comments.
          expect(yield* activity(post.id)).toHaveLength(2)
        }))

      it.scoped("the day-before reminder: once per member coming, whichever of two runs gets there, again after a move", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`remind-${db.name}`)
          const social = yield* GazetteSocial
          const [anne, bruno, carla] = yield* neighbours(world.communityA.id, `remind-${db.name}`, 3)
          const soon = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Réunion mensuelle", details: { _tag: "evenement", startsAt: yield* inHours(20), place: "Mairie" } })
          const later = yield* insertPost({ author: world.accounts.memberA, communityId: world.communityA.id,
            title: "Repas de quartier", details: { _tag: "evenement", startsAt: yield* inDays(3), place: "Square" } })
          yield* social.answer(actorOf(anne!), soon.id, "going")
          yield* social.answer(actorOf(bruno!), soon.id, "going")
          yield* social.answer(actorOf(carla!), soon.id, "maybe")
          yield* social.answer(actorOf(anne!), later.id, "going")

          const [one, two] = yield* Effect.all([social.remindEvents(100), social.remindEvents(100)], {
            concurrency: "unbounded"
          })
          expect(one + two).toBeGreaterThanOrEqual(2)
          const reminders = (yield* activity(soon.id)).filter((m) => m.body.startsWith("Rappel"))
          expect(reminders.map((m) => m.destination).sort()).toEqual(
            [anne!, bruno!].map((a) => Option.getOrThrow(a.email)).sort()
          )
          expect(reminders[0]!.body).toContain("« Réunion mensuelle »")
          expect(yield* activity(later.id)).toEqual([])
          yield* social.remindEvents(100)
          expect((yield* activity(soon.id)).filter((m) => m.body.startsWith("Rappel"))).toHaveLength(2)

          // Moved to another time within the day: those coming are reminded of the new time.
          yield* social.moveEvent(actorOf(world.accounts.memberA), soon.id, { startsAt: yield* inHours(22),
            endsAt: Option.none(), place: "Mairie" })
          // The worker's pass (as every serving process runs it): rounds until nobody is left to remind.
          expect(yield* EventReminderWorker.runOnce).toBe(2)
          expect(yield* EventReminderWorker.runOnce).toBe(0)
          expect((yield* activity(soon.id)).filter((m) => m.body.startsWith("Rappel"))).toHaveLength(4)
        }))
    })
  })
}
