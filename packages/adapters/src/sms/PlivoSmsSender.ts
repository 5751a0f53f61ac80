import { randomUUID } from "node:crypto"
import { createRequire } from "node:module"
import { SMS_BATCH_LIMIT, SmsRejected, SmsSender, SmsUnavailable } from "@vigie/domain/channels/SmsSender"
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import type { SmsBatch, SmsReceipt } from "@vigie/domain/channels/SmsSender"
import { Config, Duration, Effect, Layer, Redacted } from "effect"
import type { ConfigError } from "effect"
import plivo from "plivo"
import * as ProviderMetrics from "../telemetry/ProviderMetrics.js"

export interface PlivoOptions {
  readonly authId: string
  readonly authToken: Redacted.Redacted
  /** Plivo's API root, without the `/v1/Account/...` path. Default `https://api.plivo.com`. */
  readonly apiUrl?: string
  /** The sender: our Plivo number (E.164) or an alphanumeric sender id. */
  readonly from: string
  /** Time allowed for one call, including a slow or hanging server. Default 10 s. */
  readonly timeout?: Duration.DurationInput
}

export const defaultApiUrl = "https://api.plivo.com"

/**
 * `PLIVO_AUTH_ID`, `PLIVO_AUTH_TOKEN` (secret), `PLIVO_NUMBER`, and optionally `PLIVO_API_URL` and
 * `PLIVO_TIMEOUT` (a duration such as "10 seconds").
 */
export const config: Config.Config<PlivoOptions> = Config.all({
  authId: Config.string("PLIVO_AUTH_ID"),
  authToken: Config.redacted("PLIVO_AUTH_TOKEN"),
  apiUrl: Config.string("PLIVO_API_URL").pipe(Config.withDefault(defaultApiUrl)),
  from: Config.string("PLIVO_NUMBER"),
  timeout: Config.duration("PLIVO_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10)))
})

/**
 * What the HTTP layer saw of a failed call. The SDK throws away the status of some replies (429
 * becomes a bare `Error`, a timeout a string) and every header, Retry-After included, so an axios
 * interceptor on the SDK's own axios copy records them, keyed by a per-call User-Agent marker.
 */
interface HttpFailure {
  readonly status?: number
  readonly retryAfter?: string
}

const failures = new Map<string, HttpFailure>()
const markerPrefix = "vigie-sms/"
let interceptorInstalled = false

interface AxiosLike {
  readonly interceptors: {
    readonly response: {
      use: (onFulfilled: null, onRejected: (error: unknown) => unknown) => number
    }
  }
}

interface AxiosErrorLike {
  readonly config?: { readonly headers?: { readonly get?: (name: string) => unknown } }
  readonly response?: { readonly status?: number; readonly headers?: Record<string, unknown> }
}

const installInterceptor = () => {
  if (interceptorInstalled) return
  interceptorInstalled = true
  const require = createRequire(import.meta.url)
  const axios = createRequire(require.resolve("plivo"))("axios") as AxiosLike
  axios.interceptors.response.use(null, (error) => {
    const e = error as AxiosErrorLike
    const agent = e.config?.headers?.get?.("User-Agent")
    if (typeof agent === "string" && agent.startsWith(markerPrefix)) {
      const callId = agent.slice(markerPrefix.length).split(" ")[0]!
      const retryAfter = e.response?.headers?.["retry-after"]
      failures.set(callId, {
        ...(e.response?.status === undefined ? {} : { status: e.response.status }),
        ...(typeof retryAfter === "string" ? { retryAfter } : {})
      })
    }
    return Promise.reject(error)
  })
}

/** Retry-After is either a number of seconds or an HTTP date. */
export const parseRetryAfter = (value: string, now: number = Date.now()): number | undefined => {
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

const statusFromSdkError = (error: unknown): number | undefined => {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") {
    return error.status
  }
  const match = /status code (\d{3})/.exec(String(error instanceof Error ? error.message : error))
  return match ? Number(match[1]) : undefined
}

/** The error's first line; Plivo's messages may echo the numbers of the call, kept as their last digits. */
const reasonOf = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error)
  return maskPhoneNumbers(text.split("\n")[0]!).slice(0, 300)
}

