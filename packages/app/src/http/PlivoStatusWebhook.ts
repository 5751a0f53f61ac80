import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { NONCE_HEADER, SIGNATURE_HEADER, verifyV3 } from "@vigie/adapters/sms/PlivoSignature"
import { siteUrl } from "@vigie/domain/channels/Links"
import { DeliveryReceiptRepo } from "@vigie/domain/delivery/DeliveryReceiptRepo"
import { DeliveryReceipt } from "@vigie/domain/delivery/DeliveryReceipts"
import type { ReceiptStatus } from "@vigie/domain/delivery/DeliveryReceipts"
import { Config, DateTime, Effect, Either, Option, Redacted, Schema } from "effect"

export const STATUS_PATH = "/webhooks/plivo/status"

export interface PlivoWebhookOptions {
  /** The site's public address: Plivo signs PUBLIC_URL + path, not the address the proxy forwards to. */
  readonly publicUrl: URL
  readonly authToken: Redacted.Redacted
}

/** `PLIVO_AUTH_TOKEN`: the key of Plivo's webhook signatures. */
export const authTokenConfig: Config.Config<Redacted.Redacted> = Config.redacted("PLIVO_AUTH_TOKEN")

/** Plivo's message statuses, as our delivery statuses. Others (read receipts...) are ignored. */
const plivoStatuses: Readonly<Record<string, ReceiptStatus>> = {
  queued: "sent",
  sent: "sent",
  delivered: "delivered",
  undelivered: "failed",
  failed: "failed",
  rejected: "failed"
}

const decodeReceipt = Schema.decodeUnknownEither(DeliveryReceipt)

const text = (body: string, status: number) => HttpServerResponse.text(body, { status })

/** The full URL Plivo called: PUBLIC_URL (without trailing slash) + the request's path and query. */
export const signedUrl = (publicUrl: URL, requestUrl: string): string => siteUrl(publicUrl, requestUrl)

/**
 * Reads a Plivo webhook's form fields and checks its V3 signature (over PUBLIC_URL + the path, the
 * sorted fields and the nonce, compared in constant time). Succeeds with the fields by name, or fails
 * with the reason, logged under `what`, for a 403 answer.
 */
export const verifiedFields = (options: PlivoWebhookOptions, what: string) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const fields = yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => []))
    const params: Record<string, Array<string>> = {}
    for (const [key, value] of fields) (params[key] ??= []).push(value)
    const problem = verifyV3(
      Redacted.value(options.authToken) as string,
      { method: "POST", url: signedUrl(options.publicUrl, request.originalUrl), nonce: request.headers[NONCE_HEADER],
        params },
      request.headers[SIGNATURE_HEADER]
    )
    if (problem !== undefined) {
      yield* Effect.logWarning(`Refused a Plivo ${what}`).pipe(Effect.annotateLogs({ problem }))
      return Option.none<Readonly<Record<string, ReadonlyArray<string>>>>()
    }
    return Option.some<Readonly<Record<string, ReadonlyArray<string>>>>(params)
  })

/**
 * Plivo's message status callback (form fields MessageUUID, Status, ErrorCode...). The V3 signature
 * is checked before anything else: missing or wrong → 403 and nothing written. A verified receipt
 * moves its delivery forward, at most once whatever Plivo's retries, and the answer is 200 even when
 * it changed nothing (stale, repeated, unknown message, status we do not track), so Plivo stops
 * retrying. A database failure answers 500, so that Plivo retries later.
 */
export const handler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const verified = yield* verifiedFields(options, "status callback")
    if (Option.isNone(verified)) return text("Forbidden", 403)
    const params = verified.value

    const single = (key: string) => params[key]?.length === 1 ? params[key][0] : undefined
    const status = plivoStatuses[(single("Status") ?? "").toLowerCase()]
    if (status === undefined) return text("OK", 200)
    const receipt = decodeReceipt({
      providerId: single("MessageUUID"),
      status,
      errorCode: single("ErrorCode") ?? null
    })
    if (Either.isLeft(receipt)) return text("Bad Request", 400)

    const outcome = yield* (yield* DeliveryReceiptRepo).record(receipt.right, yield* DateTime.now)
    yield* Effect.logDebug("Plivo status callback").pipe(
      Effect.annotateLogs({ providerId: receipt.right.providerId, status, outcome,
        errorCode: Option.getOrNull(receipt.right.errorCode) })
    )
    return text("OK", 200)
  }).pipe(
    Effect.catchAllDefect((defect) =>
      Effect.logError("Plivo status callback not recorded", defect).pipe(Effect.as(text("Retry later", 500)))
    ),
    Effect.withSpan("PlivoStatusWebhook")
  )

/** POST /webhooks/plivo/status, to add to the server's router: `router.pipe(plivoStatusRoute(options))`. */
export const plivoStatusRoute = (options: PlivoWebhookOptions) => HttpRouter.post(STATUS_PATH, handler(options))
