import { randomUUID, timingSafeEqual } from "node:crypto"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { signV3 } from "../../../src/sms/PlivoSignature"

/** What the fake does with one call to the Message endpoint. */
export type PlivoFault =
  | { readonly _tag: "Ok" }
  | { readonly _tag: "ServerError"; readonly status?: number }
  | { readonly _tag: "TooManyRequests"; readonly retryAfter?: string }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "InvalidDestination" }
  | { readonly _tag: "Delay"; readonly millis: number }

export const Ok: PlivoFault = { _tag: "Ok" }
export const ServerError: PlivoFault = { _tag: "ServerError" }
export const TooManyRequests = (retryAfter?: string): PlivoFault =>
  retryAfter === undefined ? { _tag: "TooManyRequests" } : { _tag: "TooManyRequests", retryAfter }
export const Hang: PlivoFault = { _tag: "Hang" }
export const InvalidDestination: PlivoFault = { _tag: "InvalidDestination" }
/** Accepted at once (counted, as Plivo queues them), answered 202 only after `millis`: a slow call. */
export const Delay = (millis: number): PlivoFault => ({ _tag: "Delay", millis })

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
  /** When the call arrived (epoch milliseconds, this process's clock). */
  readonly at: number
}

/** One message the fake accepted (answered 202 for, or being answered after a Delay). */
export interface AcceptedMessage {
  readonly messageUuid: string
  readonly src: string
  readonly destination: string
  readonly text: string
  /** When its call arrived (epoch milliseconds, this process's clock). */
  readonly at: number
}

/** What the person called does, as the fake plays it: pick up and press a key (or none), or not pick up. */
export type Callee =
  /** Picks up (after ringing `ringMs`, none by default), then presses `press` when offered keys. */
  | { readonly _tag: "Answer"; readonly press?: string; readonly ringMs?: number }
  | { readonly _tag: "NoAnswer" }

/** One voice call the fake took (`POST .../Call/`), and the conversation it had with our callbacks. */
export interface VoiceCallRecord {
  readonly requestUuid: string
  readonly callUuid: string
  readonly from: string
  readonly to: string
  readonly answerUrl: string
  readonly answerMethod: string
  readonly hangupUrl: string | undefined
  /** The HTTP status of our answer URL, and its XML. */
  answerStatus?: number
  answerXml?: string
  /** The Speak texts of the answer XML, in order (inside GetDigits first). */
  spoken: Array<string>
  /** The key pressed, the status of the digits callback, and the text it spoke back. */
  pressed?: string
  digitsStatus?: number
  digitsReply?: Array<string>
  hangupStatus?: number
  /** Done: every callback of the call was made. */
  done: boolean
}

