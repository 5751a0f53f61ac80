import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import { signV3 } from "@vigie/adapters/sms/PlivoSignature"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import m0006 from "@vigie/adapters/sql/migrations/0006_inbound_sms"
import * as PgDeliveryReceipts from "@vigie/adapters/sql/PgDeliveryReceipts"
import * as PgInboundSms from "@vigie/adapters/sql/PgInboundSms"
import { phone } from "@vigie/adapters/test/sql/Fixtures"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { Community } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import * as SmsGateway from "@vigie/domain/sms/SmsGateway"
import * as SmsReplies from "@vigie/domain/sms/SmsReplies"
import * as InboxWakeup from "@vigie/domain/sms/InboxWakeup"
import { defaultInboxConfig } from "@vigie/domain/sms/InboxPolicy"
import { DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as Server from "../../src/http/Server.js"
import { plivoInboundRoute, INBOUND_PATH } from "../../src/http/PlivoInboundWebhook.js"
import { plivoStatusRoute } from "../../src/http/PlivoStatusWebhook.js"
import * as InboxWorker from "../../src/workers/InboxWorker.js"
import { CADAUJAC, homeAddress } from "../support/World.js"
import { platform } from "../support/TestPlatform.js"

export const AUTH_TOKEN = "test-plivo-auth-token"
export const publicUrl = new URL("https://vigie.example.fr")
export const webhookOptions = { publicUrl, authToken: Redacted.make(AUTH_TOKEN) }

/** Migration 0006 until the migration index lists it (then this finds the table and does nothing). */
export const ensureInboundTables = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ exists: boolean }>`SELECT to_regclass('inbound_sms') IS NOT NULL AS "exists"`
  if (row?.exists !== true) yield* m0006
}).pipe(Effect.orDie)

/**
 * The SMS gateway as the server runs it: PgInboundSms, the reply senders on the outbox SMS adapter
 * (rows in `sms_outbox` count what was sent), the gateway use case and the inbox's wake-ups; without
 * the inbox worker (see `smsServerLayer`).
 */
export const gatewayLayer = (options: SmsReplies.SmsRepliesOptions = {}) =>
  SmsGateway.layer().pipe(
    Layer.provideMerge(
      SmsReplies.layer({ sweepEvery: Duration.hours(1), ...options }).pipe(Layer.provide(OutboxSmsSender.layer))
    ),
    Layer.provideMerge(InboxWakeup.layer),
    Layer.provideMerge(PgInboundSms.layer),
    Layer.provide(Layer.effectDiscard(ensureInboundTables))
  )

/** The inbox's config in tests: the server's, with a short poll. */
export const testInboxConfig = { ...defaultInboxConfig, poll: Duration.millis(200) }

/**
 * The whole HTTP server (RPC, health, ...) on a random local port, with the Plivo webhook routes
 * mounted in front of it, as Server.ts will mount them; over the test platform and a fresh database.
 * The inbox worker runs in the background as in `serve` unless `inboxWorker` is false (then only
 * `drainInbox` handles recorded messages, so that a test sees the inbox as the webhooks left it).
 */
export const smsServerLayer = (db: TestDatabase, options: SmsReplies.SmsRepliesOptions = {}, inboxWorker = true) =>
  Layer.unwrapScoped(Effect.map(Server.app(), (rest) =>
    HttpServer.serve(
      HttpRouter.empty.pipe(
        plivoInboundRoute(webhookOptions),
        plivoStatusRoute(webhookOptions),
        Effect.catchTag("RouteNotFound", () => rest)
      )
    ))).pipe(
      Layer.provide(Server.handlers()),
      Layer.provide(RpcSerialization.layerNdjson),
      Layer.provideMerge(inboxWorker ? InboxWorker.layer(testInboxConfig) : Layer.empty),
      Layer.provideMerge(gatewayLayer(options)),
      Layer.provideMerge(PgDeliveryReceipts.layer),
      Layer.provideMerge(platform(db, publicUrl)),
      Layer.provideMerge(NodeHttpServer.layerTest)
    )

