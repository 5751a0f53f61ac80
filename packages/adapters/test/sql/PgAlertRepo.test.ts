import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { uniqueViolation } from "@vigie/adapters/sql/SqlFailure"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { NewAlert } from "@vigie/domain/alerts/AlertRepo"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { DateTime, Effect, Exit, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { bordeaux, merignac, repositories, square, truncate, verifiedResident } from "./Fixtures"

const now = DateTime.unsafeMake("2026-06-12T08:30:15.250Z")

/** A community with `size` verified members, each reachable by SMS and e-mail. */
const neighbourhood = (size: number) =>
  Effect.gen(function*() {
    const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Chartrons", perimeter: square })
    const members: Array<AccountId> = []
    for (let i = 0; i < size; i++) {
      const account = yield* verifiedResident(community.id, i)
      members.push(account.id)
    }
    return { community, members }
  })

const alertIn = (communityId: CommunityId, authorId: AccountId, overrides: Partial<NewAlert> = {}): NewAlert => ({
  scope: { _tag: "Community", communityId },
  authorId,
  origin: "web",
  category: "suspicious_vehicle",
  urgency: "urgent",
  text: "Une camionnette blanche tourne dans la rue depuis une heure",
  place: Option.some("Rue Notre-Dame"),
  sharedWithAuthorities: true,
  status: "published",
  ...overrides
})

describeEachDatabase("PgAlertRepo", (it) => {
  it.effect("posts an alert with its message and deliveries, finds it, and fans out again idempotently", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(4)
      const posted = yield* publisher.post(alertIn(community.id, members[0]!), now)
      const fanOut = Option.getOrThrow(posted.fanOut)
      assert.deepStrictEqual({ sms: fanOut.sms, email: fanOut.email }, { sms: 3, email: 3 })
      assert.deepStrictEqual(posted.alert.scope, { _tag: "Community", communityId: community.id })
      assert.deepStrictEqual(posted.alert.createdAt, now)
      assert.deepStrictEqual(yield* alerts.findById(posted.alert.id), Option.some(posted.alert))
      const [row] = yield* sql<{ insee: string }>`SELECT insee FROM alerts WHERE id = ${posted.alert.id}`
      assert.strictEqual(row?.insee, bordeaux)

      const again = yield* publisher.fanOut(posted.alert.id, DateTime.add(now, { minutes: 5 }))
      assert.deepStrictEqual(again, { messageId: fanOut.messageId, sms: 0, email: 0 })
      const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM deliveries`
      assert.strictEqual(count?.n, 6)
    }).pipe(Effect.provide(repositories)))

  it.effect("holds an alert for review without deliveries; approving it fans out once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(3)
      const held = yield* publisher.post(alertIn(community.id, members[0]!, { status: "held_for_review" }), now)
      assert.isTrue(Option.isNone(held.fanOut))
      const [none] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM messages`
      assert.strictEqual(none?.n, 0)
      yield* alerts.setStatus(held.alert.id, "published", now)
      const first = yield* publisher.fanOut(held.alert.id, now)
      const second = yield* publisher.fanOut(held.alert.id, now)
      assert.deepStrictEqual({ sms: first.sms, email: first.email }, { sms: 2, email: 2 })
      assert.deepStrictEqual(second, { messageId: first.messageId, sms: 0, email: 0 })
    }).pipe(Effect.provide(repositories)))

  it.effect("shows visible alerts of the communities in the feed, newest first, and closes them", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(2)
      const elsewhere = yield* (yield* CommunityRepo).insert({ insee: merignac, name: "Capeyron", perimeter: square })
      const author = members[0]!
      const reader = {
        accountId: members[1]!,
        moderator: false,
        verifiedCommunities: [community.id],
        staffCommunes: [],
        communityIds: [community.id]
      }
      const old = yield* publisher.post(alertIn(community.id, author), now)
      const town = yield* publisher.post(
        alertIn(community.id, author, {
          scope: { _tag: "Commune", insee: bordeaux, communityIds: Option.none() },
          origin: "mairie",
          category: "weather"
        }),
        DateTime.add(now, { minutes: 1 })
      )
      yield* publisher.post(alertIn(elsewhere.id, author), DateTime.add(now, { minutes: 2 }))
      yield* publisher.post(
        alertIn(community.id, author, { status: "held_for_review" }),
        DateTime.add(now, { minutes: 3 })
      )
      const feed = yield* alerts.feed(reader, { before: Option.none(), limit: 10 })
      assert.deepStrictEqual(feed.map((e) => e.alert.id), [town.alert.id, old.alert.id])
      // The authors come with the page: the community alert's, never the town alert's.
      assert.deepStrictEqual(feed.map((e) => Option.map(e.author, (a) => a.id)), [Option.none(), Option.some(author)])
      const page = yield* alerts.feed(reader, {
        before: Option.some({ createdAt: town.alert.createdAt, id: Option.none() }),
        limit: 10
      })
      assert.deepStrictEqual(page.map((e) => e.alert.id), [old.alert.id])

      yield* alerts.setStatus(old.alert.id, "resolved", DateTime.add(now, { hours: 1 }))
      const resolved = Option.getOrThrow(yield* alerts.findById(old.alert.id))
      assert.strictEqual(resolved.status, "resolved")
      assert.deepStrictEqual(resolved.closedAt, Option.some(DateTime.add(now, { hours: 1 })))

      // The feed makes its rows by hand (PgAlertRepo's feedEntry): the very alerts the schema decodes,
      // a closed one, a town alert to every quartier and one to some, with and without a place.
      yield* publisher.post(
        alertIn(community.id, author, {
          scope: { _tag: "Commune", insee: bordeaux, communityIds: Option.some([community.id]) },
          origin: "mairie",
          category: "weather",
          place: Option.none()
        }),
        DateTime.add(now, { minutes: 4 })
      )
      const whole = yield* alerts.feed(reader, { before: Option.none(), limit: 10 })
      assert.strictEqual(whole.length, 3)
      for (const entry of whole) {
        assert.deepStrictEqual(Option.some(entry.alert), yield* alerts.findById(entry.alert.id))
      }
    }).pipe(Effect.provide(repositories)))

  it.effect("the schema refuses a second delivery of one message to one account on one channel", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(2)
      const posted = yield* publisher.post(alertIn(community.id, members[0]!), now)
      const [d] = yield* sql<
        { message_id: string; alert_id: string; account_id: string; channel: string; destination: string }
      >`
        SELECT message_id, alert_id, account_id, channel, destination FROM deliveries LIMIT 1`
      const duplicate = yield* Effect.flip(sql`
        INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
        VALUES (${d!.message_id}, ${d!.alert_id}, ${d!.account_id}, ${d!.channel}, ${
        d!.destination
      }, now(), now(), now())`)
      assert.strictEqual(uniqueViolation(duplicate), "deliveries_once")
      assert.isTrue(Option.isSome(posted.fanOut))
    }).pipe(Effect.provide(repositories)))

  it.effect("a fan-out that fails half-way leaves neither the alert nor any delivery", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(5)
      // The fourth delivery row raises, in the middle of the one INSERT … SELECT.
      yield* Effect.acquireRelease(
        Effect.gen(function*() {
          yield* sql`CREATE SEQUENCE fail_after_seq`
          yield* sql.unsafe(`CREATE FUNCTION fail_after_three() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('fail_after_seq') > 3 THEN RAISE EXCEPTION 'injected failure'; END IF;
              RETURN NEW;
            END $$`)
          yield* sql`CREATE TRIGGER fail_after_three BEFORE INSERT ON deliveries
                     FOR EACH ROW EXECUTE FUNCTION fail_after_three()`
        }),
        () =>
          Effect.gen(function*() {
            yield* sql`DROP TRIGGER fail_after_three ON deliveries`
            yield* sql`DROP FUNCTION fail_after_three()`
            yield* sql`DROP SEQUENCE fail_after_seq`
          }).pipe(Effect.orDie)
      )
      const exit = yield* Effect.exit(publisher.post(alertIn(community.id, members[0]!), now))
      assert.isTrue(Exit.isFailure(exit))
      const [counts] = yield* sql<{ alerts: number; messages: number; deliveries: number; calls: number }>`
        SELECT (SELECT count(*)::int FROM alerts) AS alerts, (SELECT count(*)::int FROM messages) AS messages,
               (SELECT count(*)::int FROM deliveries) AS deliveries, (SELECT last_value::int FROM fail_after_seq) AS calls`
      assert.deepStrictEqual(counts, { alerts: 0, messages: 0, deliveries: 0, calls: 4 })
    }).pipe(Effect.scoped, Effect.provide(repositories)))
})

