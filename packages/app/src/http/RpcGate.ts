import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Rpc } from "@effect/rpc"
import { InvalidRequest } from "@vigie/domain/shared/InvalidRequest"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import type { Scope } from "effect"
import {
  CLIENT_IP_HEADER,
  noTrustedProxies,
  type TrustedProxies,
  current as currentClientAddress
} from "./ClientAddress.js"
import { EXCHANGE_HEADER, ResponseCookies } from "./ResponseCookies.js"
import { isEdgeLimitedRpc, MAX_UPLOAD_BODY_BYTES, tooManyRequests } from "./EdgeGuard.js"

/** The header every RPC call must carry (a cross-site form cannot set it). */
export const RPC_HEADER = "x-vigie-rpc"

/** The largest RPC request body accepted. */
export const MAX_RPC_BODY_BYTES = 256 * 1024

/**
 * The largest body of a request carrying one file (UploadFile alone): a 10 MB file in base64 is about
 * 13.4 MB, plus its JSON envelope. Anything larger is refused (413) before it is parsed.
 */
export { MAX_UPLOAD_BODY_BYTES }

/** The calls whose body may exceed MAX_RPC_BODY_BYTES (up to MAX_UPLOAD_BODY_BYTES), each alone in its request. */
export const LARGE_BODY_RPCS: ReadonlySet<string> = new Set(["UploadFile"])

/** At most this many calls in one POST /rpc body (the RPC server runs them concurrently). */
export const MAX_CALLS_PER_BODY = 4

/**
 * Calls of which one body may carry at most one: each costs an Argon2 hash, an SMS or a letter, or
 * tries a secret (a password, a code, a link's token), so that a body never multiplies the guesses.
 */
export const SENSITIVE_RPCS: ReadonlySet<string> = new Set([
  "LogIn",
  "RequestAccountClaim",
  "ClaimAccount",
  "RegisterPaperNeighbour",
  "Register",
  "RegisterWithProposal",
  "RequestPhoneCode",
  "RequestActivationLetter",
  "CompleteSignIn",
  "AcceptStaffInvitation",
  "ChangePassword",
  "RequestEmailChange",
  "ConfirmEmailChange",
  "EraseMyAccount",
  "ConfirmPhoneCode",
  "ConfirmActivationCode",
  "ConfirmTotpEnrolment"
])

/** Whether a call is one of the sensitive ones: those above, and every password-reset call. */
export const isSensitiveRpc = (tag: string): boolean => SENSITIVE_RPCS.has(tag) || tag.includes("PasswordReset")

/**
 * Why a body was refused as a whole before anything ran (400): more than MAX_CALLS_PER_BODY calls,
 * more than one sensitive call, or a call carrying its own headers (only the HTTP request's count).
 */
export type BatchRefusal = "too_many_calls" | "too_many_sensitive_calls" | "call_headers"