/** The server's base URL (http://127.0.0.1:port). */
export const baseUrl = Effect.gen(function*() {
  const address = (yield* HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
  return `http://127.0.0.1:${address.port}`
})

export interface PostOptions {
  /** "valid" (default), "none" (no headers), "forged" (a made-up signature), "wrong-url", "wrong-token". */
  readonly signature?: "valid" | "none" | "forged" | "wrong-url" | "wrong-token"
  readonly nonce?: string
}

/** Posts an inbound message as Plivo does (form fields, V3 signature over PUBLIC_URL + path). */
export const postInbound = (base: string, fields: Record<string, string>, options: PostOptions = {}) =>
  Effect.promise(async () => {
    const kind = options.signature ?? "valid"
    const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e15))
    const url = kind === "wrong-url" ? "https://attacker.example" + INBOUND_PATH : publicUrl.origin + INBOUND_PATH
    const token = kind === "wrong-token" ? "not-our-token" : AUTH_TOKEN
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" }
    if (kind !== "none") {
      headers["x-plivo-signature-v3"] = kind === "forged"
        ? "Zm9yZ2VkLXNpZ25hdHVyZS1mb3JnZWQtc2lnbmF0dXJlLWZvcmc="
        : signV3(token, { method: "POST", url, nonce, params: fields })
      headers["x-plivo-signature-v3-nonce"] = nonce
    }
    const response = await fetch(base + INBOUND_PATH, { method: "POST", headers,
      body: new URLSearchParams(fields).toString() })
    return { status: response.status, body: await response.text() }
  })

/** Plivo's form for an SMS from `from` (E.164 with "+", sent without it as Plivo does). */
export const sms = (from: string, text: string, messageUuid: string = crypto.randomUUID()) => ({
  From: from.replace(/^\+/, ""),
  To: "33647492626",
  Text: text,
  Type: "sms",
  MessageUUID: messageUuid
})

export interface Neighbourhood {
  readonly community: Community
  readonly other: Community
  /** Verified, with a verified phone and two earlier alerts: their alerts are published at once. */
  readonly author: Account
  /** Verified, no earlier alert: their first alerts are held. */
  readonly newcomer: Account
  /** Verified neighbours with a verified phone and an e-mail. */
  readonly neighbours: ReadonlyArray<Account>
  /** Verified phone, membership still pending. */
  readonly pending: Account
  /** Home community `other`, also verified in `community` (joined second). */
  readonly twoHomes: Account
}

const person = (tag: string, phoneVerified = true) =>
  Effect.flatMap(AccountRepo, (accounts) =>
    accounts.insert({
      firstName: "Voisin",
      lastName: tag,
      email: Option.some(`${tag.toLowerCase()}.${crypto.randomUUID().slice(0, 8)}@example.org` as Email),
      phone: Option.some(phone()),
      phoneVerified,
      passwordHash: Option.none(),
      staffRoles: []
    }).pipe(Effect.orDie))

const join = (account: Account, community: Community, status: MembershipStatus = "verified") =>
  Effect.flatMap(
    MembershipRepo,
    (memberships) =>
      memberships.insert({ accountId: account.id, communityId: community.id, role: "resident", status,
        address: homeAddress("3 rue des Vignes") })
        .pipe(Effect.orDie)
  )

/** A fresh pair of communities of Cadaujac with the people above; `neighbours` verified members besides. */
export const neighbourhood = (neighbours = 3) =>
  Effect.gen(function*() {
    const communities = yield* CommunityRepo
    const tag = crypto.randomUUID().slice(0, 6)
    const square = (x: number): Polygon => ({
      type: "Polygon",
      coordinates: [[[x, 44.74], [x + 0.01, 44.74], [x + 0.01, 44.75], [x, 44.75], [x, 44.74]]]
    })
    const x = -0.6 + Math.random() * 0.2
    const community = yield* communities.insert({ insee: CADAUJAC, name: `Vignes ${tag}`, perimeter: square(x) })
    const other = yield* communities.insert({ insee: CADAUJAC, name: `Lilas ${tag}`, perimeter: square(x + 0.02) })
    const author = yield* person("Auteur")
    const newcomer = yield* person("Nouveau")
    const pending = yield* person("Attente")
    const twoHomes = yield* person("DeuxQuartiers")
    yield* join(author, community)
    yield* join(newcomer, community)
    yield* join(pending, community, "pending_verification")
    yield* join(twoHomes, other)
    yield* join(twoHomes, community)
    const people: Array<Account> = []
    for (let i = 0; i < neighbours; i++) {
      const neighbour = yield* person(`Voisin${i}`)
      yield* join(neighbour, community)
      people.push(neighbour)
    }
    const alerts = yield* AlertPublisher
    const long_ago = DateTime.unsafeMake(Date.now() - 3 * 3_600_000)
    for (const text of ["Portail ouvert", "Chien perdu"]) {
      yield* alerts.post({
        scope: { _tag: "Community", communityId: community.id },
        authorId: author.id,
        origin: "web",
        category: "other",
        urgency: "info",
        text,
        place: Option.none(),
        sharedWithAuthorities: false,
        status: "published"
      }, long_ago)
    }
    return { community, other, author, newcomer, neighbours: people, pending, twoHomes } satisfies Neighbourhood
  })

