import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { uniqueViolation } from "@vigie/adapters/sql/SqlFailure"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { NewAlert } from "@vigie/domain/alerts/AlertRepo"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { DateTime, Effect, Exit, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { address, bordeaux, email, merignac, phone, repositories, square, truncate } from "./Fixtures"

const now = DateTime.unsafeMake("2026-06-12T08:30:15.250Z")

/** A community with `size` verified members, each reachable by SMS and e-mail. */
const neighbourhood = (size: number) =>
  Effect.gen(function*() {
    const accounts = yield* AccountRepo
    const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Chartrons", perimeter: square })
    const memberships = yield* MembershipRepo
    const members: Array<AccountId> = []
    for (let i = 0; i < size; i++) {
      const account = yield* accounts.insert({
        firstName: "Voisin",
        lastName: `N${i}`,
        email: Option.some(email()),
        phone: Option.some(phone()),
        phoneVerified: true,
        passwordHash: Option.none(),
        staffRoles: []
      })
      yield* memberships.insert({
        accountId: account.id,
        communityId: community.id,
        role: "resident",
        status: "verified",
        address: address()
      })
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
      const { community, members } = yield* neighbourhood(4)
      const posted = yield* alerts.post(alertIn(community.id, members[0]!), now)
      const fanOut = Option.getOrThrow(posted.fanOut)
      assert.deepStrictEqual({ sms: fanOut.sms, email: fanOut.email }, { sms: 3, email: 3 })
      assert.deepStrictEqual(posted.alert.scope, { _tag: "Community", communityId: community.id })
      assert.deepStrictEqual(posted.alert.createdAt, now)
      assert.deepStrictEqual(yield* alerts.findById(posted.alert.id), Option.some(posted.alert))
      const [row] = yield* sql<{ insee: string }>`SELECT insee FROM alerts WHERE id = ${posted.alert.id}`
      assert.strictEqual(row?.insee, bordeaux)

      const again = yield* alerts.fanOut(posted.alert.id, DateTime.add(now, { minutes: 5 }))
      assert.deepStrictEqual(again, { messageId: fanOut.messageId, sms: 0, email: 0 })
      const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM deliveries`
      assert.strictEqual(count?.n, 6)
    }).pipe(Effect.provide(repositories)))

  it.effect("holds an alert for review without deliveries; approving it fans out once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const { community, members } = yield* neighbourhood(3)
      const held = yield* alerts.post(alertIn(community.id, members[0]!, { status: "held_for_review" }), now)
      assert.isTrue(Option.isNone(held.fanOut))
      const [none] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM messages`
      assert.strictEqual(none?.n, 0)
      yield* alerts.setStatus(held.alert.id, "published", now)
      const first = yield* alerts.fanOut(held.alert.id, now)
      const second = yield* alerts.fanOut(held.alert.id, now)
      assert.deepStrictEqual({ sms: first.sms, email: first.email }, { sms: 2, email: 2 })
      assert.deepStrictEqual(second, { messageId: first.messageId, sms: 0, email: 0 })
    }).pipe(Effect.provide(repositories)))

  it.effect("shows visible alerts of the communities in the feed, newest first, and closes them", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
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
      const old = yield* alerts.post(alertIn(community.id, author), now)
      const town = yield* alerts.post(
        alertIn(community.id, author, {
          scope: { _tag: "Commune", insee: bordeaux, communityIds: Option.none() },
          origin: "mairie",
          category: "weather"
        }),
        DateTime.add(now, { minutes: 1 })
      )
      yield* alerts.post(alertIn(elsewhere.id, author), DateTime.add(now, { minutes: 2 }))
      yield* alerts.post(alertIn(community.id, author, { status: "held_for_review" }), DateTime.add(now, { minutes: 3 }))
      const feed = yield* alerts.feed(reader, { before: Option.none(), limit: 10 })
      assert.deepStrictEqual(feed.map((a) => a.id), [town.alert.id, old.alert.id])
      const page = yield* alerts.feed(reader, { before: Option.some({ createdAt: town.alert.createdAt, id: Option.none() }), limit: 10 })
      assert.deepStrictEqual(page.map((a) => a.id), [old.alert.id])

      yield* alerts.setStatus(old.alert.id, "resolved", DateTime.add(now, { hours: 1 }))
      const resolved = Option.getOrThrow(yield* alerts.findById(old.alert.id))
      assert.strictEqual(resolved.status, "resolved")
      assert.deepStrictEqual(resolved.closedAt, Option.some(DateTime.add(now, { hours: 1 })))
    }).pipe(Effect.provide(repositories)))

  it.effect("the schema refuses a second delivery of one message to one account on one channel", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
      const { community, members } = yield* neighbourhood(2)
      const posted = yield* alerts.post(alertIn(community.id, members[0]!), now)
      const [d] = yield* sql<{ message_id: string; alert_id: string; account_id: string; channel: string; destination: string }>`
        SELECT message_id, alert_id, account_id, channel, destination FROM deliveries LIMIT 1`
      const duplicate = yield* Effect.flip(sql`
        INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
        VALUES (${d!.message_id}, ${d!.alert_id}, ${d!.account_id}, ${d!.channel}, ${d!.destination}, now(), now(), now())`)
      assert.strictEqual(uniqueViolation(duplicate), "deliveries_once")
      assert.isTrue(Option.isSome(posted.fanOut))
    }).pipe(Effect.provide(repositories)))

  it.effect("a fan-out that fails half-way leaves neither the alert nor any delivery", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* truncate(sql)
      const alerts = yield* AlertRepo
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
      const exit = yield* Effect.exit(alerts.post(alertIn(community.id, members[0]!), now))
      assert.isTrue(Exit.isFailure(exit))
      const [counts] = yield* sql<{ alerts: number; messages: number; deliveries: number; calls: number }>`
        SELECT (SELECT count(*)::int FROM alerts) AS alerts, (SELECT count(*)::int FROM messages) AS messages,
               (SELECT count(*)::int FROM deliveries) AS deliveries, (SELECT last_value::int FROM fail_after_seq) AS calls`
      assert.deepStrictEqual(counts, { alerts: 0, messages: 0, deliveries: 0, calls: 4 })
    }).pipe(Effect.scoped, Effect.provide(repositories)))
})