/** The (account, channel, destination) of a message's deliveries, sorted. */
const recipientsOf = (kind: "alert" | "followup" | "closing", alertId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ account_id: string; channel: string; destination: string }>`
      SELECT d.account_id, d.channel, d.destination FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.alert_id = ${alertId} AND m.kind = ${kind}
      ORDER BY d.account_id, d.channel`.pipe(
      Effect.map((rows) => rows.map((r) => `${r.account_id} ${r.channel} ${r.destination}`))
    ))

describeEachDatabase("PgAlertRepo closing and follow-up messages", (it) => {
  it.effect("resolving a published alert writes once a closing message to its recipients on their channels, minus failed, dead and stopped ones", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(6)
      const posted = yield* publisher.post(alertIn(community.id, members[0]!), now)
      const sent = yield* recipientsOf("alert", posted.alert.id)
      assert.strictEqual(sent.length, 10)
      const [m1, m2, m3] = [members[1]!, members[2]!, members[3]!]
      yield* sql`UPDATE deliveries SET status = 'failed' WHERE account_id = ${m1} AND channel = 'sms'`
      yield* sql`UPDATE deliveries SET status = 'dead' WHERE account_id = ${m2} AND channel = 'email'`
      yield* sql`UPDATE deliveries SET status = 'delivered' WHERE account_id = ${m3}`
      const [stopped] = yield* sql<{ destination: string }>`
        SELECT destination FROM deliveries WHERE account_id = ${members[4]!} AND channel = 'sms'`
      yield* sql`INSERT INTO sms_suppressions (phone, reason) VALUES (${stopped!.destination}, 'stop_keyword')`

      const later = DateTime.add(now, { hours: 1 })
      const moved = Option.getOrThrow(yield* publisher.transition(posted.alert.id, "published", "resolved", later))
      assert.strictEqual(moved.alert.status, "resolved")
      assert.deepStrictEqual(moved.alert.closedAt, Option.some(later))
      const closing = Option.getOrThrow(moved.closing)
      assert.deepStrictEqual({ sms: closing.sms, email: closing.email }, { sms: 3, email: 4 })
      const expected = sent.filter((r) =>
        !r.startsWith(`${m1} sms`) && !r.startsWith(`${m2} email`) && r !== `${members[4]!} sms ${stopped!.destination}`
      )
      assert.deepStrictEqual(yield* recipientsOf("closing", posted.alert.id), expected)
      const [row] = yield* sql<{ n: number; due: Date }>`
        SELECT count(*)::int AS n, min(next_attempt_at) AS due FROM deliveries WHERE message_id = ${closing.messageId}`
      assert.deepStrictEqual(row, { n: 7, due: DateTime.toDateUtc(later) })

      // Once: a second resolve finds the alert no longer published; a moderator's hide sends nothing;
      // and the schema refuses a second closing message whatever the caller.
      assert.isTrue(Option.isNone(yield* publisher.transition(posted.alert.id, "published", "resolved", later)))
      const hidden = Option.getOrThrow(yield* publisher.transition(posted.alert.id, "resolved", "hidden", later))
      assert.isTrue(Option.isNone(hidden.closing))
      const again = yield* Effect.flip(sql`
        INSERT INTO messages (alert_id, kind, created_at) VALUES (${posted.alert.id}, 'closing', now())`)
      assert.strictEqual(uniqueViolation(again), "messages_once")
      const [messages] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM messages WHERE kind = 'closing'`
      assert.strictEqual(messages?.n, 1)
    }).pipe(Effect.provide(repositories)))

  it.effect("a retracted alert closes with the same message; a held alert retracted sends nothing", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(3)
      const published = yield* publisher.post(alertIn(community.id, members[0]!), now)
      const held = yield* publisher.post(
        alertIn(community.id, members[0]!, { status: "held_for_review", text: "Autre chose" }),
        now
      )
      const retracted = Option.getOrThrow(
        yield* publisher.transition(published.alert.id, "published", "retracted", now)
      )
      assert.deepStrictEqual(Option.map(retracted.closing, (c) => [c.sms, c.email]), Option.some([2, 2]))
      const heldRetracted = Option.getOrThrow(
        yield* publisher.transition(held.alert.id, "held_for_review", "retracted", now)
      )
      assert.isTrue(Option.isNone(heldRetracted.closing))
      const [counts] = yield* sql<{ messages: number; deliveries: number }>`
        SELECT (SELECT count(*)::int FROM messages WHERE alert_id = ${held.alert.id}) AS messages,
               (SELECT count(*)::int FROM deliveries WHERE alert_id = ${held.alert.id}) AS deliveries`
      assert.deepStrictEqual(counts, { messages: 0, deliveries: 0 })
    }).pipe(Effect.provide(repositories)))

  it.effect("a follow-up is stored linked to its original, with one 'followup' message to the original's recipients minus both authors; a third adds nothing", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const publisher = yield* AlertPublisher
      const { community, members } = yield* neighbourhood(5)
      const original = yield* publisher.post(alertIn(community.id, members[0]!), now)
      const second = yield* publisher.post(
        alertIn(community.id, members[1]!, { followup: { of: original.alert.id, notify: true } }),
        DateTime.add(now, { minutes: 3 })
      )
      assert.strictEqual(second.alert.status, "published")
      assert.deepStrictEqual(second.alert.followupOf, Option.some(original.alert.id))
      assert.deepStrictEqual(yield* alerts.findById(second.alert.id), Option.some(second.alert))
      const followup = Option.getOrThrow(second.fanOut)
      assert.deepStrictEqual({ sms: followup.sms, email: followup.email }, { sms: 3, email: 3 })
      const confirmed = yield* recipientsOf("followup", original.alert.id)
      assert.deepStrictEqual(
        confirmed,
        (yield* recipientsOf("alert", original.alert.id)).filter((r) => !r.startsWith(members[1]!))
      )
      assert.isTrue(confirmed.every((r) => !r.startsWith(members[0]!) && !r.startsWith(members[1]!)))

      const third = yield* publisher.post(
        alertIn(community.id, members[2]!, { followup: { of: original.alert.id, notify: true } }),
        DateTime.add(now, { minutes: 4 })
      )
      assert.isTrue(Option.isNone(third.fanOut))
      const [counts] = yield* sql<{ alerts: number; followups: number; deliveries: number; own: number }>`
        SELECT (SELECT count(*)::int FROM messages WHERE kind = 'alert') AS alerts,
               (SELECT count(*)::int FROM messages WHERE kind = 'followup') AS followups,
               (SELECT count(*)::int FROM deliveries) AS deliveries,
               (SELECT count(*)::int FROM deliveries WHERE alert_id IN (${second.alert.id}, ${third.alert.id})) AS own`
      assert.deepStrictEqual(counts, { alerts: 1, followups: 1, deliveries: 8 + 6, own: 0 })
      assert.deepStrictEqual(
        (yield* alerts.recent({ _tag: "Community", communityId: community.id }, now, DateTime.add(now, { minutes: 4 })))
          .map((a) => a.id),
        [original.alert.id, second.alert.id, third.alert.id]
      )
    }).pipe(Effect.provide(repositories)))
})
