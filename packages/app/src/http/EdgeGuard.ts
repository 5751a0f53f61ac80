import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import { NodeHttpServerRequest } from "@effect/platform-node"
import type { IncomingMessage } from "node:http"
import { isIP } from "node:net"
import { Readable } from "node:stream"
import type { RateCounters } from "@vigie/domain/shared/RateCounters"
import { Cause, Duration, Effect, Option } from "effect"
import type { Limit } from "../EdgeConfig.js"
import { isLoopback, normalizeAddress, resolveClientAddress, type TrustedProxies } from "./ClientAddress.js"

/** The largest body a webhook or a dev form may send: anything larger is answered 413 unread. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024

/** The largest body any other request may send (POST /rpc's own cap, RpcGate.MAX_RPC_BODY_BYTES). */
export const MAX_BODY_BYTES = 256 * 1024

/**
 * The largest body of POST /rpc when it carries one file (RpcGate: an UploadFile call alone, a 10 MB
 * file in base64 is about 13.4 MB); the gate holds every other RPC body to MAX_BODY_BYTES.
 */
export const MAX_UPLOAD_BODY_BYTES = 14 * 1024 * 1024

/** Strict-Transport-Security sent on every response when PUBLIC_URL is https (two years). */
export const HSTS = "max-age=63072000; includeSubDomains"

/** The RPC calls limited at the edge per address and platform-wide (without a session, or trying a code). */
export const EDGE_LIMITED_RPCS: ReadonlySet<string> = new Set([
  "LogIn",
  "Register",
  "RegisterWithProposal",
  "RequestPhoneCode",
  "ConfirmPhoneCode",
  "CompleteSignIn",
  "AcceptStaffInvitation",
  "ConfirmEmailChange",
  "RequestAccountClaim",
  "ClaimAccount"
])

/** Whether a call counts in the edge limits: those above, and every password-reset call. */
export const isEdgeLimitedRpc = (tag: string): boolean => EDGE_LIMITED_RPCS.has(tag) || tag.includes("PasswordReset")

const isDevPathname = (path: string): boolean => path === "/dev" || path.startsWith("/dev/")

/**
 * The forms of a request's path a router might take it for: as sent, percent-decoded, resolved
 * (dot segments), with repeated slashes collapsed, in lower case. A guard by path must hold for each.
 */
const pathForms = (url: string): ReadonlyArray<string> => {
  const raw = url.split(/[?#]/, 1)[0] ?? ""
  let decoded = raw
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    // Left as sent.
  }
  const forms = [raw, decoded].flatMap((p) => {
    let resolved = p
    try {
      resolved = new URL(p.replace(/^\/+/, "/"), "http://edge.invalid").pathname
    } catch {
      // Left as sent.
    }
    return [p, resolved, p.replace(/\/{2,}/g, "/")]
  })
  return [...new Set(forms.map((f) => f.toLowerCase()))]
}

/** Whether a request URL is the dev inbox's, in any form a router might accept. */
export const isDevPath = (url: string): boolean => pathForms(url).some(isDevPathname)

const isWebhookPath = (url: string): boolean => pathForms(url).some((p) => p.startsWith("/webhooks/"))

/**
 * Whether the dev inbox may answer: only a client on this very machine, judged on the socket's own
 * peer (never on X-Forwarded-For, whoever sent it), and only when no proxy stands between (a
 * forwarding header means a proxy on this machine relays someone else).
 */
export const devAllowed = (
  peer: Option.Option<string>,
  headers: Readonly<Record<string, string | undefined>>
): boolean =>
  Option.isSome(peer) && isLoopback(normalizeAddress(peer.value)) &&
  headers["x-forwarded-for"] === undefined && headers["forwarded"] === undefined && headers["x-real-ip"] === undefined

/** The 429 of every edge limit: Retry-After, and a typed body the web app shows in French. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  HttpServerResponse.unsafeJson(
    { _tag: "TooManyRequests", retryAfterSeconds },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } }
  )

/** 413, and the connection closed: the rest of the body is never read. */
const tooLarge = (maxBytes: number) =>
  HttpServerResponse.unsafeJson({ _tag: "RequestTooLarge", maxBytes }, { status: 413,
    headers: { connection: "close" } })

const notFound = HttpServerResponse.unsafeJson({ _tag: "NotFound" }, { status: 404 })

/**
 * Reads a Node request's body, at most `maxBytes`: the text, or none when it is longer (reading then
 * stops, the stream is left paused and the socket open, so that the 413 can still be written).
 */
const readCapped = (source: IncomingMessage, maxBytes: number) =>
  Effect.async<Option.Option<string>>((resume) => {
    const chunks: Array<Buffer> = []
    let bytes = 0
    const cleanup = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes <= maxBytes) return void chunks.push(chunk)
      cleanup()
      source.pause()
      resume(Effect.succeed(Option.none()))
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed(Option.some(Buffer.concat(chunks).toString("utf8"))))
    }
    const onError = () => {
      cleanup()
      resume(Effect.succeed(Option.none()))
    }
    source.on("data", onData)
    source.once("end", onEnd)
    source.once("error", onError)
    return Effect.sync(cleanup)
  })

