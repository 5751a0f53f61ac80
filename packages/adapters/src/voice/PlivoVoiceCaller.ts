import { randomUUID } from "node:crypto"
import { createRequire } from "node:module"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceCaller, VoiceRejected, VoiceUnavailable } from "@vigie/domain/channels/VoiceCaller"
import type { VoiceCall, VoiceReceipt } from "@vigie/domain/channels/VoiceCaller"
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import { DateTime, Duration, Effect, Layer, Redacted } from "effect"
import plivo from "plivo"
import { defaultApiUrl, parseRetryAfter } from "../sms/PlivoSmsSender.js"
import * as ProviderMetrics from "../telemetry/ProviderMetrics.js"
import { VOICE_ANSWER_PATH, VOICE_HANGUP_PATH, voiceUrl } from "./VoicePaths.js"

export interface PlivoVoiceOptions {
  readonly authId: string
  readonly authToken: Redacted.Redacted
  /** Plivo's API root, without the `/v1/Account/...` path. Default `https://api.plivo.com`. */
  readonly apiUrl?: string
  /** The caller id: our Plivo number (E.164; an alphanumeric sender id cannot call). */
  readonly from: string
  /** The site's public address: the answer and hangup URLs Plivo calls back are built on it. */
  readonly publicUrl: URL
  /** Time allowed for the API call. Default 10 s. */
  readonly timeout?: Duration.DurationInput
  /** How long the phone rings before Plivo gives up. Default 45 s. */
  readonly ringTimeout?: Duration.DurationInput
}

/**
 * plivo 4.79.0 sends every voice request (`calls.create` ...) to https://api.plivo.com whatever the
 * client's `url` (its voice path overwrites it, then retries 5xx twice on the same host), and through
 * its own axios instance (`axios.create`), which global interceptors do not see. So, on the SDK's own
 * axios copy, every instance it creates gets two interceptors that act only on our calls, recognised
 * by a per-call User-Agent marker: one sends the request to the configured API root (a local fake in
 * tests, a regional endpoint), one records the HTTP status and Retry-After of a failure (the SDK
 * keeps neither).
 */
const PLIVO_VOICE_ROOT = "https://api.plivo.com/v1/Account/"
const markerPrefix = "vigie-voice/"

interface HttpFailure {
  readonly status?: number
  readonly retryAfter?: string
}

const targets = new Map<string, string>()
const failures = new Map<string, HttpFailure>()
let installed = false

interface HeadersLike {
  readonly get?: (name: string) => unknown
  readonly [key: string]: unknown
}

interface RequestLike {
  url?: string
  readonly headers?: HeadersLike
}

interface InstanceLike {
  readonly interceptors: {
    readonly request: { use: (onFulfilled: (request: RequestLike) => RequestLike) => number }
    readonly response: { use: (onFulfilled: null, onRejected: (error: unknown) => unknown) => number }
  }
}

interface AxiosModuleLike {
  create: (config?: unknown) => InstanceLike
}

const callIdOf = (headers: HeadersLike | undefined): string | undefined => {
  const agent = headers?.get?.("User-Agent") ?? headers?.["User-Agent"]
  return typeof agent === "string" && agent.startsWith(markerPrefix)
    ? agent.slice(markerPrefix.length).split(" ")[0]
    : undefined
}

const install = () => {
  if (installed) return
  installed = true
  const require = createRequire(import.meta.url)
  const axios = createRequire(require.resolve("plivo"))("axios") as AxiosModuleLike
  const create = axios.create.bind(axios)
  axios.create = (config?: unknown) => {
    const instance = create(config)
    instance.interceptors.request.use((request) => {
      const id = callIdOf(request.headers)
      const target = id === undefined ? undefined : targets.get(id)
      if (target !== undefined && typeof request.url === "string" && request.url.startsWith(PLIVO_VOICE_ROOT)) {
        request.url = target + request.url.slice(PLIVO_VOICE_ROOT.length)
      }
      return request
    })
    instance.interceptors.response.use(null, (error) => {
      const e = error as {
        readonly config?: { readonly headers?: HeadersLike }
        readonly response?: { readonly status?: number; readonly headers?: Record<string, unknown> }
      }
      const id = callIdOf(e.config?.headers)
      if (id !== undefined) {
        const retryAfter = e.response?.headers?.["retry-after"]
        failures.set(id, {
          ...(e.response?.status === undefined ? {} : { status: e.response.status }),
          ...(typeof retryAfter === "string" ? { retryAfter } : {})
        })
      }
      return Promise.reject(error)
    })
    return instance
  }
}

