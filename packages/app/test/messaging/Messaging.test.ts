import { SqlClient } from "@effect/sql"
import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Account } from "@vigie/domain/accounts/Account"
import { eraseAccount } from "@vigie/domain/accounts/PersonalData"
import type { ConversationId, MessageId } from "@vigie/domain/messaging/Conversation"
import { Uploads } from "@vigie/domain/media/Uploads"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { unreadAfter } from "@vigie/domain/messaging/MessagingPolicy"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, FastCheck as fc, Layer, Option, Runtime, Schema } from "effect"
import sharp from "sharp"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld, verifiedNeighbour, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")
const SECRET = "Le code du portail est 4521B"

const rowCounts = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ conversations: number; messages: number }>`
SELECT (SELECT count(*)::int FROM conversations) AS conversations,
       (SELECT count(*)::int FROM conversation_messages) AS messages`.pipe(Effect.map((r) => r[0]!), Effect.orDie))

const block = (blocker: Account, blocked: Account) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql`INSERT INTO member_blocks (blocker_id, blocked_id) VALUES (${blocker.id}, ${blocked.id})
        ON CONFLICT DO NOTHING`.pipe(Effect.orDie)
  )

const unblockAll = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM member_blocks`.pipe(Effect.orDie))

const neighbours = (communityId: Account["id"] | string, tag: string, count: number) =>
  Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
    verifiedNeighbour({
      communityId: communityId as never,
      firstName: `Voisin${i}`,
      lastName: `Nom${i}`,
      email: Schema.decodeSync(Email)(`voisin${i}.${tag}@example.org`),
      phone: Option.none(),
      line1: `${i + 2} rue des Acacias`
    }), { concurrency: 1 })

/** Members of a month: past the new members' limits (the property tests start many conversations). */
const seasoned = (people: ReadonlyArray<Account>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const at = DateTime.subtract(yield* DateTime.now, { days: 30 })
    yield* sql`UPDATE accounts SET created_at = ${DateTime.toDateUtc(at)}
