import { randomUUID, timingSafeEqual } from "node:crypto"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"

/** What the fake does with one call to the Message endpoint. */
export type PlivoFault =
  | { readonly _tag: "Ok" }
  | { readonly _tag: "ServerError"; readonly status?: number }
  | { readonly _tag: "TooManyRequests"; readonly retryAfter?: string }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "InvalidDestination" }
  /** Accepted (counted) at once, answered 202 only after `millis`: a slow call to kill a sender in. */
  | { readonly _tag: "SlowOk"; readonly millis: number }

export const Ok: PlivoFault = { _tag: "Ok" }
export const ServerError: PlivoFault = { _tag: "ServerError" }
export const TooManyRequests = (retryAfter?: string): PlivoFault =>
  retryAfter === undefined ? { _tag: "TooManyRequests" } : { _tag: "TooManyRequests", retryAfter }
export const Hang: PlivoFault = { _tag: "Hang" }
export const InvalidDestination: PlivoFault = { _tag: "InvalidDestination" }
export const SlowOk = (millis: number): PlivoFault => ({ _tag: "SlowOk", millis })

/** A fault rule for soak tests: `fault` on about `rate` of the calls (0 to 1), Ok otherwise. */
export const faultRate = (
  rate: number,
  fault: PlivoFault = ServerError,
  random: () => number = Math.random
): (call: PlivoCall) => PlivoFault =>
() => (random() < rate ? fault : Ok)

/** One call as the fake saw it; `callNumber` counts from 1 across every call, answered or not. */
export interface PlivoCall {
  readonly callNumber: number
  readonly src: string
  readonly destinations: ReadonlyArray<string>
  readonly text: string
}

/** One message the fake accepted (answered 202 for). */
export interface AcceptedMessage {
  readonly messageUuid: string
  readonly src: string
  readonly destination: string
  readonly text: string
  /** When the fake accepted it (Date.now()): kill tests measure how soon a crashed claim is resent. */
  readonly at: number
}

export interface FakePlivoOptions {
  readonly authId?: string
  readonly authToken?: string
  /** Decides each call's fate; every call is answered 202 when absent. */
  readonly fault?: (call: PlivoCall) => PlivoFault
}

export interface FakePlivo {
  readonly authId: string
  readonly authToken: string
  /** `http://127.0.0.1:<port>`, to use as PLIVO_API_URL. */
  readonly apiUrl: string
  /** Every message answered 202, in arrival order. */
  readonly accepted: () => ReadonlyArray<AcceptedMessage>
  /** Accepted messages per destination: a number above 1 is a duplicate SMS. */
  readonly countsByDestination: () => ReadonlyMap<string, number>
  /** Every call that reached the Message endpoint with valid credentials, faulted or not. */
  readonly calls: () => ReadonlyArray<PlivoCall>
  /** Authorization headers that were refused. */
  readonly unauthorized: () => number
  /** Replaces the fault rule for the calls that follow. */
  readonly setFault: (fault: (call: PlivoCall) => PlivoFault) => void
  readonly reset: () => void
  readonly close: () => Promise<void>
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * A local stand-in for Plivo's Message API (`POST /v1/Account/:authId/Message/`), on 127.0.0.1 and a
 * free port, good enough for the real `plivo` SDK. Faults are programmable per call, and it counts
 * what it accepted per destination, so worker tests can check "exactly one SMS per person".
 */
export const start = async (options: FakePlivoOptions = {}): Promise<FakePlivo> => {
  const authId = options.authId ?? "MAFAKEAUTHID0000000"
  const authToken = options.authToken ?? "fake-auth-token"
  let fault = options.fault ?? (() => Ok)
  let callNumber = 0
  let unauthorized = 0
  let accepted: Array<AcceptedMessage> = []
  let calls: Array<PlivoCall> = []
  const counts = new Map<string, number>()
  const expectedAuth = "Basic " + Buffer.from(`${authId}:${authToken}`).toString("base64")
  const path = `/v1/Account/${authId}/Message/`

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req)
    if (req.method !== "POST" || req.url !== path) {
      return json(res, 404, { api_id: randomUUID(), error: "not found" })
    }
    if (!sameSecret(req.headers.authorization ?? "", expectedAuth)) {
      unauthorized++
      return json(res, 401, { api_id: randomUUID(), error: "Authentication failed" })
    }
    let body: { src?: unknown; dst?: unknown; text?: unknown }
    try {
      body = JSON.parse(raw)
    } catch {
      return json(res, 400, { api_id: randomUUID(), error: "invalid JSON" })
    }
    if (typeof body.src !== "string" || typeof body.dst !== "string" || typeof body.text !== "string") {
      return json(res, 400, { api_id: randomUUID(), error: "src, dst and text are required" })
    }
    const call: PlivoCall = {
      callNumber: ++callNumber,
      src: body.src,
      destinations: body.dst.split("<"),
      text: body.text
    }
    calls.push(call)
    const decision = fault(call)
    switch (decision._tag) {
      case "Hang":
        return
      case "ServerError":
        return json(res, decision.status ?? 500, { api_id: randomUUID(), error: "internal server error" })
      case "TooManyRequests":
        return json(
          res,
          429,
          { api_id: randomUUID(), error: "too many requests" },
          decision.retryAfter === undefined ? {} : { "retry-after": decision.retryAfter }
        )
      case "InvalidDestination":
        return json(res, 400, { api_id: randomUUID(), error: "invalid dst parameter" })
      case "Ok":
      case "SlowOk": {
        const at = Date.now()
        const uuids = call.destinations.map((destination) => {
          const messageUuid = randomUUID()
          accepted.push({ messageUuid, src: call.src, destination, text: call.text, at })
          counts.set(destination, (counts.get(destination) ?? 0) + 1)
          return messageUuid
        })
        const reply = () => json(res, 202, { api_id: randomUUID(), message: "message(s) queued", message_uuid: uuids })
        if (decision._tag === "SlowOk") setTimeout(reply, decision.millis)
        else reply()
        return
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) json(res, 500, { error: String(error) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    authId,
    authToken,
    apiUrl: `http://127.0.0.1:${port}`,
    accepted: () => accepted.slice(),
    countsByDestination: () => new Map(counts),
    calls: () => calls.slice(),
    unauthorized: () => unauthorized,
    setFault: (next) => {
      fault = next
    },
    reset: () => {
      accepted = []
      calls = []
      counts.clear()
      unauthorized = 0
      callNumber = 0
      fault = options.fault ?? (() => Ok)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

/** The fake as a scoped resource: closed when the scope closes. */
export const scoped = (options: FakePlivoOptions = {}): Effect.Effect<FakePlivo, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => start(options)),
    (fake) => Effect.promise(() => fake.close())
  )

/** The fake as a service, for layers that build an adapter on it. */
export class FakePlivoServer
  extends Context.Tag("@vigie/adapters/test/FakePlivoServer")<FakePlivoServer, FakePlivo>()
{}

export const layer = (options: FakePlivoOptions = {}): Layer.Layer<FakePlivoServer> =>
  Layer.scoped(FakePlivoServer, scoped(options))