/** The same request, its body already read: the handlers get `text` and `urlParamsBody` from it. */
const withBody = (request: HttpServerRequest.HttpServerRequest, body: string): HttpServerRequest.HttpServerRequest =>
  Object.create(request, {
    text: { value: Effect.succeed(body) },
    urlParamsBody: { value: Effect.succeed(UrlParams.fromInput(new URLSearchParams(body))) }
  }) as HttpServerRequest.HttpServerRequest

/**
 * The bucket of a client address: an IPv4 address itself; an IPv6 address its /64, which one
 * subscriber holds whole (counting single IPv6 addresses would let anyone rotate through billions).
 */
export const addressBucket = (address: string): string => {
  if (isIP(address) !== 6) return address
  const [head = "", tail] = address.split("::")
  const left = head === "" ? [] : head.split(":")
  const right = tail === undefined || tail === "" ? [] : tail.split(":")
  const groups = tail === undefined
    ? left
    : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
  return groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(":") + "::/64"
}

/** Counts a request of class `name` from `address` against `limit`; the seconds to wait when over. */
export const check = (counters: RateCounters["Type"], name: string, limit: Limit, address: string, cost = 1) =>
  Effect.map(
    counters.hit(
      [{ key: `${name}:addr:${addressBucket(address)}`, limit: limit.perAddress }, { key: `${name}:all`,
        limit: limit.platform }],
      Duration.toMillis(limit.window),
      cost
    ),
    (outcome) => outcome._tag === "Limited" ? Option.some(outcome.retryAfterSeconds) : Option.none()
  )

const nodeSource = (request: HttpServerRequest.HttpServerRequest): IncomingMessage | undefined => {
  const source: unknown = NodeHttpServerRequest.toIncomingMessage(request)
  return source instanceof Readable ? source as IncomingMessage : undefined
}

/** A request relayed by a proxy on a private network that is not trusted: a likely misconfiguration. */
const untrustedProxy = (request: HttpServerRequest.HttpServerRequest, trusted: TrustedProxies): boolean => {
  if (request.headers["x-forwarded-for"] === undefined || Option.isNone(request.remoteAddress)) return false
  const peer = normalizeAddress(request.remoteAddress.value)
  const isPrivate = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.)/.test(peer) || /^(f[cd]|::1$)/.test(peer)
  const family = isIP(peer) === 6 ? "ipv6" : "ipv4"
  return isPrivate && (trusted.isEmpty || !trusted.list.check(peer, family))
}

export interface EdgeGuardOptions {
  readonly publicUrl: URL
  readonly trustedProxies: TrustedProxies
  /** In-process counters and limits for the webhooks and the dev inbox; absent: not limited. */
  readonly webhooks?: { readonly counters: RateCounters["Type"]; readonly limit: Limit }
  readonly dev?: { readonly counters: RateCounters["Type"]; readonly limit: Limit }
}