const statusFromSdkError = (error: unknown): number | undefined => {
  const match = /status code (\d{3})/.exec(String(error instanceof Error ? error.message : error))
  return match ? Number(match[1]) : undefined
}

const reasonOf = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error)
  return maskPhoneNumbers(text.split("\n")[0]!).slice(0, 300)
}

/** Maps one failed call: 4xx (but 429) refuses it for good; anything else (5xx, 429, no answer) is transient. */
export const classify = (error: unknown, http: HttpFailure | undefined): VoiceRejected | VoiceUnavailable => {
  const status = http?.status ?? statusFromSdkError(error)
  const reason = status === undefined ? reasonOf(error) : `HTTP ${status}: ${reasonOf(error)}`
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) return new VoiceRejected({ reason })
  const retryAfterSeconds = http?.retryAfter === undefined ? undefined : parseRetryAfter(http.retryAfter)
  return new VoiceUnavailable(retryAfterSeconds === undefined ? { reason } : { reason, retryAfterSeconds })
}

/**
 * Places calls through Plivo's Call API with the real SDK: `calls.create(from, to, answerUrl, ...)`,
 * the answer and hangup URLs on PUBLIC_URL carrying our reference (POST, signed by Plivo). The call is
 * written to the call log first (so that the answer URL finds its text even if Plivo is faster than
 * its own reply), then marked placed with Plivo's request uuid, or failed with the reason.
 */
export const make = (options: PlivoVoiceOptions) =>
  Effect.gen(function*() {
    install()
    const log = yield* VoiceCallLog
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))
    const ringTimeout = Math.max(5, Math.round(Duration.toSeconds(options.ringTimeout ?? Duration.seconds(45))))
    const apiRoot = (options.apiUrl ?? defaultApiUrl).replace(/\/+$/, "")
    const authToken = Redacted.value(options.authToken) as string

    const create = (call: VoiceCall) =>
      Effect.suspend(() => {
        const callId = randomUUID()
        targets.set(callId, `${apiRoot}/v1/Account/`)
        const client = new plivo.Client(options.authId, authToken, {
          url: `${apiRoot}/v1/Account/${options.authId}`,
          timeout: Duration.toMillis(timeout),
          userAgent: `${markerPrefix}${callId} plivo-node/4.79.0`
        })
        return Effect.tryPromise({
          try: () =>
            client.calls.create(options.from, call.to, voiceUrl(options.publicUrl, VOICE_ANSWER_PATH, call.reference), {
              answerMethod: "POST",
              hangupUrl: voiceUrl(options.publicUrl, VOICE_HANGUP_PATH, call.reference),
              hangupMethod: "POST",
              ringTimeout
            }),
          catch: (error) => classify(error, failures.get(callId))
        }).pipe(
          Effect.timeoutFail({
            duration: Duration.sum(Duration.times(timeout, 3), Duration.seconds(1)),
            onTimeout: () => new VoiceUnavailable({ reason: `no answer within ${Duration.format(timeout)}` })
          }),
          Effect.ensuring(Effect.sync(() => {
            failures.delete(callId)
            targets.delete(callId)
          })),
          ProviderMetrics.measured(
            { provider: "plivo", operation: "voice" },
            (e) => e._tag === "VoiceRejected" ? "rejected" : "unavailable"
          )
        )
      })

    const call = (call: VoiceCall): Effect.Effect<VoiceReceipt, VoiceRejected | VoiceUnavailable> =>
      Effect.gen(function*() {
        yield* log.placing(call, false, yield* DateTime.now)
        const reply = yield* create(call).pipe(
          Effect.tapError((e) => Effect.flatMap(DateTime.now, (now) => log.failed(call.reference, e.reason, now)))
        )
        const providerId = typeof reply.requestUuid === "string" && reply.requestUuid !== ""
          ? reply.requestUuid
          : `plivo-${call.reference}`
        yield* log.placed(call.reference, providerId, yield* DateTime.now)
        return { providerId }
      }).pipe(Effect.withSpan("PlivoVoiceCaller.call", { attributes: { reference: call.reference } }))

    return VoiceCaller.of({ call })
  })

/** The Plivo voice adapter with explicit options (tests, the composition root). */
export const layerWith = (options: PlivoVoiceOptions): Layer.Layer<VoiceCaller, never, VoiceCallLog> =>
  Layer.effect(VoiceCaller, make(options))

/** Exposed for tests: calls whose routing or failure is still held (none should be). */
export const pendingCalls = (): number => targets.size + failures.size
