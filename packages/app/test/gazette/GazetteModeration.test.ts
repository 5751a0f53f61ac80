import { RpcClient, RpcTest } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { GazetteQueueEntry, GazetteQueuePage } from "@vigie/domain/gazette/GazetteModerationItem"
import { GAZETTE_FLAG_DAILY_LIMIT } from "@vigie/domain/gazette/GazetteModerationPolicy"
import type { GazettePostId, ResidentDetails } from "@vigie/domain/gazette/GazettePost"
import { expiryFrom } from "@vigie/domain/gazette/GazettePolicy"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { logInWithSecondStep } from "../support/StaffSignIn.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld, PASSWORD, verifiedNeighbour, type ActorKind, type World } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

const setup = (world: World) =>
  Effect.gen(function*() {
    const client = yield* RpcTest.makeClient(VigieRpcs)
    const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
      RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
    const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.map(Effect.flip(effect), (e) => e._tag)
    const publish = (kind: ActorKind, title: string, details: ResidentDetails, body: string) =>
      as(kind, client.PublishGazettePost({ communityId: world.communityA.id, title, body, photos: [], details }))
    /** Every page of the queue as `kind` reads it (no entry twice), and the entries of these posts. */
    const queueOf = (kind: ActorKind, postIds: ReadonlyArray<GazettePostId>) =>
      Effect.gen(function*() {
        const seen: Array<GazetteQueueEntry> = []
        let cursor: { readonly since: DateTime.Utc; readonly itemId: string } | undefined = undefined
        for (;;) {
          const page: GazetteQueuePage = yield* as(
            kind,
            client.ListGazetteModerationQueue({ limit: 7, ...(cursor ? { cursor } : {}) })
          )
          seen.push(...page.entries)
          if (Option.isNone(page.next)) break
          cursor = page.next.value
        }
        expect(new Set(seen.map((e) => Option.getOrElse(e.commentId, () => e.postId as string))).size).toBe(seen.length)
        const sinces = seen.map((e) => DateTime.toEpochMillis(e.since))
        expect(sinces).toEqual([...sinces].sort((a, b) => a - b))
        return seen.filter((e) => Option.isNone(e.commentId) && postIds.includes(e.postId))
      })
    return { client, as, failure, publish, queueOf }
  })

const auditedActions = (postId: GazettePostId) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ action: string; n: number }>`
SELECT m.action, (SELECT count(*)::int FROM messages g WHERE g.audit_id = m.id AND g.kind = 'notice') AS n
FROM moderation_audit m WHERE m.target_kind = 'gazette_post' AND m.target_id = ${postId} ORDER BY m.at, m.id`
  })