/** Maps one failed call: 4xx (but 429) refuses the batch for good; anything else is transient. */
export const classify = (
  error: unknown,
  http: HttpFailure | undefined
): SmsRejected | SmsUnavailable => {
  const status = http?.status ?? statusFromSdkError(error)
  const reason = status === undefined ? reasonOf(error) : `HTTP ${status}: ${reasonOf(error)}`
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
    return new SmsRejected({ reason })
  }
  const retryAfterSeconds = http?.retryAfter === undefined ? undefined : parseRetryAfter(http.retryAfter)
  return new SmsUnavailable(retryAfterSeconds === undefined ? { reason } : { reason, retryAfterSeconds })
}

const invalidNumbers = (value: unknown): ReadonlySet<string> => {
  if (Array.isArray(value)) return new Set(value.map(String))
  if (typeof value === "string" && value.length > 0) return new Set(value.split("<"))
  return new Set()
}

/**
 * Sends through Plivo's Message API: one call per batch, destinations joined with "<". The reply's
 * message ids come in destination order; numbers Plivo lists as invalid get none and are left out.
 */
export const make = (options: PlivoOptions) =>
  Effect.sync(() => {
    installInterceptor()
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))
    const url = `${(options.apiUrl ?? defaultApiUrl).replace(/\/+$/, "")}/v1/Account/${options.authId}`
    const authToken = Redacted.value(options.authToken) as string

    const call = (batch: SmsBatch) =>
      Effect.suspend(() => {
        const callId = randomUUID()
        const client = new plivo.Client(options.authId, authToken, {
          url,
          timeout: Duration.toMillis(timeout),
          userAgent: `${markerPrefix}${callId} plivo-node/4.79.0`
        })
        return Effect.tryPromise({
          try: () => client.messages.create(options.from, batch.destinations.join("<"), batch.text),
          catch: (error) => classify(error, failures.get(callId))
        }).pipe(
          Effect.timeoutFail({
            duration: Duration.sum(timeout, Duration.seconds(1)),
            onTimeout: () => new SmsUnavailable({ reason: `no answer within ${Duration.format(timeout)}` })
          }),
          Effect.ensuring(Effect.sync(() => failures.delete(callId))),
          ProviderMetrics.measured(
            { provider: "plivo", operation: "sms" },
            (e) => e._tag === "SmsRejected" ? "rejected" : "unavailable"
          )
        )
      })

    const send = (batch: SmsBatch): Effect.Effect<SmsReceipt, SmsRejected | SmsUnavailable> => {
      if (batch.destinations.length === 0) return Effect.succeed({ accepted: [] })
      if (batch.destinations.length > SMS_BATCH_LIMIT) {
        return Effect.die(new RangeError(`an SMS batch holds at most ${SMS_BATCH_LIMIT} destinations`))
      }
      return call(batch).pipe(
        Effect.flatMap((reply) => {
          const invalid = invalidNumbers((reply as { invalid_number?: unknown }).invalid_number)
          const valid = batch.destinations.filter((destination) => !invalid.has(destination))
          const ids: ReadonlyArray<string> = Array.isArray(reply.messageUuid) ? reply.messageUuid : []
          const accepted = valid.slice(0, ids.length).map((destination, i) => ({ destination, providerId: ids[i]! }))
          return ids.length === valid.length
            ? Effect.succeed({ accepted })
            : Effect.logWarning("Plivo returned a different number of message ids than destinations").pipe(
              Effect.annotateLogs({ destinations: valid.length, ids: ids.length }),
              Effect.as({ accepted })
            )
        }),
        Effect.withSpan("PlivoSmsSender.send", { attributes: { destinations: batch.destinations.length } })
      )
    }

    return SmsSender.of({ send })
  })

/** The Plivo adapter with explicit options (tests, tools). */
export const layerWith = (options: PlivoOptions): Layer.Layer<SmsSender> => Layer.effect(SmsSender, make(options))

/** The Plivo adapter configured from the environment. */
export const layer: Layer.Layer<SmsSender, ConfigError.ConfigError> = Layer.effect(
  SmsSender,
  Effect.flatMap(config, make)
)

/** Exposed for tests: whether an HTTP failure is still held for a call (none should be). */
export const pendingFailures = (): number => failures.size