export interface GateOptions {
  readonly publicUrl: URL
  /** The origins whose pages may call (`acceptedOrigins`); PUBLIC_URL's alone by default. */
  readonly origins?: ReadonlySet<string>
  readonly rpcs: ReadonlyMap<string, Rpc.AnyWithProps>
  readonly maxBodyBytes?: number
  /** The largest body of a request carrying one call of LARGE_BODY_RPCS; MAX_UPLOAD_BODY_BYTES by default. */
  readonly maxUploadBodyBytes?: number
  /** Whose X-Forwarded-For names the client (TRUSTED_PROXIES); none by default. */
  readonly trustedProxies?: TrustedProxies
  /**
   * The edge limit of the calls anyone may make without a session (isEdgeLimitedRpc): counts `cost`
   * calls from `address`, and gives the seconds to wait when over (the whole request is then 429).
   */
  readonly edgeLimit?: (address: string, cost: number) => Effect.Effect<Option.Option<number>>
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"]

/**
 * The origins whose pages may call the RPC: PUBLIC_URL's; with `loopback` (development) and a
 * PUBLIC_URL on a loopback name, also the other loopback names of the same scheme and port, so that
 * http://127.0.0.1:3000 works as well as http://localhost:3000. A real site keeps its one origin.
 */
export const acceptedOrigins = (publicUrl: URL, loopback: boolean): ReadonlySet<string> => {
  const own = publicUrl.origin
  if (!loopback || !LOOPBACK_NAMES.includes(publicUrl.hostname)) return new Set([own])
  const port = publicUrl.port === "" ? "" : `:${publicUrl.port}`
  return new Set([own, ...LOOPBACK_NAMES.map((name) => `${publicUrl.protocol}//${name}${port}`)])
}

const refuse = (status: number, body: Record<string, unknown>) => HttpServerResponse.unsafeJson(body, { status })

const encodeInvalid = Schema.encodeSync(InvalidRequest)

const failureExit = (requestId: string, issue: string) => ({
  _tag: "Exit",
  requestId,
  exit: { _tag: "Failure",
    cause: { _tag: "Fail", error: encodeInvalid(new InvalidRequest({ issue: issue.slice(0, 2000) })) } }
})

type Message = { readonly _tag: string; readonly [key: string]: unknown }

const isMessage = (u: unknown): u is Message =>
  typeof u === "object" && u !== null && !Array.isArray(u) && typeof (u as { _tag?: unknown })._tag === "string"

/**
 * Everything POST /rpc checks before the RPC server sees a request, so that nothing malformed
 * reaches a handler and every refusal is typed:
 * - CSRF: the custom header, and an Origin among `origins` (PUBLIC_URL's) (403 CsrfRejected, naming PUBLIC_URL's);
 * - size: at most 256 KiB (413 RequestTooLarge), except a request made of one UploadFile call alone,
 *   which may reach 14 MiB (a 10 MB file in base64);
 * - framing: every NDJSON line a JSON message (400 MalformedRequest);
 * - batches: at most 4 calls, at most one sensitive call (log-in, registration, codes, letters,
 *   password reset, and every call that checks a password, a code or a link), no call with its own headers (400 BatchRefused, nothing runs);
 * - payloads: each request's payload decoded against its schema, unknown fields refused; a bad one
 *   is answered in the protocol with the RPC's typed InvalidRequest error, and nothing runs.
 * It also opens the cookie exchange through which log-in and log-out set the session cookie.
 */
export const gate = (rpcApp: HttpApp.Default<never, Scope.Scope>, options: GateOptions) => {
  const origin = options.publicUrl.origin
  const origins = options.origins ?? new Set([origin])
  const secure = options.publicUrl.protocol === "https:"
  const maxBytes = options.maxBodyBytes ?? MAX_RPC_BODY_BYTES
  const maxUploadBytes = Math.max(maxBytes, options.maxUploadBodyBytes ?? MAX_UPLOAD_BODY_BYTES)
  const decoders = new Map(
    [...options.rpcs].map(([tag, rpc]) => [
      tag,
      Schema.decodeUnknownEither(rpc.payloadSchema as Schema.Schema<unknown, unknown, never>, {
        onExcessProperty: "error",
        errors: "first"
      })
    ])
  )

  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.headers[RPC_HEADER] !== "1") return refuse(403, { _tag: "CsrfRejected", reason: "missing_header" })
    const from = request.headers["origin"]
    // The refusal names the site's address: the page can tell its visitor where Vigie is.
    if (from === undefined || !origins.has(from)) {
      return refuse(403, { _tag: "CsrfRejected", reason: "origin", expected: origin })
    }
    const declared = Number(request.headers["content-length"] ?? "0")
    if (declared > maxUploadBytes) return refuse(413, { _tag: "RequestTooLarge", maxBytes: maxUploadBytes })
    const body = yield* request.text.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxUploadBytes)),
      Effect.either
    )
    if (Either.isLeft(body)) return refuse(413, { _tag: "RequestTooLarge", maxBytes: maxUploadBytes })
    // Over the usual size, the body must be one upload and nothing else (checked once parsed below).
    const large = Buffer.byteLength(body.right, "utf8") > maxBytes

    const messages: Array<Message> = []
    for (const line of body.right.split("\n")) {
      if (line.trim() === "") continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        return refuse(400, { _tag: "MalformedRequest" })
      }
      if (!isMessage(parsed)) return refuse(400, { _tag: "MalformedRequest" })
      messages.push(parsed)
    }
    if (messages.length === 0) return refuse(400, { _tag: "MalformedRequest" })
    if (
      large && !(messages.length === 1 && messages[0]!._tag === "Request" && typeof messages[0]!["tag"] === "string" &&
        LARGE_BODY_RPCS.has(messages[0]!["tag"]))
    ) {
      return refuse(413, { _tag: "RequestTooLarge", maxBytes })
    }
    if (options.edgeLimit !== undefined) {
      const edgeCalls = messages.filter((m) =>
        m._tag === "Request" && typeof m["tag"] === "string" && isEdgeLimitedRpc(m["tag"])
      ).length
      if (edgeCalls > 0) {
        const wait = yield* options.edgeLimit(
          yield* currentClientAddress(options.trustedProxies ?? noTrustedProxies),
          edgeCalls
        )
        if (Option.isSome(wait)) return tooManyRequests(wait.value)
      }
    }

    const calls = messages.filter((m) => m._tag === "Request")
    const batchRefused = (reason: BatchRefusal) =>
      refuse(400, { _tag: "BatchRefused", reason, maxCalls: MAX_CALLS_PER_BODY, maxSensitiveCalls: 1 })
    if (calls.length > MAX_CALLS_PER_BODY) return batchRefused("too_many_calls")
    if (calls.filter((m) => typeof m["tag"] === "string" && isSensitiveRpc(m["tag"])).length > 1) {
      return batchRefused("too_many_sensitive_calls")
    }
    const ownHeaders = (h: unknown) =>
      h !== undefined && !(Array.isArray(h) && h.length === 0) &&
      !(typeof h === "object" && h !== null && !Array.isArray(h) && Object.keys(h).length === 0)
    if (calls.some((m) => ownHeaders(m["headers"]))) return batchRefused("call_headers")

    const problems: Array<readonly [string, string]> = []
    const requestIds: Array<string> = []
    for (const message of messages) {
      if (message._tag !== "Request") continue
      if (typeof message["id"] !== "string" || typeof message["tag"] !== "string") {
        return refuse(400, { _tag: "MalformedRequest" })
      }
      requestIds.push(message["id"])
      const decode = decoders.get(message["tag"])
      if (decode === undefined) {
        problems.push([message["id"], `unknown RPC ${JSON.stringify(message["tag"].slice(0, 64))}`])
        continue
      }
      const payload = message["payload"]
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        // Every payload is a struct; an empty Schema.Struct({}) alone would accept a bare string.
        problems.push([message["id"], "the payload must be a JSON object"])
        continue
      }
      const decoded = decode(payload)
      if (Either.isLeft(decoded)) {
        problems.push([message["id"], ParseResult.TreeFormatter.formatErrorSync(decoded.left)])
      }
    }
    if (problems.length > 0) {
      const reasons = new Map(problems)
      const lines = requestIds.map((id) =>
        JSON.stringify(failureExit(id, reasons.get(id) ?? "another request of the same batch is invalid"))
      )
      return HttpServerResponse.text(lines.join("\n") + "\n", { contentType: "application/ndjson" })
    }

    const cookies = yield* ResponseCookies
    const exchange = yield* cookies.open
    const headers = new globalThis.Headers()
    for (const [name, value] of Object.entries(request.headers)) {
      if (name !== EXCHANGE_HEADER && name !== CLIENT_IP_HEADER) headers.set(name, value)
    }
    headers.set(EXCHANGE_HEADER, exchange)
    // Handlers read the caller's address here (per-address limits), never from what the client sent.
    headers.set(CLIENT_IP_HEADER, yield* currentClientAddress(options.trustedProxies ?? noTrustedProxies))
    headers.delete("content-length")
    // Forward exactly what was checked, one message per line, each line ended (the NDJSON parser
    // would otherwise keep an unterminated last line waiting forever).
    const checked = messages.map((m) => JSON.stringify(m) + "\n").join("")
    const forwarded = HttpServerRequest.fromWeb(
      new Request(new URL("/rpc", options.publicUrl), { method: "POST", headers, body: checked })
    )
    const response = yield* Effect.provideService(rpcApp, HttpServerRequest.HttpServerRequest, forwarded).pipe(
      Effect.onExit((exit) => (exit._tag === "Failure" ? Effect.asVoid(cookies.take(exchange)) : Effect.void))
    )
    const toSet = yield* cookies.take(exchange)
    return toSet.reduce(
      (res, cookie) =>
        HttpServerResponse.unsafeSetCookie(res, cookie.name, cookie.value, {
          httpOnly: true,
          sameSite: "lax",
          secure,
          path: "/",
          maxAge: `${cookie.maxAge} seconds`
        }),
      response
    )
  })
}