for (const db of databases) {
  describe(`Gazette moderation [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("through the RPCs", (it) => {
      it.scoped("flag → queue → hide → notice → appeal → decided by another moderator → restored, each step audited", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-moderation-${db.name}`)
          const { as, client, failure, publish, queueOf } = yield* setup(world)
          const published = yield* publish(
            "memberA",
            "Tondeuse à prêter",
            { _tag: "annonce", offer: "prete" },
            "Je prête ma tondeuse le week-end."
          )
          const postId = published.post.id
          expect(published.post.status).toBe("published")

          // Flags: a reader flags once; the author does not flag their own; strangers find nothing.
          const flagged = yield* as(
            "referentA",
            client.FlagGazettePost({
              commentId: Option.none(),
              postId,
              reason: "insulting",
              text: Option.some("Propos déplacés")
            })
          )
          expect(flagged.reason).toBe("insulting")
          expect(
            yield* failure(
              as(
                "referentA",
                client.FlagGazettePost({ commentId: Option.none(), postId, reason: "off_topic", text: Option.none() })
              )
            )
          ).toBe("GazetteAlreadyFlagged")
          expect(
            yield* failure(
              as(
                "memberA",
                client.FlagGazettePost({ commentId: Option.none(), postId, reason: "off_topic", text: Option.none() })
              )
            )
          ).toBe("Forbidden")
          for (const stranger of ["memberB", "pending", "moderator", "mairie", "police"] as const) {
            expect(
              yield* failure(
                as(
                  stranger,
                  client.FlagGazettePost({ commentId: Option.none(), postId, reason: "off_topic", text: Option.none() })
                )
              ),
              stranger
            ).toBe("GazettePostNotFound")
          }

          // A held lost-and-found waits beside it; the moderator approves it and its quartier reads it.
          const held = yield* publish("memberA", "Vélo trouvé", {
            _tag: "perdu_trouve",
            situation: "trouve",
            subject: "objet",
            where: "parc",
            seenAt: DateTime.subtract(yield* DateTime.now, { days: 1 })
          }, "Un vélo laissé par un homme de type maghrébin près du parc.")
          expect(held.post.status).toBe("held_for_review")

          // The queue: moderators only, oldest first, what each item is and why it waits.
          expect(yield* failure(as("referentA", client.ListGazetteModerationQueue({ limit: 20 })))).toBe("Forbidden")
          const queued = yield* queueOf("moderator", [postId, held.post.id])
          const flaggedEntry = queued.find((e) => e.postId === postId)!
          expect(flaggedEntry.item).toBe("post")
          expect(flaggedEntry.kind).toBe("annonce")
          expect(flaggedEntry.reasons).toEqual(["flagged"])
          expect(flaggedEntry.quartier).toBe(world.communityA.name)
          expect(flaggedEntry.authorName).toBe("Test M.")
          expect(flaggedEntry.authorHistory.posts).toBeGreaterThanOrEqual(4)
          expect(flaggedEntry.flags.map((f) => [f.reason, Option.getOrNull(f.text)])).toEqual([
            ["insulting", "Propos déplacés"]
          ])
          const heldEntry = queued.find((e) => e.postId === held.post.id)!
          expect(heldEntry.reasons).toEqual(["held"])
          expect(heldEntry.holdReasons).toEqual(["sensitive_descriptors"])
          expect(heldEntry.body).toContain("maghrébin")

          const approved = yield* as(
            "moderator",
            client.ApproveGazettePost({ commentId: Option.none(), postId: held.post.id, note: Option.none() })
          )
          expect(approved.status).toBe("published")
          expect((yield* as("referentA", client.GetGazettePost({ postId: held.post.id }))).title).toBe("Vélo trouvé")
          expect(
            yield* failure(
              as(
                "admin",
                client.ApproveGazettePost({ commentId: Option.none(), postId: held.post.id, note: Option.none() })
              )
            )
          )
            .toBe("GazetteModerationConflict")

          // Hiding: "other" needs its details and writes nothing without them.
          expect(
            yield* failure(
              as(
                "moderator",
                client.HideGazettePost({ commentId: Option.none(), postId, reason: "other", details: Option.none() })
              )
            )
          ).toBe("ReasonDetailsRequired")
          expect(yield* auditedActions(postId)).toEqual([])
          expect(
            yield* failure(
              as(
                "referentA",
                client.HideGazettePost({ commentId: Option.none(), postId, reason: "insulting",
                  details: Option.none() })
              )
            )
          ).toBe("Forbidden")
          const hidden = yield* as(
            "moderator",
            client.HideGazettePost({ commentId: Option.none(), postId, reason: "insulting", details: Option.none() })
          )
          expect(hidden.status).toBe("hidden")
          expect(yield* failure(as("referentA", client.GetGazettePost({ postId })))).toBe("GazettePostNotFound")
          expect((yield* as("memberA", client.GetGazettePost({ postId }))).status).toBe("hidden")
          expect(yield* queueOf("moderator", [postId])).toEqual([])

          // The author is told by e-mail, with the reason, in the hiding's transaction.
          const sql = yield* SqlClient.SqlClient
          const notices = yield* sql<{ body: string; channel: string }>`
SELECT g.body, d.channel FROM messages g JOIN moderation_audit m ON m.id = g.audit_id
JOIN deliveries d ON d.message_id = g.id
WHERE m.target_id = ${postId} AND m.action = 'hide'`
          expect(notices).toHaveLength(1)
          expect(notices[0]!.channel).toBe("email")
          expect(notices[0]!.body).toContain("« Tondeuse à prêter »")
          expect(notices[0]!.body).toContain("propos injurieux")

          // The appeal: its author only, once.
          expect(
            yield* failure(
              as("referentA", client.AppealGazetteHiding({ commentId: Option.none(), postId, text: "Je conteste" }))
            )
          )
            .toBe("GazettePostNotFound")
          const appeal = yield* as(
            "memberA",
            client.AppealGazetteHiding({
              commentId: Option.none(),
              postId,
              text: "Il n'y a rien d'injurieux dans mon annonce."
            })
          )
          expect(appeal.status).toBe("pending")
          expect(
            yield* failure(
              as("memberA", client.AppealGazetteHiding({ commentId: Option.none(), postId, text: "Encore" }))
            )
          )
            .toBe("GazetteAlreadyAppealed")
          expect(
            yield* failure(
              as("memberA", client.AppealGazetteHiding({ commentId: Option.none(), postId: held.post.id, text: "Non" }))
            )
          )
            .toBe("GazetteNotAppealable")
          const [byHider] = yield* queueOf("moderator", [postId])
          expect(byHider!.reasons).toEqual(["appealed"])
          expect(Option.map(byHider!.appeal, (a) => a.id)).toEqual(Option.some(appeal.id))
          expect(Option.map(byHider!.hidden, (h) => h.reason)).toEqual(Option.some("insulting"))
          expect(byHider!.actionable).toBe(false)
          expect((yield* queueOf("admin", [postId]))[0]!.actionable).toBe(true)

          // Decided by another moderator than the one who hid it.
          expect(
            yield* failure(as(
              "moderator",
              client.DecideGazetteAppeal({
                appealId: appeal.id,
                decision: "restore",
                reason: "Je me suis trompé"
              })
            ))
          ).toBe("AppealNeedsAnotherModerator")
          const decided = yield* as(
            "admin",
            client.DecideGazetteAppeal({
              appealId: appeal.id,
              decision: "restore",
              reason: "L'annonce respecte la charte."
            })
          )
          expect(decided.status).toBe("restored")
          expect(
            yield* failure(as(
              "admin",
              client.DecideGazetteAppeal({
                appealId: appeal.id,
                decision: "uphold",
                reason: "Non"
              })
            ))
          ).toBe("GazetteAppealDecided")
          expect((yield* as("referentA", client.GetGazettePost({ postId }))).status).toBe("published")
          expect(yield* queueOf("admin", [postId])).toEqual([])

          // The audit log holds each step, each with the author's notice; moderators search it.
          expect(yield* auditedActions(postId)).toEqual([{ action: "hide", n: 1 }, { action: "appeal_restore", n: 1 }])
          expect(yield* auditedActions(held.post.id)).toEqual([{ action: "approve", n: 1 }])
          const log = yield* as(
            "moderator",
            client.SearchAuditLog({
              query: {
                text: Option.none(),
                actorId: Option.none(),
                action: Option.none(),
                targetKind: Option.some("gazette_post"),
                targetId: Option.some(postId),
                from: Option.none(),
                to: Option.none()
              },
              before: Option.none(),
              beforeId: Option.none(),
              limit: 10
            })
          )
          expect(log.entries.map((e) => [e.action, e.targetKind])).toEqual([
            ["appeal_restore", "gazette_post"],
            ["hide", "gazette_post"]
          ])
        }))

      it.scoped("a comment: flagged by the post's author, listed as a comment, hidden with a notice to its author, audited", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-comment-moderation-${db.name}`)
          const { as, client, failure, publish } = yield* setup(world)
          const published = yield* publish(
            "memberA",
            "Perceuse à prêter",
            { _tag: "annonce", offer: "prete" },
            "Perceuse à percussion, avec ses mèches."
          )
          const postId = published.post.id
          const posted = yield* as(
            "referentA",
            client.CommentGazettePost({ postId, text: "Elle est sûrement en panne." })
          )
          const commentId = posted.comment.id
          const target = { postId, commentId: Option.some(commentId) }
          expect(
            yield* failure(
              as("referentA", client.FlagGazettePost({ ...target, reason: "insulting", text: Option.none() }))
            )
          ).toBe("Forbidden")
          expect(
            yield* failure(
              as("memberB", client.FlagGazettePost({ ...target, reason: "insulting", text: Option.none() }))
            )
          ).toBe("GazettePostNotFound")
          yield* as(
            "memberA",
            client.FlagGazettePost({ ...target, reason: "insulting", text: Option.some("Dénigrant") })
          )
          expect(
            yield* failure(
              as("memberA", client.FlagGazettePost({ ...target, reason: "insulting", text: Option.none() }))
            )
          ).toBe("GazetteAlreadyFlagged")

          const comments = (seen: ReadonlyArray<GazetteQueueEntry>) =>
            seen.filter((e) => Option.contains(e.commentId, commentId))
          const all: Array<GazetteQueueEntry> = []
          let cursor: { readonly since: DateTime.Utc; readonly itemId: string } | undefined = undefined
          for (;;) {
            const page: GazetteQueuePage = yield* as(
              "moderator",
              client.ListGazetteModerationQueue({ limit: 50, ...(cursor ? { cursor } : {}) })
            )
            all.push(...page.entries)
            if (Option.isNone(page.next)) break
            cursor = page.next.value
          }
          const [entry] = comments(all)
          expect(entry!.item).toBe("comment")
          expect(entry!.postId).toBe(postId)
          expect(entry!.title).toBe("Perceuse à prêter")
          expect(entry!.body).toBe("Elle est sûrement en panne.")
          expect(entry!.reasons).toEqual(["flagged"])
          expect(entry!.flags.map((f) => f.reason)).toEqual(["insulting"])
          // The post itself waits for nothing.
          expect(all.filter((e) => e.postId === postId && Option.isNone(e.commentId))).toEqual([])

          const hidden = yield* as(
            "moderator",
            client.HideGazettePost({ ...target, reason: "insulting", details: Option.some("Restez courtois.") })
          )
          expect(hidden.status).toBe("hidden")
          const readBy = (kind: ActorKind) =>
            Effect.map(as(kind, client.ListGazetteComments({ postId })), (c) => c.threads.map((t) => t.comment.body))
          expect(yield* readBy("memberA")).not.toContain("Elle est sûrement en panne.")
          const sql = yield* SqlClient.SqlClient
          const notices = yield* sql<{ body: string; target_kind: string; account_id: string }>`
SELECT g.body, m.target_kind, m.account_id FROM messages g JOIN moderation_audit m ON m.id = g.audit_id
WHERE m.target_id = ${commentId}`
          expect(notices).toHaveLength(1)
          expect(notices[0]!.target_kind).toBe("gazette_comment")
          expect(notices[0]!.account_id).toBe(world.accounts.referentA.id)
          expect(notices[0]!.body).toContain("Votre commentaire sur « Perceuse à prêter » dans la Gazette a été masqué")
          expect(notices[0]!.body).toContain("(Restez courtois.)")

          // Its author appeals once; another moderator restores it.
          const appeal = yield* as("referentA", client.AppealGazetteHiding({ ...target, text: "C'était de l'humour." }))
          expect(appeal.commentId).toEqual(Option.some(commentId))
          expect(yield* failure(as("referentA", client.AppealGazetteHiding({ ...target, text: "Encore" }))))
            .toBe("GazetteAlreadyAppealed")
          expect(
            (yield* as(
              "admin",
              client.DecideGazetteAppeal({ appealId: appeal.id, decision: "restore", reason: "Rien d'injurieux." })
            )).status
          ).toBe("restored")
          expect(yield* readBy("memberA")).toContain("Elle est sûrement en panne.")
          const actions = yield* sql<{ action: string }>`
SELECT action FROM moderation_audit WHERE target_kind = 'gazette_comment' AND target_id = ${commentId} ORDER BY at, id`
          expect(actions.map((a) => a.action)).toEqual(["hide", "appeal_restore"])
        }))

      it.scoped("at most the daily number of flags per member, exactly, under a concurrent storm", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-flag-storm-${db.name}`)
          const { client } = yield* setup(world)
          const gazette = yield* GazetteRepo
          const now = yield* DateTime.now
          const posts = yield* Effect.all(
            Array.from({ length: GAZETTE_FLAG_DAILY_LIMIT + 10 }, (_, i) =>
              gazette.insert({
                kind: "annonce",
                communityId: world.communityA.id,
                insee: CADAUJAC,
                authorId: world.accounts.memberA.id,
                title: `Annonce ${i}`,
                body: "À donner.",
                photos: [],
                attachment: null,
                details: { _tag: "annonce", offer: "donne" },
                status: "published",
                holdReasons: [],
                createdAt: now,
                expiresAt: expiryFrom("annonce", now)
              }))
          )
          const email = Schema.decodeSync(Email)(`flagger.${db.name}@example.org`)
          yield* verifiedNeighbour({ communityId: world.communityA.id, firstName: "Zélé", lastName: "Signaleur", email,
            phone: Option.none(), line1: "11 rue Vite" })
          const token = (yield* logInWithSecondStep(email, PASSWORD).pipe(Effect.orDie)).token
          const outcomes = yield* Effect.all(
            posts.map((post) =>
              RpcClient.withHeaders(
                client.FlagGazettePost({ commentId: Option.none(), postId: post.id, reason: "duplicate",
                  text: Option.none() }),
                { cookie: `vigie_session=${Redacted.value(token)}` }
              ).pipe(Effect.map(() => "ok"), Effect.catchAll((e) => Effect.succeed(e._tag)))
            ),
            { concurrency: "unbounded" }
          )
          expect(outcomes.filter((o) => o === "ok")).toHaveLength(GAZETTE_FLAG_DAILY_LIMIT)
          expect(outcomes.filter((o) => o === "GazetteFlagRateLimited")).toHaveLength(10)
          const sql = yield* SqlClient.SqlClient
          const written = yield* sql<{ n: number }>`
SELECT count(*)::int AS n FROM gazette_flags f JOIN accounts a ON a.id = f.flagged_by WHERE lower(a.email) = ${email}`
          expect(written[0]!.n).toBe(GAZETTE_FLAG_DAILY_LIMIT)
        }))
    })
  })
}
