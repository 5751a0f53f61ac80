import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses"
import { EMAIL_BATCH_LIMIT, EmailSender, EmailUnavailable } from "@vigie/domain/channels/EmailSender"
import type { EmailMessage, EmailOutcome } from "@vigie/domain/channels/EmailSender"
import { Config, Duration, Effect, Layer, Option, Redacted, Ref } from "effect"
import type { ConfigError } from "effect"
import * as ProviderMetrics from "../telemetry/ProviderMetrics.js"

export interface SesOptions {
  readonly region: string
  /** Another SES endpoint (aws-ses-v2-local in tests and demos); Amazon's when absent. */
  readonly endpoint?: string
  /** Explicit keys; the default AWS credential chain (env, profile, instance role) when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: Redacted.Redacted }
  /** The verified sender, e.g. `Vigie <alertes@vigie.example>`. */
  readonly from: string
  /** Messages in flight at once. Default 8. */
  readonly concurrency?: number
  /** Time allowed for one message. Default 10 s. */
  readonly timeout?: Duration.DurationInput
}

/**
 * `AWS_REGION`, `EMAIL_FROM`, and optionally `SES_ENDPOINT`, `SES_CONCURRENCY`, `SES_TIMEOUT`.
 * Credentials come from the default AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, role).
 */
export const config: Config.Config<SesOptions> = Config.all({
  region: Config.string("AWS_REGION"),
  endpoint: Config.option(Config.string("SES_ENDPOINT")),
  from: Config.string("EMAIL_FROM"),
  concurrency: Config.integer("SES_CONCURRENCY").pipe(Config.withDefault(8)),
  timeout: Config.duration("SES_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10)))
}).pipe(
  Config.map(({ endpoint, ...rest }): SesOptions =>
    Option.match(endpoint, { onNone: () => rest, onSome: (endpoint) => ({ ...rest, endpoint }) })
  )
)

interface SdkErrorLike {
  readonly name?: string
  readonly message?: string
  readonly $fault?: "client" | "server"
  readonly $metadata?: { readonly httpStatusCode?: number }
  readonly $retryable?: unknown
}

/** SES error names that mean "retry later" although SES reports them as the client's fault. */
const transientNames = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "AccountSendingPausedException",
  "TimeoutError",
  "AbortError"
])

/**
 * Whether one failed SendEmail is worth retrying: throttling, sending paused, 5xx and network
 * errors are; any other 4xx (MessageRejected, an invalid address, an unverified sender) is not.
 */
export const isTransient = (error: unknown): boolean => {
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorLike
  const status = e.$metadata?.httpStatusCode
  if (e.name !== undefined && transientNames.has(e.name)) return true
  if (e.$retryable !== undefined) return true
  if (status === 429 || (status !== undefined && status >= 500) || e.$fault === "server") return true
  // No HTTP status at all: the request never got an answer (DNS, refused connection, reset).
  return status === undefined
}

const reasonOf = (error: unknown): string => {
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorLike
  const text = `${e.name ?? "Error"}: ${e.message ?? String(error)}`
  return text.split("\n")[0]!.slice(0, 300)
}

/**
 * Sends through Amazon SES, one SendEmail per message (plain text and HTML, UTF-8), a few at a time.
 * After the first transient failure no new message is started: the rest come back "Retry". When
 * nothing was accepted or refused (SES down, throttled from the start) the call fails with
 * EmailUnavailable so the worker backs the whole batch off.
 */
export const make = (options: SesOptions) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))
      return new SESClient({
        region: options.region,
        maxAttempts: 1,
        requestHandler: { requestTimeout: Duration.toMillis(timeout), connectionTimeout: Duration.toMillis(timeout) },
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : {
          credentials: {
            accessKeyId: options.credentials.accessKeyId,
            secretAccessKey: Redacted.value(options.credentials.secretAccessKey) as string
          }
        })
      })
    }),
    (client) => Effect.sync(() => client.destroy())
  ).pipe(Effect.map((client) => {
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))

    const sendOne = (message: EmailMessage) =>
      Effect.tryPromise({
        try: (signal) =>
          client.send(
            new SendEmailCommand({
              Source: options.from,
              Destination: { ToAddresses: [message.to] },
              Message: {
                Subject: { Data: message.subject, Charset: "UTF-8" },
                Body: {
                  Text: { Data: message.text, Charset: "UTF-8" },
                  Html: { Data: message.html, Charset: "UTF-8" }
                }
              }
            }),
            { abortSignal: signal }
          ),
        catch: (error) => error
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.sum(timeout, Duration.seconds(1)),
          onTimeout: () => ({ name: "TimeoutError", message: `no answer within ${Duration.format(timeout)}` })
        }),
        ProviderMetrics.measured(
          { provider: "ses", operation: "email" },
          (e) => isTransient(e) ? "unavailable" : "rejected"
        ),
        Effect.withSpan("SesEmailSender.sendOne")
      )

    const send = (batch: ReadonlyArray<EmailMessage>): Effect.Effect<ReadonlyArray<EmailOutcome>, EmailUnavailable> => {
      if (batch.length === 0) return Effect.succeed([])
      if (batch.length > EMAIL_BATCH_LIMIT) {
        return Effect.die(new RangeError(`an e-mail batch holds at most ${EMAIL_BATCH_LIMIT} messages`))
      }
      return Effect.gen(function*() {
        const halted = yield* Ref.make<string | undefined>(undefined)
        const outcomes = yield* Effect.forEach(
          batch,
          (message) =>
            Effect.gen(function*(): Effect.fn.Return<EmailOutcome> {
              const haltedBy = yield* Ref.get(halted)
              if (haltedBy !== undefined) {
                return { _tag: "Retry", to: message.to, reason: `not attempted: ${haltedBy}` }
              }
              return yield* sendOne(message).pipe(
                Effect.map((reply): EmailOutcome => ({
                  _tag: "Accepted",
                  to: message.to,
                  providerId: reply.MessageId ?? ""
                })),
                Effect.catchAll((error): Effect.Effect<EmailOutcome> => {
                  const reason = reasonOf(error)
                  return isTransient(error)
                    ? Effect.as(Ref.set(halted, reason), { _tag: "Retry", to: message.to, reason })
                    : Effect.succeed({ _tag: "Refused", to: message.to, reason })
                })
              )
            }),
          { concurrency: options.concurrency ?? 8 }
        )
        if (outcomes.every((outcome) => outcome._tag === "Retry")) {
          return yield* new EmailUnavailable({ reason: outcomes[0]!.reason })
        }
        return outcomes
      }).pipe(Effect.withSpan("SesEmailSender.send", { attributes: { messages: batch.length } }))
    }

    return EmailSender.of({ send })
  }))

/** The SES adapter with explicit options (tests, tools). */
export const layerWith = (options: SesOptions): Layer.Layer<EmailSender> => Layer.scoped(EmailSender, make(options))

/** The SES adapter configured from the environment. */
export const layer: Layer.Layer<EmailSender, ConfigError.ConfigError> = Layer.scoped(
  EmailSender,
  Effect.flatMap(config, make)
)