WHERE id = ANY (${people.map((p) => p.id)}::uuid[])`.pipe(Effect.orDie)
    return people.map((p) => new Account({ ...p, createdAt: at }))
  })

for (const db of databases) {
  describe(`the messagerie [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(180)
    })("through the RPCs", (it) => {
      it.scoped("one-to-one: written, reused, read, unread counted, sealed at rest, bad input refused", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`dm-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const referent = world.accounts.referentA.id
          const before = yield* rowCounts

          // Bad input: nothing written.
          const to = { _tag: "Members" as const, accountIds: [referent] }
          expect(yield* failure(as("memberA", client.StartConversation({ to, text: "   " })))).toBe("InvalidMessage")
          expect(yield* failure(as("memberA", client.StartConversation({ to, text: "x".repeat(4001) }))))
            .toBe("InvalidMessage")
          expect(
            yield* failure(as(
              "memberA",
              client.StartConversation({
                to: { _tag: "Members", accountIds: [world.accounts.memberB.id] },
                text: "Bonjour"
              })
            ))
          ).toBe("RecipientUnavailable")
          expect(
            yield* failure(as(
              "memberA",
              client.StartConversation({
                to: { _tag: "Members", accountIds: [world.accounts.memberA.id] },
                text: "Bonjour"
              })
            ))
          ).toBe("InvalidParticipants")
          expect(
            yield* failure(as(
              "memberA",
              client.StartConversation({
                to: { _tag: "Members", accountIds: Array.from({ length: 50 }, () => crypto.randomUUID() as never) },
                text: "Bonjour"
              })
            ))
          ).toBe("InvalidParticipants")
          expect(yield* failure(as("pending", client.StartConversation({ to, text: "Bonjour" })))).toBe("Forbidden")
          expect(yield* failure(as("moderator", client.StartConversation({ to, text: "Bonjour" })))).toBe("Forbidden")
          // The author of a mairie's alert, or one's own: refused alike.
          expect(
            yield* failure(as(
              "memberA",
              client.StartConversation({
                to: { _tag: "AlertAuthor", alertId: world.alertKept.id },
                text: "Bonjour"
              })
            ))
          ).toBe("RecipientUnavailable")
          expect(yield* rowCounts).toEqual(before)

          // memberA writes; a second start with the same person reuses the conversation.
          const first = yield* as("memberA", client.StartConversation({ to, text: `  ${SECRET}  ` }))
          expect(first.message.body).toBe(SECRET)
          expect(first.message.authorName).toBe("Test M.")
          expect(first.message.linksClickable).toBe(false)
          const preview = yield* as("memberA", client.PreviewConversation({ to }))
          expect(preview.names).toEqual(["Test R."])
          expect(preview.existing).toBe(first.conversationId)
          const second = yield* as("memberA", client.StartConversation({ to, text: "Tu es là ?" }))
          expect(second.conversationId).toBe(first.conversationId)

          // The referent, from the Gazette post (memberA's): the author is resolved on the server.
          const third = yield* as(
            "referentA",
            client.StartConversation({
              to: { _tag: "PostAuthor", postId: world.gazettePost.id },
              text: "Le vélo est-il toujours là ?"
            })
          )
          expect(third.conversationId).toBe(first.conversationId)
          // ... and from memberA's alert.
          const fromAlertPreview = yield* as(
            "referentA",
            client.PreviewConversation({
              to: { _tag: "AlertAuthor", alertId: world.alertKept.id }
            })
          )
          expect(fromAlertPreview).toMatchObject({ names: ["Test M."], existing: first.conversationId })

          // The World's conversation is this very pair's: its first message (memberA's) is unread too.
          expect(first.conversationId).toBe(world.conversation.id)
          expect(yield* as("referentA", client.CountUnreadMessages({}))).toMatchObject({ messages: 3,
            conversations: 1 })
          expect(yield* as("memberA", client.CountUnreadMessages({}))).toMatchObject({ messages: 1, conversations: 1 })
          const page = yield* as("referentA", client.GetConversation({ conversationId: first.conversationId }))
          expect(page.messages.map((m) => [m.authorName, m.body, m.mine])).toEqual([
            ["Test M.", "Bonjour, c'est pour le vélo.", false],
            ["Test M.", SECRET, false],
            ["Test M.", "Tu es là ?", false],
            ["Test R.", "Le vélo est-il toujours là ?", true]
          ])
          expect(page.others).toEqual([expect.objectContaining({ name: "Test M." })])
          // Read up to the first: one unread left; then all.
          const partly = yield* as(
            "referentA",
            client.MarkConversationRead({
              conversationId: first.conversationId,
              upTo: page.messages[1]!.id
            })
          )
          expect(partly.messages).toBe(1)
          const all = yield* as(
            "referentA",
            client.MarkConversationRead({
              conversationId: first.conversationId,
              upTo: page.messages[3]!.id
            })
          )
          expect(all.messages).toBe(0)
          const seen = yield* as("memberA", client.GetConversation({ conversationId: first.conversationId }))
          expect(seen.others[0]!.lastReadId).toBe(page.messages[3]!.id)

          // Another member, staff, the other quartier: no such conversation for them.
          for (const kind of ["memberB", "moderator", "mairie", "admin"] as const) {
            expect(yield* failure(as(kind, client.GetConversation({ conversationId: first.conversationId }))))
              .toBe("ConversationNotFound")
          }

          // At rest: no plaintext in any row of the messagerie's tables.
          const sql = yield* SqlClient.SqlClient
          const dump = yield* sql<{ row: string }>`
SELECT encode(convert_to(row_to_json(t)::text, 'UTF8'), 'escape') AS row FROM (
  SELECT c.*, m.body, m.id AS message_id FROM conversations c JOIN conversation_messages m ON m.conversation_id = c.id
) t`.pipe(Effect.orDie)
          const raw = yield* sql<{ body: Uint8Array }>`SELECT body FROM conversation_messages`.pipe(Effect.orDie)
          expect(dump.length).toBe(4)
          for (const r of dump) expect(r.row).not.toContain("portail")
          for (const r of raw) expect(Buffer.from(r.body).toString("latin1")).not.toContain("portail")

          // Leaving: out of the list, nothing more to read.
          yield* as("referentA", client.LeaveConversation({ conversationId: first.conversationId }))
          expect((yield* as("referentA", client.ListConversations({}))).conversations).toEqual([])
          expect(yield* failure(as("referentA", client.GetConversation({ conversationId: first.conversationId }))))
            .toBe("ConversationNotFound")
          const listed = yield* as("memberA", client.ListConversations({}))
          expect(listed.conversations.map((c) => c.id)).toEqual([first.conversationId])
        }))

      it.scoped("blocks either way refuse every write with the generic answer; a group never joins them", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`blocks-${db.name}`)
          const messaging = yield* Messaging
          const [a, b, c] = yield* neighbours(world.communityA.id, `blocks-${db.name}`, 3)
          const open = yield* messaging.start(actorOf(a!), { origin: "member", accountIds: [b!.id] }, "Bonjour", [])
          // One-to-one: the page names the other's account (for « Bloquer ») and whether the reader blocked them.
          const other = (reader: Account) =>
            Effect.map(messaging.get(actorOf(reader), open.conversationId, Option.none()), (v) => v.others[0]!)
          expect(yield* other(b!)).toMatchObject({ accountId: a!.id, blockedByMe: false })
          const group = yield* messaging.start(actorOf(c!), { origin: "member", accountIds: [a!.id, b!.id] }, "Hé", [])
          const groupView = yield* messaging.get(actorOf(c!), group.conversationId, Option.none())
          expect(groupView.others.map((o) => [o.accountId, o.blockedByMe])).toEqual([[null, false], [null, false]])
          yield* block(b!, a!)
          expect(yield* other(b!)).toMatchObject({ accountId: a!.id, blockedByMe: true })
          // The blocked one is not told.
          expect(yield* other(a!)).toMatchObject({ accountId: b!.id, blockedByMe: false })
          // Nor may either of them write in the group they share.
          const tagOf = <A, E extends { readonly _tag: string }>(e: Effect.Effect<A, E>) =>
            Effect.map(Effect.flip(e), (x) => x._tag)
          expect(yield* tagOf(messaging.send(actorOf(a!), group.conversationId, "Ici ?", []))).toBe(
            "RecipientUnavailable"
          )
          const before = yield* rowCounts
          const tag = <A, E extends { readonly _tag: string }>(e: Effect.Effect<A, E>) =>
            Effect.map(Effect.flip(e), (x) => x._tag)
          expect(yield* tag(messaging.send(actorOf(a!), open.conversationId, "Encore moi", []))).toBe(
            "RecipientUnavailable"
          )
          expect(yield* tag(messaging.send(actorOf(b!), open.conversationId, "Non", []))).toBe("RecipientUnavailable")
          expect(yield* tag(messaging.start(actorOf(a!), { origin: "member", accountIds: [b!.id] }, "Re", [])))
            .toBe("RecipientUnavailable")
          expect(
            yield* tag(messaging.start(actorOf(c!), { origin: "member", accountIds: [a!.id, b!.id] }, "Groupe", []))
          )
            .toBe("RecipientUnavailable")
          expect(yield* tag(messaging.preview(actorOf(a!), { origin: "member", accountIds: [b!.id] })))
            .toBe("RecipientUnavailable")
          expect(yield* rowCounts).toEqual(before)
          yield* unblockAll
        }))

      it.scoped(
        "property: a blocked member never reaches the blocker, whatever they try",
        () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`prop-blocks-${db.name}`)
            const messaging = yield* Messaging
            const sql = yield* SqlClient.SqlClient
            const people = yield* seasoned(yield* neighbours(world.communityA.id, `prop-blocks-${db.name}`, 4))
            const runtime = yield* Effect.runtime<SqlClient.SqlClient>()
            const blockedPair = (x: Account, y: Account, blocks: ReadonlyArray<readonly [number, number]>) =>
              blocks.some(([i, j]) =>
                (people[i]!.id === x.id && people[j]!.id === y.id) || (people[i]!.id === y.id && people[j]!.id === x.id)
              )
            const pair = fc.tuple(fc.nat(3), fc.nat(3)).filter(([i, j]) => i !== j)
            const attempt = fc.record({
              from: fc.nat(3),
              to: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 }),
              rpc: fc.constantFrom("start", "send", "preview")
            })
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(
                  fc.uniqueArray(pair, { maxLength: 3 }),
                  fc.array(attempt, { minLength: 1, maxLength: 6 }),
                  (blocks, attempts) =>
                    Runtime.runPromise(runtime)(Effect.gen(function*() {
                      yield* sql`DELETE FROM member_blocks`.pipe(Effect.orDie)
                      for (const [i, j] of blocks) yield* block(people[i]!, people[j]!)
                      for (const t of attempts) {
                        const from = people[t.from]!
                        const to = t.to.map((i) => people[i]!).filter((p) => p.id !== from.id)
                        if (to.length === 0) continue
                        const blockedAmong = to.some((p) => blockedPair(from, p, blocks))
                        const reach = { origin: "member" as const, accountIds: to.map((p) => p.id) }
                        if (t.rpc === "preview") {
                          const r = yield* Effect.either(messaging.preview(actorOf(from), reach))
                          if (blockedAmong) expect(r._tag).toBe("Left")
                          continue
                        }
                        if (t.rpc === "start") {
                          const r = yield* Effect.either(messaging.start(actorOf(from), reach, "Bonjour", []))
                          if (blockedAmong) expect(r._tag).toBe("Left")
                          continue
                        }
                        // Send into every conversation `from` belongs to.
                        const mine = yield* messaging.list(actorOf(from), Option.none())
                        for (const c of mine.conversations) {
                          const members = yield* sql<{ account_id: string }>`
SELECT account_id FROM conversation_members WHERE conversation_id = ${c.id} AND left_at IS NULL`.pipe(Effect.orDie)
                          const others = people.filter((p) =>
                            p.id !== from.id && members.some((m) => m.account_id === p.id)
                          )
                          const r = yield* Effect.either(messaging.send(actorOf(from), c.id, "Message", []))
                          if (others.some((o) => blockedPair(from, o, blocks))) {
                            expect(r._tag === "Left" && r.left._tag).toBe("RecipientUnavailable")
                          }
                        }
                      }
                      // Whatever went through: no message of anyone stands in a conversation with someone
                      // they are blocked with, written after the block.
                      const crossed = yield* sql<{ n: number }>`
SELECT count(*)::int AS n FROM conversation_messages m
JOIN conversation_members o ON o.conversation_id = m.conversation_id AND o.account_id <> m.author_id
JOIN member_blocks b ON (b.blocker_id = m.author_id AND b.blocked_id = o.account_id)
  OR (b.blocked_id = m.author_id AND b.blocker_id = o.account_id)
WHERE m.sent_at >= b.created_at`.pipe(Effect.orDie)
                      expect(crossed[0]!.n).toBe(0)
                    }))
                ),
                { numRuns: 12 }
              )
            )
            yield* unblockAll
          }),
        { timeout: 170_000 }
      )

      it.scoped("property: the unread count is the others' messages after the read mark", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`prop-unread-${db.name}`)
          const messaging = yield* Messaging
          const sql = yield* SqlClient.SqlClient
          const people = yield* seasoned(yield* neighbours(world.communityA.id, `prop-unread-${db.name}`, 3))
          const runtime = yield* Effect.runtime<SqlClient.SqlClient>()
          const step = fc.oneof(
            fc.record({ kind: fc.constant("send" as const), who: fc.nat(2) }),
            fc.record({ kind: fc.constant("read" as const), who: fc.nat(2), at: fc.nat(20) })
          )
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) =>
                Runtime.runPromise(runtime)(Effect.gen(function*() {
                  const group = yield* messaging.start(
                    actorOf(people[0]!),
                    { origin: "member", accountIds: [people[1]!.id, people[2]!.id] },
                    "Début",
                    []
                  )
                  const id = group.conversationId as ConversationId
                  const ids: Array<MessageId> = [group.message.id]
                  for (const s of steps) {
                    const who = people[s.who]!
                    if (s.kind === "send") {
                      ids.push((yield* messaging.send(actorOf(who), id, "Message", [])).message.id)
                    } else yield* messaging.markRead(actorOf(who), id, ids[Math.min(s.at, ids.length - 1)]!)
                  }
                  const messages = yield* sql<{ id: string; author_id: string }>`
SELECT id::text AS id, author_id FROM conversation_messages WHERE conversation_id = ${id}`.pipe(Effect.orDie)
                  const marks = yield* sql<{ account_id: string; last_read_id: string; unread: number }>`
SELECT account_id, last_read_id::text AS last_read_id, unread FROM conversation_members
WHERE conversation_id = ${id}`.pipe(Effect.orDie)
                  for (const m of marks) {
                    expect(m.unread).toBe(unreadAfter(
                      messages.map((x) => ({ id: Number(x.id), authorId: x.author_id })),
                      m.account_id,
                      Number(m.last_read_id)
                    ))
                  }
                  const view = yield* messaging.get(actorOf(people[1]!), id, Option.none())
                  expect(view.unread).toBe(marks.find((m) => m.account_id === people[1]!.id)!.unread)
                }))),
              { numRuns: 15 }
            )
          )
        }), { timeout: 170_000 })

      it.scoped("a photo goes with its message, served to the conversation's current members only", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`photos-${db.name}`)
          const messaging = yield* Messaging
          const uploads = yield* Uploads
          const [a, b, c] = yield* neighbours(world.communityA.id, `photos-${db.name}`, 3)
          const bytes = yield* Effect.promise(() =>
            sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a7ac2" } }).jpeg().toBuffer()
          )
          const photo = yield* uploads.upload(a!.id, { kind: "photo", bytes: new Uint8Array(bytes) })
          // Another member's upload, or one already used, is refused and nothing is written.
          const before = yield* rowCounts
          expect(
            (yield* Effect.flip(
              messaging.start(actorOf(b!), { origin: "member", accountIds: [a!.id] }, "", [photo.id])
            ))._tag
          ).toBe("UploadUnavailable")
          expect(yield* rowCounts).toEqual(before)
          const sent = yield* messaging.start(actorOf(a!), { origin: "member", accountIds: [b!.id] }, "", [photo.id])
          expect(sent.message.photos).toEqual([photo.id])
          const page = yield* messaging.get(actorOf(b!), sent.conversationId, Option.none())
          expect(page.messages[0]!.photos).toEqual([photo.id])
          // The page's times travel as epoch milliseconds: the very instant the message was sent.
          expect(DateTime.toEpochMillis(page.messages[0]!.sentAt)).toBe(DateTime.toEpochMillis(sent.message.sentAt))
          expect(yield* messaging.mayReadUpload(actorOf(a!), photo.id)).toBe(true)
          expect(yield* messaging.mayReadUpload(actorOf(b!), photo.id)).toBe(true)
          expect(yield* messaging.mayReadUpload(actorOf(c!), photo.id)).toBe(false)
          expect(yield* messaging.mayReadUpload(actorOf(world.accounts.moderator), photo.id)).toBe(false)
          yield* messaging.leave(actorOf(b!), sent.conversationId)
          expect(yield* messaging.mayReadUpload(actorOf(b!), photo.id)).toBe(false)
        }))

      it.scoped("a new member starts at most 5 conversations a day, counted atomically; their links are plain", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`newcomer-${db.name}`)
          const messaging = yield* Messaging
          const [fresh, ...others] = yield* neighbours(world.communityA.id, `newcomer-${db.name}`, 9)
          const outcomes = yield* Effect.forEach(
            others,
            (o) =>
              Effect.either(
                messaging.start(
                  actorOf(fresh!),
                  { origin: "member", accountIds: [o.id] },
                  "Voir https://exemple.fr",
                  []
                )
              ),
            { concurrency: "unbounded" }
          )
          expect(outcomes.filter((o) => o._tag === "Right")).toHaveLength(5)
          expect(outcomes.flatMap((o) => o._tag === "Left" ? [o.left._tag] : [])).toEqual(
            Array.from({ length: 3 }, () => "MessagingRateLimited")
          )
          const sent = outcomes.find((o) => o._tag === "Right")!
          expect(sent._tag === "Right" && sent.right.message.linksClickable).toBe(false)
          // A seasoned member's links are links.
          const [old, friend] = yield* seasoned(others.slice(0, 2))
          const theirs = yield* messaging.start(
            actorOf(old!),
            { origin: "member", accountIds: [friend!.id] },
            "https://exemple.fr",
            []
          )
          expect(theirs.message.linksClickable).toBe(true)
        }))

      it.scoped("a report: the moderators read the message and the ten around it, each reading audited", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`reports-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.map(Effect.flip(effect), (e) => e._tag)
          const to = { _tag: "Members" as const, accountIds: [world.accounts.referentA.id] }
          const first = yield* as("memberA", client.StartConversation({ to, text: "Message 0" }))
          const ids = [first.message.id]
          for (let i = 1; i < 20; i++) {
            ids.push(
              (yield* as(
                i % 2 === 0 ? "memberA" : "referentA",
                client.SendMessage({ conversationId: first.conversationId, text: `Message ${i}` })
              )).message.id
            )
          }
          // memberA's 10th message is reported by the referent (not by its own author).
          expect(
            yield* failure(as("memberA", client.ReportMessage({ messageId: ids[10]!, reason: "insulting", note: "" })))
          ).toBe("MessageNotFound")
          expect(
            yield* failure(as("memberB", client.ReportMessage({ messageId: ids[10]!, reason: "insulting", note: "" })))
          ).toBe("MessageNotFound")
          yield* as("referentA", client.ReportMessage({ messageId: ids[10]!, reason: "insulting", note: "Menaces" }))
          expect(yield* failure(as("memberA", client.ListMessageReports({})))).toBe("Forbidden")
          // The World's own report is in the queue too: this one is the one with its note.
          const queue = (yield* as("moderator", client.ListMessageReports({}))).filter((r) => r.note === "Menaces")
          expect(queue).toHaveLength(1)
          expect(queue[0]).toMatchObject({ reason: "insulting", note: "Menaces" })
          expect(JSON.stringify(queue)).not.toContain("Message 10")
          const context = yield* as("moderator", client.ReadMessageReport({ reportId: queue[0]!.id }))
          expect(context.lines.map((l) => l.body)).toEqual(
            Array.from({ length: 11 }, (_, i) => `Message ${i + 5}`)
          )
          expect(context.lines.filter((l) => l.reported).map((l) => l.body)).toEqual(["Message 10"])
          const sql = yield* SqlClient.SqlClient
          const audited = yield* sql<{ action: string; actor_id: string }>`
SELECT action, actor_id FROM moderation_audit WHERE target_id = ${queue[0]!.id}`.pipe(Effect.orDie)
          expect(audited).toEqual([{ action: "read_reported_message", actor_id: world.accounts.moderator.id }])
          yield* as("moderator", client.CloseMessageReport({ reportId: queue[0]!.id, note: "Averti" }))
          expect((yield* as("moderator", client.ListMessageReports({}))).map((r) => r.id)).not.toContain(queue[0]!.id)
          expect(yield* failure(as("moderator", client.ReadMessageReport({ reportId: queue[0]!.id }))))
            .toBe("MessageReportNotFound")
        }))

      it.scoped("erasure, retention, the unread e-mail once a day, the export", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`privacy-${db.name}`)
          const messaging = yield* Messaging
          const sql = yield* SqlClient.SqlClient
          const [a, b, c] = yield* neighbours(world.communityA.id, `privacy-${db.name}`, 3)
          const ab = yield* messaging.start(actorOf(a!), { origin: "member", accountIds: [b!.id] }, SECRET, [])
          yield* messaging.send(actorOf(b!), ab.conversationId, "Bien reçu", [])

          // The unread e-mail: after 15 minutes, once a day; never with the text.
          expect(yield* messaging.remindUnread(100)).toBe(0)
          yield* sql`UPDATE conversation_members SET first_unread_at = now() - interval '20 minutes'
WHERE conversation_id = ${ab.conversationId} AND unread > 0`.pipe(Effect.orDie)
          expect(yield* messaging.remindUnread(100)).toBe(2)
          expect(yield* messaging.remindUnread(100)).toBe(0)
          const mails = yield* sql<{ body: string }>`
SELECT body FROM messages WHERE kind = 'conversation_notice' AND conversation_id = ${ab.conversationId}`
            .pipe(Effect.orDie)
          expect(mails).toHaveLength(2)
          for (const m of mails) expect(m.body).not.toContain("portail")
          // Turned off: none.
          const ac = yield* messaging.start(actorOf(a!), { origin: "member", accountIds: [c!.id] }, "Salut", [])
          yield* messaging.setPreferences(actorOf(c!), { emailWhenUnread: false } as never)
          yield* sql`UPDATE conversation_members SET first_unread_at = now() - interval '20 minutes'
WHERE conversation_id = ${ac.conversationId} AND unread > 0`.pipe(Effect.orDie)
          expect(yield* messaging.remindUnread(100)).toBe(0)

          // The export: the member's conversations, opened.
          const exported = yield* messaging.exportOf(b!.id)
          expect(exported).toHaveLength(1)
          expect(exported[0]!.messages.map((m) => [m.author, m.text])).toEqual([["Voisin0 N.", SECRET], ["moi",
            "Bien reçu"]])

          // Erasure of a: the others read "Ancien membre" and "Message supprimé" (null).
          yield* eraseAccount(a!, yield* DateTime.now)
          const after = yield* messaging.get(actorOf(b!), ab.conversationId, Option.none())
          expect(after.messages.map((m) => [m.authorName, m.body])).toEqual([
            ["Ancien membre", null],
            ["Voisin1 N.", "Bien reçu"]
          ])

          // An erased member is written to no more: the same answer as any unreachable recipient, nothing written.
          const counted = yield* rowCounts
          expect((yield* Effect.flip(messaging.send(actorOf(b!), ab.conversationId, "Vous êtes là ?", [])))._tag)
            .toBe("RecipientUnavailable")
          expect(
            (yield* Effect.flip(messaging.start(actorOf(b!), { origin: "member", accountIds: [a!.id] }, "Allô", [])))
              ._tag
          ).toBe("RecipientUnavailable")
          expect(yield* rowCounts).toEqual(counted)

          // Retention: a conversation without a message for two years goes, with its messages.
          yield* sql`UPDATE conversations SET last_message_at = now() - interval '731 days'
WHERE id = ${ac.conversationId}`.pipe(Effect.orDie)
          expect(yield* messaging.purgeInactive(100)).toBe(1)
          const left = yield* sql<{ n: number }>`
SELECT count(*)::int AS n FROM conversation_messages WHERE conversation_id = ${ac.conversationId}`.pipe(Effect.orDie)
          expect(left[0]!.n).toBe(0)
        }))
    })
  })
}
