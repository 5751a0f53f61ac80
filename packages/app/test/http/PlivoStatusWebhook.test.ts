import { createServer } from "node:http"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { signV3 } from "@vigie/adapters/sms/PlivoSignature"
import * as PgDeliveryReceipts from "@vigie/adapters/sql/PgDeliveryReceipts"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import { bordeaux, repositories, square, truncate, verifiedResident } from "@vigie/adapters/test/sql/Fixtures"
import { describeEachDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { DeliveryId } from "@vigie/domain/delivery/Delivery"
import { DeliveryReceiptRepo } from "@vigie/domain/delivery/DeliveryReceiptRepo"
import { DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { plivoStatusRoute, STATUS_PATH } from "../../src/http/PlivoStatusWebhook.js"

const authToken = "test-plivo-auth-token"
const publicUrl = new URL("https://vigie.example.fr")
const now = DateTime.unsafeMake("2026-06-12T08:30:00Z")

/** The route alone on a random local port, as the main server will mount it. Returns its base URL. */
const webhookServer = Effect.gen(function*() {
  const app = HttpRouter.empty.pipe(plivoStatusRoute({ publicUrl, authToken: Redacted.make(authToken) }))
  const context = yield* Layer.build(
    HttpServer.serve(app).pipe(
      Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
      Layer.provide(PgDeliveryReceipts.layer)
    )
  )
  const server = yield* HttpServer.HttpServer.pipe(Effect.provide(context))
  const addressOf = server.address
  if (addressOf._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
  return `http://127.0.0.1:${addressOf.port}`
})

/** Posts a status callback as Plivo does; `sign: false` sends a forged signature. */
const postStatus = (
  base: string,
  fields: Record<string, string>,
  options: { readonly sign?: boolean; readonly signedUrl?: string; readonly token?: string } = {}
) =>
  Effect.promise(async () => {
    const nonce = String(Math.floor(Math.random() * 1e15))
    const url = options.signedUrl ?? publicUrl.origin + STATUS_PATH
    const signature = options.sign === false
      ? "Zm9yZ2VkLXNpZ25hdHVyZS1mb3JnZWQtc2lnbmF0dXJlLWZvcmc="
      : signV3(options.token ?? authToken, { method: "POST", url, nonce, params: fields })
    const response = await fetch(base + STATUS_PATH, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-plivo-signature-v3": signature,
        "x-plivo-signature-v3-nonce": nonce
      },
      body: new URLSearchParams(fields).toString()
    })
    return response.status
  })

/** Two neighbours and an alert by a third: two SMS deliveries, sent, with Plivo message ids. */
const sentSms = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* truncate(sql)
  const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Chartrons", perimeter: square })
  const ids = []
  for (let i = 0; i < 3; i++) {
    const account = yield* verifiedResident(community.id, i)
    ids.push(account.id)
  }
  yield* (yield* AlertPublisher).post({
    scope: { _tag: "Community", communityId: community.id },
    authorId: ids[0]!,
    origin: "web",
    category: "suspicious_vehicle",
    urgency: "urgent",
    text: "Voiture suspecte rue des Lilas",
    place: Option.none(),
    sharedWithAuthorities: false,
    status: "published"
  }, now)
  const rows = yield* sql<{ id: string; providerId: string }>`
    UPDATE deliveries SET status = 'sent', provider_id = 'plivo-' || id::text
    WHERE channel = 'sms' RETURNING id::text AS id, provider_id AS "providerId"`
  assert.strictEqual(rows.length, 2)
  return rows.map((r) => r.providerId)
})

const statusOf = (providerId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ status: string; lastError: string | null; updatedAt: Date }>`
      SELECT status, last_error AS "lastError", updated_at AS "updatedAt" FROM deliveries WHERE provider_id = ${providerId}`
      .pipe(
        Effect.map((rows) => rows[0]!)
      ))

