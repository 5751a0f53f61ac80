import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import { databases, type TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { SmsGateway } from "@vigie/domain/sms/SmsGateway"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { request, type IncomingHttpHeaders } from "node:http"
import { createServer } from "node:http"
import { networkInterfaces } from "node:os"
import type { EdgeLimits } from "../../src/EdgeConfig.js"
import { parseTrustedProxies } from "../../src/http/ClientAddress.js"
import { addressBucket, devAllowed, isDevPath } from "../../src/http/EdgeGuard.js"
import * as Server from "../../src/http/Server.js"
import { requestLine } from "../support/HttpHarness.js"
import { AUTH_TOKEN, gatewayLayer } from "../sms/Support.js"
import { platform } from "../support/TestPlatform.js"

const site = new URL("https://vigie.example.fr")
const week = Duration.days(7)

/** Small limits, in windows long enough that no test straddles two. */
const limits: EdgeLimits = {
  auth: { perAddress: 3, platform: 8, window: week },
  webhooks: { perAddress: 3, platform: 100, window: week },
  dev: { perAddress: 100, platform: 100, window: week }
}

const trusted = parseTrustedProxies("127.0.0.1")
if (trusted._tag === "Left") throw new Error("bad proxy list")

/** A local address of this machine that is not loopback (a peer the server cannot take for itself). */
const outsideAddress = Object.values(networkInterfaces()).flat()
  .find((i) => i !== undefined && !i.internal && i.family === "IPv4")?.address

/**
 * The server as `serve` wires it in production behind a proxy on 127.0.0.1 (TRUSTED_PROXIES), with
 * the dev inbox mounted (to prove it answers only to this machine), Plivo's webhooks, small limits,
 * https PUBLIC_URL; listening on every interface so that a non-loopback peer can reach it.
 */
const edgeServer = (db: TestDatabase, url: URL = site, edgeLimits: EdgeLimits | undefined = limits) =>
  Layer.unwrapEffect(Effect.map(SmsGateway, (gateway) =>
    Server.layer({
      devInbox: true,
      sms: { authToken: Redacted.make(AUTH_TOKEN), gateway },
      plivoAuthToken: Redacted.make(AUTH_TOKEN),
      trustedProxies: trusted.value,
      ...(edgeLimits === undefined ? {} : { edgeLimits })
    }))).pipe(
      Layer.provideMerge(gatewayLayer()),
      Layer.provideMerge(PgRateCounters.layer),
      Layer.provideMerge(platform(db, url)),
      Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "0.0.0.0" }))
    )

interface Reply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** Bytes of the request body written before the answer came. */
  readonly sent: number
}

interface Send {
  readonly method?: string
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string
  /** From this local address (the peer the server sees): 127.0.0.1 by default. */
  readonly from?: string
  /**
   * A body of `bytes` (announced in Content-Length when `contentLength`, else chunked) of which only
   * the first `sendFirst` bytes are sent, 16 KiB at a time; the request then stays open, unfinished,
   * until the server answers (so that the answer cannot have waited for the end of the body).
   */
  readonly stream?: { readonly bytes: number; readonly contentLength: boolean; readonly sendFirst: number }
}

const port = Effect.map(
  HttpServer.HttpServer,
  (server) => server.address._tag === "TcpAddress" ? server.address.port : 0
)

/** One request with node:http, so that the peer address, the headers and the body's pace are ours. */
const send = (options: Send) =>
  Effect.flatMap(port, (p) =>
    Effect.async<Reply>((resume) => {
      const from = options.from ?? "127.0.0.1"
      let sent = 0
      let answered = false
      const req = request({
        host: from,
        localAddress: from,
        port: p,
        method: options.method ?? (options.body === undefined && options.stream === undefined ? "GET" : "POST"),
        path: options.path,
        headers: {
          ...(options.stream?.contentLength === true ? { "content-length": String(options.stream.bytes) } : {}),
          ...options.headers
        }
      }, (res) => {
        answered = true
        let body = ""
        res.on("data", (c: Buffer) => (body += c.toString()))
        res.on("end", () => resume(Effect.succeed({ status: res.statusCode!, headers: res.headers, body, sent })))
        res.on("error", () => resume(Effect.succeed({ status: res.statusCode!, headers: res.headers, body, sent })))
      })
      // Once the server refused and closed, the rest of a streamed body fails to go out: expected.
      req.on("error", (error) => {
        if (!answered) resume(Effect.die(error))
      })
      if (options.stream === undefined) {
        req.end(options.body)
        return
      }
      const first = Math.min(options.stream.sendFirst, options.stream.bytes)
      const chunk = Buffer.alloc(16 * 1024, "a")
      req.flushHeaders()
      const pump = () => {
        if (answered || req.destroyed || sent >= first) return
        sent += chunk.length
        req.write(chunk)
        setTimeout(pump, 2)
      }
      setTimeout(pump, 20)
    }))