export const phoneOf = (account: Account): PhoneE164 => Option.getOrThrow(account.phone)

/**
 * Awaits the inbox: handles every due message (as a poll of the inbox worker does), then waits while
 * the background worker still holds some (at most 10 s). Messages waiting for a retry are left.
 * Returns what this call handled itself.
 */
export const drainInbox = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const total = { claimed: 0, handled: 0, lost: 0, retried: 0, dead: 0 }
  for (let i = 0; i < 1000; i++) {
    const report = yield* InboxWorker.drain(testInboxConfig)
    total.claimed += report.claimed
    total.handled += report.handled
    total.lost += report.lost
    total.retried += report.retried
    total.dead += report.dead
    const [busy] = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM inbound_sms
      WHERE handling = 'handling' OR (handling = 'pending' AND handle_next_attempt_at <= now())`
    if (busy!.n === 0) return total
    yield* Effect.sleep(Duration.millis(10))
  }
  return yield* Effect.die("the inbox was not drained in 10 s")
})

/**
 * The inbound row of a message once handled (the inbox drained) and its reply (if any) settled:
 * sent, failed or cancelled. Waits up to 10 s.
 */
export const settledRow = (messageUuid: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* drainInbox
    for (let i = 0; i < 200; i++) {
      const rows = yield* sql<
        {
          outcome: string | null
          replyStatus: string | null
          replyKind: string | null
          replyText: string | null
          alertId: string | null
        }
      >`
        SELECT outcome, reply_status AS "replyStatus", reply_kind AS "replyKind", reply_text AS "replyText", alert_id::text AS "alertId"
        FROM inbound_sms WHERE message_uuid = ${messageUuid}`
      const row = rows[0]
      if (row !== undefined && row.replyStatus !== "pending" && row.replyStatus !== "sending") return row
      yield* Effect.sleep(Duration.millis(50))
    }
    return yield* Effect.die(`the reply of ${messageUuid} was not settled in 10 s`)
  })

/** The SMS the outbox adapter holds for a number, oldest first. */
export const outboxTo = (to: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.map(sql<{ text: string }>`SELECT text FROM sms_outbox WHERE destination = ${to} ORDER BY id`, (rows) =>
        rows.map((r) => r.text))
  )

/** Row counts of the tables a webhook may write. */
export const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<
    { alerts: number; deliveries: number; suppressions: number; inbound: number; outbox: number }
  >`
    SELECT (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM deliveries)::int AS deliveries,
           (SELECT count(*) FROM sms_suppressions)::int AS suppressions, (SELECT count(*) FROM inbound_sms)::int AS inbound,
           (SELECT count(*) FROM sms_outbox)::int AS outbox`
  return row!
})

/**
 * What the gateway commits for a handled message with a reply still to send, written as is (as if
 * the process died between the commit and the send).
 */
export const handledWithReply = (
  messageUuid: string,
  to: string,
  reply: { readonly kind: string; readonly text: string }
) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO inbound_sms (message_uuid, sender, from_number, to_number, text, type, received_at, handling, outcome,
        reply_kind, reply_to, reply_text, reply_status, reply_next_attempt_at)
      VALUES (${messageUuid}, ${to}, ${to.slice(1)}, '33647492626', 'AIDE', 'sms', now(), 'handled', 'help',
        ${reply.kind}, ${to}, ${reply.text}, 'pending', now())`.pipe(Effect.asVoid, Effect.orDie))