export interface FakePlivoOptions {
  readonly authId?: string
  readonly authToken?: string
  /** Decides each call's fate; every call is answered 202 when absent. */
  readonly fault?: (call: PlivoCall) => PlivoFault
  /** Decides each voice call's fate at the API (as `fault`); 201 "call fired" when absent. */
  readonly voiceFault?: (to: string) => PlivoFault
  /** What the callee does; picks up and presses nothing when absent. */
  readonly callee?: (to: string) => Callee
  /** The token the fake signs its callbacks with (Plivo's auth token); `authToken` when absent. */
  readonly signingToken?: string
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
  /** Every voice call the fake took (answered 201 for), in arrival order. */
  readonly voiceCalls: () => ReadonlyArray<VoiceCallRecord>
  /** Voice API requests that reached the Call endpoint, faulted or not. */
  readonly voiceRequests: () => number
  readonly setVoiceFault: (fault: (to: string) => PlivoFault) => void
  readonly setCallee: (callee: (to: string) => Callee) => void
  /** Waits until every voice call taken so far has made all its callbacks. */
  readonly settled: () => Promise<void>
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

const unescapeXml = (text: string): string =>
  text.replace(
    /&(lt|gt|quot|apos|#39|amp);/g,
    (_, e: string) => ({ lt: "<", gt: ">", quot: "\"", apos: "'", "#39": "'", amp: "&" })[e]!
  )

/** The texts of every Speak element of a Plivo XML, in document order. */
export const speakTexts = (xml: string): Array<string> =>
  [...xml.matchAll(/<Speak\b[^>]*>([\s\S]*?)<\/Speak>/g)].map((m) => unescapeXml(m[1]!))

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Answers `decision` as Plivo would when it is a fault, the same for the Message and the Call APIs but
 * for the name of the destination field in the "invalid …" error (`dst`, `to`). True when the call was
 * answered that way (or left hanging); false for Ok and Delay, which each API accepts its own way.
 */
const answerFault = (res: ServerResponse, decision: PlivoFault, destinationField: "dst" | "to"): boolean => {
  switch (decision._tag) {
    case "Hang":
      return true
    case "ServerError":
      json(res, decision.status ?? 500, { api_id: randomUUID(), error: "internal server error" })
      return true
    case "TooManyRequests":
      json(
        res,
        429,
        { api_id: randomUUID(), error: "too many requests" },
        decision.retryAfter === undefined ? {} : { "retry-after": decision.retryAfter }
      )
      return true
    case "InvalidDestination":
      json(res, 400, { api_id: randomUUID(), error: `invalid ${destinationField} parameter` })
      return true
    case "Ok":
    case "Delay":
      return false
  }
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
  /** Calls being delayed: closing the fake ends their wait (their sockets are closed by then). */
  const delays = new Set<() => void>()
  const expectedAuth = "Basic " + Buffer.from(`${authId}:${authToken}`).toString("base64")
  const path = `/v1/Account/${authId}/Message/`
  const callPath = `/v1/Account/${authId}/Call/`
  const signingToken = options.signingToken ?? authToken
  let voiceFault = options.voiceFault ?? (() => Ok)
  let callee = options.callee ?? ((): Callee => ({ _tag: "Answer" }))
  let voiceCalls: Array<VoiceCallRecord> = []
  let voiceRequests = 0
  const conversations = new Set<Promise<void>>()

  /** Calls one of our callbacks as Plivo does: form fields (POST) or none (GET), signed V3 with a nonce. */
  const callback = async (method: string, url: string, params: Record<string, string>) => {
    const nonce = String(Math.floor(Math.random() * 1e15))
    const get = method.toUpperCase() === "GET"
    const signature = signV3(signingToken, { method: get ? "GET" : "POST", url, nonce, params: get ? {} : params })
    const response = await fetch(url, {
      method: get ? "GET" : "POST",
      headers: {
        ...(get ? {} : { "content-type": "application/x-www-form-urlencoded" }),
        "x-plivo-signature-v3": signature,
        "x-plivo-signature-v3-nonce": nonce
      },
      ...(get ? {} : { body: new URLSearchParams(params).toString() })
    })
    return { status: response.status, body: await response.text() }
  }

  /** The conversation of one answered call: answer URL, maybe a key, then hangup. */
  const converse = async (call: VoiceCallRecord) => {
    const fields = { CallUUID: call.callUuid, RequestUUID: call.requestUuid, From: call.from, To: call.to,
      Direction: "outbound" }
    const fate = callee(call.to)
    try {
      if (fate._tag === "NoAnswer") {
        if (call.hangupUrl !== undefined) {
          const hangup = await callback("POST", call.hangupUrl, { ...fields, CallStatus: "no-answer",
            HangupCause: "NO_ANSWER", Duration: "0" })
          call.hangupStatus = hangup.status
        }
        return
      }
      if (fate.ringMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fate.ringMs))
      const answer = await callback(call.answerMethod, call.answerUrl, { ...fields, CallStatus: "in-progress" })
      call.answerStatus = answer.status
      call.answerXml = answer.body
      call.spoken = speakTexts(answer.body)
      const digits = /<GetDigits\b([^>]*)>/.exec(answer.body)
      if (answer.status === 200 && digits !== null && fate.press !== undefined) {
        const action = unescapeXml(/\baction="([^"]*)"/.exec(digits[1]!)?.[1] ?? "")
        const actionMethod = /\bmethod="([^"]*)"/.exec(digits[1]!)?.[1] ?? "POST"
        call.pressed = fate.press
        const reply = await callback(actionMethod, action, { ...fields, CallStatus: "in-progress", Digits: fate.press })
        call.digitsStatus = reply.status
        call.digitsReply = speakTexts(reply.body)
      }
      if (call.hangupUrl !== undefined) {
        const hangup = await callback("POST", call.hangupUrl, { ...fields, CallStatus: "completed",
          HangupCause: "NORMAL_CLEARING", Duration: "21" })
        call.hangupStatus = hangup.status
      }
    } finally {
      call.done = true
    }
  }

  const handleCall = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (!sameSecret(req.headers.authorization ?? "", expectedAuth)) {
      unauthorized++
      return json(res, 401, { api_id: randomUUID(), error: "Authentication failed" })
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw)
    } catch {
      return json(res, 400, { api_id: randomUUID(), error: "invalid JSON" })
    }
    const { answer_method, answer_url, from, hangup_url, to } = body
    if (typeof from !== "string" || typeof to !== "string" || typeof answer_url !== "string") {
      return json(res, 400, { api_id: randomUUID(), error: "from, to and answer_url are required" })
    }
    voiceRequests++
    const decision = voiceFault(to)
    if (answerFault(res, decision, "to")) return
    const call: VoiceCallRecord = {
      requestUuid: randomUUID(),
      callUuid: randomUUID(),
      from,
      to,
      answerUrl: answer_url,
      answerMethod: typeof answer_method === "string" ? answer_method : "POST",
      hangupUrl: typeof hangup_url === "string" ? hangup_url : undefined,
      spoken: [],
      done: false
    }
    voiceCalls.push(call)
    json(res, 201, { api_id: randomUUID(), message: "call fired", request_uuid: call.requestUuid })
    // As Plivo: the call rings and is answered after the API replied.
    const conversation = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => converse(call))
      .catch(() => undefined)
    conversations.add(conversation)
    void conversation.finally(() => conversations.delete(conversation))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req)
    if (req.method === "POST" && req.url === callPath) return handleCall(req, res, raw)
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
      text: body.text,
      at: Date.now()
    }
    calls.push(call)
    const decision = fault(call)
    if (answerFault(res, decision, "dst")) return
    const uuids = call.destinations.map((destination) => {
      const messageUuid = randomUUID()
      accepted.push({ messageUuid, src: call.src, destination, text: call.text, at: call.at })
      counts.set(destination, (counts.get(destination) ?? 0) + 1)
      return messageUuid
    })
    if (decision._tag === "Delay") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(release)
          resolve()
        }, decision.millis)
        const release = () => {
          clearTimeout(timer)
          resolve()
        }
        delays.add(release)
      })
    }
    if (res.destroyed) return
    return json(res, 202, { api_id: randomUUID(), message: "message(s) queued", message_uuid: uuids })
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
    voiceCalls: () => voiceCalls.slice(),
    voiceRequests: () => voiceRequests,
    setVoiceFault: (next) => {
      voiceFault = next
    },
    setCallee: (next) => {
      callee = next
    },
    settled: async () => {
      while (conversations.size > 0) await Promise.all([...conversations])
    },
    reset: () => {
      voiceCalls = []
      voiceRequests = 0
      voiceFault = options.voiceFault ?? (() => Ok)
      callee = options.callee ?? ((): Callee => ({ _tag: "Answer" }))
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
        for (const release of delays) release()
        delays.clear()
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