const rpcHeaders = (extra: Record<string, string> = {}) => ({
  origin: site.origin,
  "x-vigie-rpc": "1",
  "content-type": "application/ndjson",
  ...extra
})
const logIn = (email = "nobody@example.org") => requestLine("LogIn", { email, password: "not-the-password-2026" })
const asClient = (address: string) => ({ "x-forwarded-for": address })

const retryAfter = (reply: Reply) => Number(reply.headers["retry-after"])

for (const db of databases) {
  describe(`Edge of the platform, over real HTTP [${db.name}]`, () => {
    layer(edgeServer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "production behind a trusted proxy",
      (it) => {
        it.effect("log-in: the N+1th request from one address is answered 429 with Retry-After; another address is not affected", () =>
          Effect.gen(function*() {
            for (let i = 0; i < 3; i++) {
              const reply = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.1")), body: logIn() })
              expect(reply.status).toBe(200)
              expect(reply.body).toContain("InvalidCredentials")
            }
            const refused = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.1")), body: logIn() })
            expect(refused.status).toBe(429)
            expect(retryAfter(refused)).toBeGreaterThan(0)
            expect(JSON.parse(refused.body)).toEqual({ _tag: "TooManyRequests",
              retryAfterSeconds: retryAfter(refused) })
            expect(refused.headers["cache-control"]).toBe("no-store")
            // A forged first entry does not help: the proxy appended the real address last.
            const forged = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("203.0.113.50, 198.51.100.1")),
              body: logIn() })
            expect(forged.status).toBe(429)
            // Another address logs in as usual, and calls that need no limit go through for the refused one.
            const other = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.2")), body: logIn() })
            expect(other.status).toBe(200)
            const communes = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.1")),
              body: requestLine("FindCommunes", { postcode: "33140" }) })
            expect(communes.status).toBe(200)
            expect(communes.body).toContain("Cadaujac")
            // Registration counts in the same limit.
            const register = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.1")),
              body: requestLine("Register", {}) })
            expect(register.status).toBe(429)
          }))

        it.effect("X-Forwarded-For is believed only from a trusted proxy: from elsewhere, every request counts for the peer", () =>
          Effect.gen(function*() {
            if (outsideAddress === undefined) {
              return yield* Effect.logWarning("no non-loopback address on this machine: skipped")
            }
            const statuses: Array<number> = []
            for (let i = 0; i < 4; i++) {
              const reply = yield* send({ from: outsideAddress, path: "/rpc",
                headers: rpcHeaders(asClient(`203.0.113.${i + 1}`)), body: logIn() })
              statuses.push(reply.status)
            }
            expect(statuses).toEqual([200, 200, 200, 429])
          }))

        it.effect("the platform-wide ceiling holds whatever the address, and an address already refused does not use it up", () =>
          Effect.gen(function*() {
            // 3 + 1 allowed above, 3 more from outside: 7 of 8. The refused ones did not count.
            const before = outsideAddress === undefined ? 4 : 7
            const statuses: Array<number> = []
            for (let i = 0; i < 8 - before + 1; i++) {
              const reply = yield* send({ path: "/rpc", headers: rpcHeaders(asClient(`192.0.2.${100 + i}`)),
                body: logIn() })
              statuses.push(reply.status)
            }
            expect(statuses.filter((s) => s === 200)).toHaveLength(8 - before)
            expect(statuses.at(-1)).toBe(429)
            const fresh = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("192.0.2.250")), body: logIn() })
            expect(fresh.status).toBe(429)
            expect(retryAfter(fresh)).toBeGreaterThan(0)
          }))

        it.effect("Plivo's webhooks: an unsigned flood from one address is answered 429 before anything is read; another address is not", () =>
          Effect.gen(function*() {
            const form = { "content-type": "application/x-www-form-urlencoded" }
            const statuses: Array<number> = []
            for (let i = 0; i < 4; i++) {
              const reply = yield* send({ path: "/webhooks/plivo/status",
                headers: { ...form, ...asClient("198.51.100.66") }, body: "MessageUUID=x&Status=delivered" })
              statuses.push(reply.status)
            }
            expect(statuses).toEqual([403, 403, 403, 429])
            const other = yield* send({ path: "/webhooks/plivo/sms", headers: { ...form, ...asClient("198.51.100.67") },
              body: "From=33600000000&Text=x" })
            expect(other.status).toBe(403)
          }))

        it.effect("a 30 MB unsigned webhook body is answered 413 at once, from its Content-Length, without being read", () =>
          Effect.gen(function*() {
            const reply = yield* send({
              path: "/webhooks/plivo/sms",
              headers: { "content-type": "application/x-www-form-urlencoded", ...asClient("198.51.100.70") },
              stream: { bytes: 30 * 1024 * 1024, contentLength: true, sendFirst: 0 }
            })
            expect(reply.status).toBe(413)
            expect(reply.headers["connection"]).toBe("close")
            expect(reply.sent).toBe(0)
          }))

        it.effect("any other 30 MB body (POST /rpc, an unknown path) is answered 413 from its Content-Length, the connection closed", () =>
          Effect.gen(function*() {
            for (const path of ["/rpc", "/somewhere"]) {
              const reply = yield* send({ path, headers: rpcHeaders(),
                stream: { bytes: 30 * 1024 * 1024, contentLength: true, sendFirst: 0 } })
              expect(reply.status).toBe(413)
              expect(reply.headers["connection"]).toBe("close")
            }
          }))

        it.effect("a chunked body without Content-Length is cut at 64 KiB while reading: 413 before its end, the rest never read", () =>
          Effect.gen(function*() {
            const reply = yield* send({
              path: "/webhooks/plivo/status",
              headers: { "content-type": "application/x-www-form-urlencoded", ...asClient("198.51.100.71") },
              stream: { bytes: 30 * 1024 * 1024, contentLength: false, sendFirst: 80 * 1024 }
            })
            expect(reply.status).toBe(413)
            expect(reply.headers["connection"]).toBe("close")
            expect(reply.sent).toBe(80 * 1024)
          }))

        it.effect("the dev inbox answers only on this machine: 404 to another peer, and through a proxy, even a trusted one", () =>
          Effect.gen(function*() {
            expect((yield* send({ path: "/dev" })).status).toBe(200)
            expect((yield* send({ path: "/dev", headers: asClient("127.0.0.1") })).status).toBe(404)
            expect((yield* send({ path: "/dev/outbox", headers: asClient("198.51.100.9") })).status).toBe(404)
            expect((yield* send({ path: "//dev", headers: asClient("198.51.100.9") })).status).toBe(404)
            const forged = yield* send({
              path: "/dev/sms",
              headers: { "content-type": "application/x-www-form-urlencoded", ...asClient("127.0.0.1") },
              body: "from=%2B33600000001&text=VOL"
            })
            expect(forged.status).toBe(404)
            if (outsideAddress !== undefined) {
              for (const path of ["/dev", "/dev/outbox", "//dev/outbox", "/%64ev/outbox", "/x/../dev"]) {
                expect((yield* send({ from: outsideAddress, path })).status).toBe(404)
              }
              expect(
                (yield* send({ from: outsideAddress, path: "/dev/sms",
                  headers: { "content-type": "application/x-www-form-urlencoded" },
                  body: "from=%2B33600000001&text=VOL" })).status
              ).toBe(404)
            }
            // On this machine the form works: it posts a signed webhook, which passes the edge with its body.
            const sms = yield* send({ path: "/dev/sms",
              headers: { "content-type": "application/x-www-form-urlencoded" }, body: "from=%2B33757009998&text=AIDE" })
            expect(sms.status).toBe(303)
            expect(sms.headers["location"]).toBe("/dev?sms=200#sms")
            // The dev SMS form's body is capped like a webhook's.
            const big = yield* send({ path: "/dev/sms",
              stream: { bytes: 1024 * 1024, contentLength: true, sendFirst: 0 },
              headers: { "content-type": "application/x-www-form-urlencoded" } })
            expect(big.status).toBe(413)
          }))

        it.effect("https: Strict-Transport-Security on every response; /rpc answers are never cached", () =>
          Effect.gen(function*() {
            const replies = [
              yield* send({ path: "/healthz" }),
              yield* send({ path: "/nowhere/at/all" }),
              yield* send({ path: "/rpc", headers: rpcHeaders(),
                body: requestLine("FindCommunes", { postcode: "33140" }) }),
              yield* send({ path: "/rpc", headers: { origin: "https://evil.example" }, body: "{}" })
            ]
            for (const reply of replies) expect(reply.headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}/)
            expect(replies[0]!.headers["cache-control"]).toBeUndefined()
            expect(replies[2]!.headers["cache-control"]).toBe("no-store")
            expect(replies[3]!.status).toBe(403)
            expect(replies[3]!.headers["cache-control"]).toBe("no-store")
          }))
      }
    )

    layer(edgeServer(db, site, { ...limits, auth: { perAddress: 3, platform: 1000, window: week } }), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("under concurrency", (it) => {
      it.effect("of 8 log-ins fired at once from one address, exactly 3 are let through", () =>
        Effect.gen(function*() {
          const replies = yield* Effect.all(
            Array.from({ length: 8 }, () =>
              send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.80")), body: logIn() })),
            { concurrency: "unbounded" }
          )
          expect(replies.filter((r) =>
            r.status === 200
          )).toHaveLength(3)
          expect(replies.filter((r) => r.status === 429)).toHaveLength(5)
        }))

      it.effect("one body carrying more log-ins than the address has left is refused whole, nothing tried", () =>
        Effect.gen(function*() {
          const body = [1, 2, 3, 4].map((i) =>
            requestLine("LogIn", { email: "nobody@example.org", password: "guess-number-" + i }, String(i))
          ).join("\n")
          const reply = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.81")), body })
          expect(reply.status).toBe(429)
          expect(reply.body).not.toContain("InvalidCredentials")
        }))
      it.effect("the staff's second step, invitations and e-mail change links count at the edge like log-ins: the 4th from one address is 429", () =>
        Effect.gen(function*() {
          const headers = rpcHeaders(asClient("198.51.100.82"))
          const calls = [
            requestLine("CompleteSignIn", { challenge: "bm9ib2R5cy1jaGFsbGVuZ2U", code: "000000" }),
            requestLine("AcceptStaffInvitation", { token: "bm9ib2R5cy1pbnZpdGF0aW9u",
              password: "une phrase de passe assez longue" }),
            requestLine("ConfirmEmailChange", { token: "bm9ib2R5cy10b2tlbg" }),
            requestLine("CompleteSignIn", { challenge: "bm9ib2R5cy1jaGFsbGVuZ2U", code: "111111" })
          ]
          const replies: Array<Reply> = []
          for (const body of calls) replies.push(yield* send({ path: "/rpc", headers, body }))
          expect(replies.map((r) => r.status)).toStrictEqual([200, 200, 200, 429])
          expect(replies[0]!.body).toContain("SignInChallengeExpired")
          expect(replies[1]!.body).toContain("InvitationNotFound")
          expect(replies[2]!.body).toContain("LinkNotFound")
          expect(retryAfter(replies[3]!)).toBeGreaterThan(0)
          // Another address is not affected.
          const other = yield* send({ path: "/rpc", headers: rpcHeaders(asClient("198.51.100.83")), body: calls[0]! })
          expect(other.status).toBe(200)
        }))
    })

    layer(edgeServer(db, new URL("http://localhost:3000"), undefined), { excludeTestServices: true,
      timeout: Duration.seconds(120) })("plain http (development)", (it) => {
        it.effect("no Strict-Transport-Security over http", () =>
          Effect.gen(function*() {
            const reply = yield* send({ path: "/healthz" })
            expect(reply.status).toBe(200)
            expect(reply.headers["strict-transport-security"]).toBeUndefined()
          }))
      })
  })
}