/**
 * What every request passes before the routes:
 * - /dev and /dev/*: 404 unless the client is on this machine (devAllowed), then the dev limit;
 * - the webhooks: their limit per address and per process, before anything is read;
 * - webhook and /dev bodies: at most 64 KiB, refused 413 from Content-Length before reading, and
 *   while reading a chunked body (the connection is then closed); any other body at most 256 KiB,
 *   except POST /rpc, which may reach 14 MiB for one upload (its gate holds the other calls to 256 KiB);
 * and on the way out: Strict-Transport-Security when PUBLIC_URL is https, Cache-Control: no-store
 * on /rpc (answers carry personal data and session changes).
 */
export const guard = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  options: EdgeGuardOptions
) => {
  const https = options.publicUrl.protocol === "https:"
  let warnedUntrustedProxy = false
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!warnedUntrustedProxy && untrustedProxy(request, options.trustedProxies)) {
      warnedUntrustedProxy = true
      yield* Effect.logWarning(
        "X-Forwarded-For received from a private address that TRUSTED_PROXIES does not name: every client behind that proxy " +
          "is counted as the proxy's address in the limits. Set TRUSTED_PROXIES to the proxy's address or range."
      ).pipe(Effect.annotateLogs({ peer: Option.getOrElse(request.remoteAddress, () => "unknown") }))
    }
    const dev = isDevPath(request.url)
    const webhook = isWebhookPath(request.url)
    if (dev && !devAllowed(request.remoteAddress, request.headers)) return notFound
    const declared = request.headers["content-length"]
    // POST /rpc may carry one file: its gate decides (MAX_UPLOAD_BODY_BYTES alone, MAX_BODY_BYTES otherwise).
    const cap = request.method === "POST" && pathForms(request.url).includes("/rpc")
      ? MAX_UPLOAD_BODY_BYTES
      : MAX_BODY_BYTES
    if (declared !== undefined && !(Number(declared) <= cap)) return tooLarge(cap)
    if (dev || webhook) {
      const limited = dev ? options.dev : options.webhooks
      if (limited !== undefined) {
        const address = resolveClientAddress(
          request.remoteAddress,
          request.headers["x-forwarded-for"],
          options.trustedProxies
        )
        const wait = yield* check(limited.counters, dev ? "dev" : "webhook", limited.limit, address)
        if (Option.isSome(wait)) return tooManyRequests(wait.value)
      }
      if (request.method === "POST") {
        if (declared !== undefined && !(Number(declared) <= MAX_WEBHOOK_BODY_BYTES)) {
          return tooLarge(MAX_WEBHOOK_BODY_BYTES)
        }
        // Read here under the cap (a chunked body has no length); the handlers get what was read.
        const source = nodeSource(request)
        const body = source === undefined
          ? yield* request.text.pipe(
            HttpIncomingMessage.withMaxBodySize(Option.some(MAX_WEBHOOK_BODY_BYTES)),
            Effect.option
          )
          : yield* readCapped(source, MAX_WEBHOOK_BODY_BYTES)
        if (Option.isNone(body)) return tooLarge(MAX_WEBHOOK_BODY_BYTES)
        return yield* Effect.provideService(app, HttpServerRequest.HttpServerRequest, withBody(request, body.value))
      }
    }
    return yield* HttpIncomingMessage.withMaxBodySize(app, Option.some(cap))
  }).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause)
        : Effect.map(HttpServerError.causeResponse(cause), ([response]) => response).pipe(
          Effect.tap((response) => response.status >= 500 ? Effect.logError("Request failed", cause) : Effect.void)
        )
    ),
    Effect.flatMap((response) =>
      Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
        let out = response
        // A refused body is not read further: close rather than drain it (POST /rpc's 413 too).
        if (out.status === 413) out = HttpServerResponse.setHeader(out, "connection", "close")
        if (https) out = HttpServerResponse.setHeader(out, "strict-transport-security", HSTS)
        if (pathForms(request.url).includes("/rpc")) {
          out = HttpServerResponse.setHeader(out, "cache-control", "no-store")
        }
        return out
      })
    )
  )
}
