import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { bordeaux, repositories, square, truncate, verifiedResident } from "./Fixtures"

const now = DateTime.unsafeMake("2026-06-12T08:30:15.250Z")
const later = (seconds: number) => DateTime.add(now, { seconds })

/** A community of `size` verified members and an urgent alert by the first: 2 × (size - 1) deliveries. */
const postedAlert = (size: number, urgency: "urgent" | "info" = "urgent") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* truncate(sql)
    const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Chartrons", perimeter: square })
    const members: Array<AccountId> = []
    for (let i = 0; i < size; i++) {
      const account = yield* verifiedResident(community.id, i)
      members.push(account.id)
    }
    const posted = yield* (yield* AlertPublisher).post({
      scope: { _tag: "Community", communityId: community.id },
      authorId: members[0]!,
      origin: "web",
      category: "burglary",
      urgency,
      text: "Tentative d'effraction au 12 rue des Lilas",
      place: Option.some("Rue des Lilas"),
      sharedWithAuthorities: false,
      status: "published"
    }, now)
    return posted.alert
  })

const statuses = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM deliveries GROUP BY status ORDER BY status`
})

describeEachDatabase("PgDeliveryRepo", (it) => {
  const layer = Layer.merge(repositories, PgDeliveryRepo.layer)

  it.effect("claims due rows of one channel, leases them and tells what the texts need", () =>
    Effect.gen(function*() {
      const alert = yield* postedAlert(4)
      const repo = yield* DeliveryRepo
      const claimed = yield* repo.claim("sms", 10, later(1), later(61))
      assert.strictEqual(claimed.length, 3)
      for (const d of claimed) {
        assert.strictEqual(d.channel, "sms")
        assert.strictEqual(d.attempts, 1)
        assert.deepStrictEqual(d.subject, { kind: "alert", id: alert.id })
        assert.isTrue(Option.isNone(d.body))
      }
      // What the texts need, read for the claim by the alerts' renderer.
      const [a] = yield* (yield* AlertRepo).messageFacts([alert.id])
      assert.strictEqual(a!.category, "burglary")
      assert.deepStrictEqual(a!.communityName, Option.some("Chartrons"))
      assert.deepStrictEqual(a!.place, Option.some("Rue des Lilas"))
      assert.strictEqual(a!.insee, bordeaux)
      // Leased: nobody else gets them before the lease ends; the e-mails are still there.
      assert.strictEqual((yield* repo.claim("sms", 10, later(30), later(90))).length, 0)
      assert.strictEqual((yield* repo.claim("email", 10, later(1), later(61))).length, 3)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ status: string; lease: Date }>`
        SELECT status, lease_expires_at AS lease FROM deliveries WHERE channel = 'sms'`
      assert.isTrue(
        rows.every((r) => r.status === "sending" && r.lease.getTime() === DateTime.toEpochMillis(later(61)))
      )
    }).pipe(Effect.provide(layer)))

  it.effect("leaves rows that are not due yet (info messages during quiet hours wait)", () =>
    Effect.gen(function*() {
      yield* postedAlert(3)
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE deliveries SET next_attempt_at = ${DateTime.toDateUtc(later(3600))}`
      const repo = yield* DeliveryRepo
      assert.strictEqual((yield* repo.claim("sms", 10, later(3599), later(3660))).length, 0)
      assert.strictEqual((yield* repo.claim("sms", 10, later(3600), later(3660))).length, 2)
    }).pipe(Effect.provide(layer)))

  it.effect("takes back rows whose lease expired, with one more attempt; the old claim can no longer record", () =>
    Effect.gen(function*() {
      yield* postedAlert(3)
      const repo = yield* DeliveryRepo
      const first = yield* repo.claim("sms", 10, later(1), later(61))
      assert.strictEqual(first.length, 2)
      const second = yield* repo.claim("sms", 10, later(61), later(121))
      assert.deepStrictEqual(second.map((d) => d.id).sort(), first.map((d) => d.id).sort())
      assert.isTrue(second.every((d) => d.attempts === 2))
      // The first worker wakes up late: its outcome is refused, the second's is kept.
      const stale = yield* repo.markRetry(
        first.map((d) => ({ id: d.id, attempts: d.attempts, at: later(62), error: "late" })),
        later(62)
      )
      assert.strictEqual(stale, 0)
      const fresh = yield* repo.markSent(
        second.map((d, i) => ({ id: d.id, attempts: d.attempts, providerId: `p${i}` })),
        later(63)
      )
      assert.strictEqual(fresh, 2)
      // Sent is final for the workers: nothing more to claim, and a second record changes nothing.
      assert.strictEqual((yield* repo.claim("sms", 10, later(10_000), later(10_060))).length, 0)
      assert.strictEqual(
        yield* repo.markSent(second.map((d) => ({ id: d.id, attempts: d.attempts, providerId: "again" })), later(64)),
        0
      )
      const sql = yield* SqlClient.SqlClient
      const ids = yield* sql<
        { provider_id: string }
      >`SELECT provider_id FROM deliveries WHERE channel = 'sms' ORDER BY provider_id`
      assert.deepStrictEqual(ids.map((r) => r.provider_id), ["p0", "p1"])
    }).pipe(Effect.provide(layer)))

  it.effect("renews only the rows still sending under the claim: not a recorded row, not one another worker took back", () =>
    Effect.gen(function*() {
      yield* postedAlert(4)
      const repo = yield* DeliveryRepo
      const [a, b, c] = yield* repo.claim("sms", 10, later(1), later(11))
      // a is recorded; b's lease ran out and another worker took it; c is still this claim's.
      yield* repo.markSent([{ id: a!.id, attempts: a!.attempts, providerId: "p" }], later(2))
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE deliveries SET next_attempt_at = ${DateTime.toDateUtc(later(3))} WHERE id = ${b!.id}`
      const [retaken] = yield* repo.claim("sms", 10, later(4), later(40))
      assert.strictEqual(retaken!.id, b!.id)
      const renewed = yield* repo.renew([a!, b!, c!], later(20))
      assert.deepStrictEqual(renewed, [c!.id])
      // The renewed lease holds: a claim before its new end finds nothing, one after it takes c back.
      assert.strictEqual((yield* repo.claim("sms", 10, later(15), later(25))).length, 0)
      const after = yield* repo.claim("sms", 10, later(21), later(31))
      assert.deepStrictEqual(after.map((d) => d.id), [c!.id])
    }).pipe(Effect.provide(layer)))

  it.effect("records retry (pending again, due later, error kept), failed and dead in one statement each", () =>
    Effect.gen(function*() {
      yield* postedAlert(5)
      const repo = yield* DeliveryRepo
      const [a, b, c, d] = yield* repo.claim("sms", 10, later(1), later(61))
      assert.strictEqual(
        yield* repo.markRetry([{ id: a!.id, attempts: 1, at: later(30), error: "HTTP 503" }], later(2)),
        1
      )
      assert.strictEqual(
        yield* repo.markFailed([{ id: b!.id, attempts: 1, error: "SmsRejected: invalid dst" }], later(2)),
        1
      )
      assert.strictEqual(
        yield* repo.markDead([{ id: c!.id, attempts: 1, error: "8 attempts, last: HTTP 429" }], later(2)),
        1
      )
      assert.strictEqual(yield* repo.markSent([{ id: d!.id, attempts: 1, providerId: "uuid-1" }], later(2)), 1)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ id: string; status: string; last_error: string | null; due: Date; lease: Date | null }>`
        SELECT id::text, status, last_error, next_attempt_at AS due, lease_expires_at AS lease FROM deliveries WHERE channel = 'sms'`
      const byId = new Map(rows.map((r) => [r.id, r]))
      assert.strictEqual(byId.get(a!.id)!.status, "pending")
      assert.strictEqual(byId.get(a!.id)!.due.getTime(), DateTime.toEpochMillis(later(30)))
      assert.strictEqual(byId.get(a!.id)!.last_error, "HTTP 503")
      assert.strictEqual(byId.get(b!.id)!.status, "failed")
      assert.strictEqual(byId.get(b!.id)!.last_error, "SmsRejected: invalid dst")
      assert.strictEqual(byId.get(c!.id)!.status, "dead")
      assert.strictEqual(byId.get(c!.id)!.last_error, "8 attempts, last: HTTP 429")
      assert.strictEqual(byId.get(d!.id)!.status, "sent")
      assert.isTrue(rows.every((r) => r.lease === null))
      // The retried row comes back when due, with its second attempt.
      assert.strictEqual((yield* repo.claim("sms", 10, later(29), later(89))).length, 0)
      const again = yield* repo.claim("sms", 10, later(30), later(90))
      assert.deepStrictEqual(again.map((r) => [r.id, r.attempts]), [[a!.id, 2]])
    }).pipe(Effect.provide(layer)))

  it.effect("concurrent claims never share a row (FOR UPDATE SKIP LOCKED)", () =>
    Effect.gen(function*() {
      yield* postedAlert(41)
      const repo = yield* DeliveryRepo
      const claims = yield* Effect.all(
        Array.from({ length: 6 }, () => repo.claim("sms", 9, later(1), later(61))),
        { concurrency: "unbounded" }
      )
      const ids = claims.flat().map((d) => d.id)
      assert.strictEqual(new Set(ids).size, ids.length)
      assert.strictEqual(ids.length, 40)
      assert.deepStrictEqual(yield* statuses, [{ status: "pending", n: 40 }, { status: "sending", n: 40 }])
    }).pipe(Effect.provide(layer)))
}, { timeout: "120 seconds" })