describe("the dev inbox's door", () => {
  it("opens to the socket's own loopback peer only, with no forwarding header at all", () => {
    expect(devAllowed(Option.some("127.0.0.1"), {})).toBe(true)
    expect(devAllowed(Option.some("::ffff:127.0.0.1"), {})).toBe(true)
    expect(devAllowed(Option.some("::1"), {})).toBe(true)
    expect(devAllowed(Option.some("192.0.2.2"), {})).toBe(false)
    expect(devAllowed(Option.some("10.0.0.1"), { "x-forwarded-for": "127.0.0.1" })).toBe(false)
    expect(devAllowed(Option.some("127.0.0.1"), { "x-forwarded-for": "127.0.0.1" })).toBe(false)
    expect(devAllowed(Option.some("127.0.0.1"), { forwarded: "for=127.0.0.1" })).toBe(false)
    expect(devAllowed(Option.some("127.0.0.1"), { "x-real-ip": "127.0.0.1" })).toBe(false)
    expect(devAllowed(Option.none(), {})).toBe(false)
  })

  it("knows the dev inbox's paths in every spelling a router might accept", () => {
    for (
      const url of ["/dev", "/dev/", "/dev/outbox?x=1", "/dev/sms", "//dev", "/%64ev/outbox", "/x/../dev", "/DEV",
        "/./dev/sms"]
    ) {
      expect(isDevPath(url)).toBe(true)
    }
    for (const url of ["/", "/developpeurs", "/rpc", "/alertes/dev", "/webhooks/plivo/sms"]) {
      expect(isDevPath(url)).toBe(false)
    }
  })
})

describe("the bucket an address counts in", () => {
  it("is the IPv4 address itself, and an IPv6 address's /64 (one subscriber's whole range)", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7")
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64")
    expect(addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64")
    expect(addressBucket("2001:db8::5")).toBe("2001:db8:0:0::/64")
    expect(addressBucket("::1")).toBe("0:0:0:0::/64")
    expect(addressBucket("fd00:0001:0:0::9")).toBe("fd00:1:0:0::/64")
    expect(addressBucket("unknown")).toBe("unknown")
  })
})