describeEachDatabase("PlivoStatusWebhook over HTTP", (it) => {
  it.scoped("a signed receipt moves the delivery; a forged or mis-signed one gets 403 and writes nothing", () =>
    Effect.gen(function*() {
      const [first, second] = yield* sentSms.pipe(Effect.provide(repositories))
      const base = yield* webhookServer
      const before = yield* statusOf(second!)

      assert.strictEqual(yield* postStatus(base, { MessageUUID: first!, Status: "delivered", To: "+33600000000" }), 200)
      assert.strictEqual((yield* statusOf(first!)).status, "delivered")

      const forged = { MessageUUID: second!, Status: "failed", ErrorCode: "30" }
      assert.strictEqual(yield* postStatus(base, forged, { sign: false }), 403)
      assert.strictEqual(yield* postStatus(base, forged, { token: "not-our-token" }), 403)
      assert.strictEqual(
        yield* postStatus(base, forged, { signedUrl: "https://attacker.example/webhooks/plivo/status" }),
        403
      )
      const unsigned = yield* Effect.promise(() =>
        fetch(base + STATUS_PATH, { method: "POST", body: new URLSearchParams(forged),
          headers: { "content-type": "application/x-www-form-urlencoded" } })
      )
      assert.strictEqual(unsigned.status, 403)
      assert.deepStrictEqual(yield* statusOf(second!), before)
    }))

  it.scoped("the same receipt four times (Plivo's retries) has one effect", () =>
    Effect.gen(function*() {
      const [first] = yield* sentSms.pipe(Effect.provide(repositories))
      const base = yield* webhookServer
      const receipt = { MessageUUID: first!, Status: "undelivered", ErrorCode: "200" }
      yield* postStatus(base, receipt)
      const once = yield* statusOf(first!)
      assert.deepStrictEqual({ status: once.status, lastError: once.lastError }, { status: "failed",
        lastError: "provider: 200" })
      for (let i = 0; i < 3; i++) assert.strictEqual(yield* postStatus(base, receipt), 200)
      assert.deepStrictEqual(yield* statusOf(first!), once)
    }))

  it.scoped("receipts out of order: an older status never overwrites a newer one", () =>
    Effect.gen(function*() {
      const [first, second] = yield* sentSms.pipe(Effect.provide(repositories))
      const base = yield* webhookServer
      for (const status of ["delivered", "sent", "queued", "failed"]) {
        assert.strictEqual(yield* postStatus(base, { MessageUUID: first!, Status: status }), 200)
      }
      assert.strictEqual((yield* statusOf(first!)).status, "delivered")
      for (const status of ["queued", "sent", "failed", "delivered"]) {
        yield* postStatus(base, { MessageUUID: second!, Status: status, ErrorCode: "30" })
      }
      assert.strictEqual((yield* statusOf(second!)).status, "failed")
    }))

  it.scoped("unknown message ids and statuses we do not track are answered 200 and change no delivery", () =>
    Effect.gen(function*() {
      const [first] = yield* sentSms.pipe(Effect.provide(repositories))
      const base = yield* webhookServer
      assert.strictEqual(yield* postStatus(base, { MessageUUID: "never-sent-by-us", Status: "delivered" }), 200)
      assert.strictEqual(yield* postStatus(base, { MessageUUID: first!, Status: "read" }), 200)
      assert.strictEqual(yield* postStatus(base, { Status: "delivered" }), 400)
      assert.strictEqual((yield* statusOf(first!)).status, "sent")
    }))

  it.scoped("a receipt that arrives before markSent committed is kept, and applied when markSent lands", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [first, second] = yield* sentSms.pipe(Effect.provide(repositories))
      // The deliveries as a worker holds them between the provider's answer and its markSent.
      const claimed = yield* sql<{ id: DeliveryId; providerId: string }>`
        UPDATE deliveries SET status = 'sending', attempts = 1, provider_id = NULL
        WHERE provider_id IN (${first!}, ${second!})
        RETURNING id::text AS id, 'plivo-' || id::text AS "providerId"`
      const base = yield* webhookServer
      assert.strictEqual(yield* postStatus(base, { MessageUUID: first!, Status: "delivered" }), 200)
      for (const status of ["sent", "undelivered", "delivered"]) {
        assert.strictEqual(yield* postStatus(base, { MessageUUID: second!, Status: status, ErrorCode: "30" }), 200)
      }
      const kept = (id: string) =>
        Effect.map(
          sql<{ n: number }>`SELECT count(*)::int AS n FROM delivery_receipts_kept WHERE provider_id = ${id}`,
          (r) => r[0]!.n
        )
      assert.deepStrictEqual([yield* kept(first!), yield* kept(second!)], [1, 3])
      const waiting = yield* sql<{ status: string }>`SELECT status FROM deliveries WHERE id IN ${
        sql.in(claimed.map((c) => c.id))
      }`
      assert.deepStrictEqual(waiting.map((r) => r.status), ["sending", "sending"])

      const deliveries = yield* DeliveryRepo.pipe(Effect.provide(PgDeliveryRepo.layer))
      const marked = yield* deliveries.markSent(
        claimed.map((c) => ({ id: c.id, attempts: 1, providerId: c.providerId })),
        now
      )
      assert.strictEqual(marked, 2)
      assert.strictEqual((yield* statusOf(first!)).status, "delivered")
      // In arrival order: sent, then failed (final), and the later "delivered" changes nothing.
      const failed = yield* statusOf(second!)
      assert.deepStrictEqual({ status: failed.status, lastError: failed.lastError }, { status: "failed",
        lastError: "provider: 30" })
      assert.deepStrictEqual([yield* kept(first!), yield* kept(second!)], [0, 0])
      // Plivo's retry of the first receipt, now matched: one effect in all.
      assert.strictEqual(yield* postStatus(base, { MessageUUID: first!, Status: "delivered" }), 200)
      assert.strictEqual(yield* kept(first!), 0)
    }))

  it.scoped("a kept receipt that markSent did not see is applied by the sweep; unclaimed ones are dropped after a day", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [first] = yield* sentSms.pipe(Effect.provide(repositories))
      const receipts = yield* DeliveryReceiptRepo.pipe(Effect.provide(PgDeliveryReceipts.layer))
      // Kept while markSent was between its trigger and its commit: the delivery already has the id.
      yield* sql`INSERT INTO delivery_receipts_kept (provider_id, status, last_error, received_at)
                 VALUES (${first!}, 'delivered', NULL, now()), ('plivo-never', 'delivered', NULL, now() - interval '2 days')`
      assert.strictEqual(yield* receipts.sweepKept(yield* DateTime.now), 1)
      assert.strictEqual((yield* statusOf(first!)).status, "delivered")
      const left = yield* sql`SELECT 1 FROM delivery_receipts_kept WHERE provider_id IN (${first!}, 'plivo-never')`
      assert.strictEqual(left.length, 0)
      assert.strictEqual(yield* receipts.sweepKept(yield* DateTime.now), 0)
    }))
})
