import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { NONCE_HEADER, SIGNATURE_HEADER, verifyV3 } from "@vigie/adapters/sms/PlivoSignature"
import { VOICE_ANSWER_PATH, VOICE_DIGITS_PATH, VOICE_HANGUP_PATH, voiceUrl } from "@vigie/adapters/voice/VoicePaths"
import { answerXml, speakXml } from "@vigie/adapters/voice/PlivoVoiceXml"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import { DeliveryReceiptRepo } from "@vigie/domain/delivery/DeliveryReceiptRepo"
import { DeliveryReceipt } from "@vigie/domain/delivery/DeliveryReceipts"
import { DateTime, Effect, Option, Redacted } from "effect"
import { signedUrl } from "./PlivoStatusWebhook.js"
import type { PlivoWebhookOptions } from "./PlivoStatusWebhook.js"

export { VOICE_ANSWER_PATH, VOICE_DIGITS_PATH, VOICE_HANGUP_PATH }

/** Spoken when the call's reference is unknown (an old call, a forged URL that was still signed). */
export const UNKNOWN_CALL_TEXT = "Ce message n’est plus disponible. Au revoir."
/** Spoken after a key when the call is unknown. */
export const THANKS_TEXT = "Merci. Au revoir."

const xml = (body: string) =>
  HttpServerResponse.text(body, { status: 200, contentType: "application/xml; charset=utf-8" })
const text = (body: string, status: number) => HttpServerResponse.text(body, { status })
/** Refused: nothing said about why, no body. */
const forbidden = HttpServerResponse.empty({ status: 403 })

interface VoiceRequest {
  readonly reference: string | undefined
  readonly single: (key: string) => string | undefined
}

/**
 * Reads a Plivo voice callback (GET query or POST form) and checks its V3 signature over PUBLIC_URL +
 * path + query, the form fields and the nonce, in constant time. None when refused (logged under `what`).
 */
const verified = (options: PlivoWebhookOptions, what: string) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const method = request.method === "GET" ? "GET" : "POST"
    const fields = method === "POST" ? yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => [])) : []
    const params: Record<string, Array<string>> = {}
    for (const [key, value] of fields) (params[key] ??= []).push(value)
    const problem = verifyV3(
      Redacted.value(options.authToken) as string,
      { method, url: signedUrl(options.publicUrl, request.originalUrl), nonce: request.headers[NONCE_HEADER], params },
      request.headers[SIGNATURE_HEADER]
    )
    if (problem !== undefined) {
      yield* Effect.logWarning(`Refused a Plivo ${what}`).pipe(Effect.annotateLogs({ problem }))
      return Option.none<VoiceRequest>()
    }
    const query = new URL(request.originalUrl, "http://localhost").searchParams.getAll("reference")
    return Option.some<VoiceRequest>({
      reference: query.length === 1 && query[0] !== "" ? query[0] : undefined,
      single: (key) => params[key]?.length === 1 ? params[key][0] : undefined
    })
  })

const guarded = (what: string) => <E, R>(self: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  self.pipe(
    Effect.catchAllDefect((defect) =>
      Effect.logError(`Plivo ${what} not handled`, defect).pipe(Effect.as(text("Retry later", 500)))
    ),
    Effect.withSpan(`PlivoVoiceWebhook.${what.replaceAll(" ", "_")}`)
  )

/**
 * The answer URL (GET or POST, `?reference=`): Plivo fetches it when the person picks up. Signed (V3)
 * or 403. The XML reads the call's text in French and, when keys are offered, waits for one and sends
 * it to the digits callback; the text comes from the call log (the database), so any process serves it.
 * An unknown reference is answered with a short goodbye.
 */
export const answerHandler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const request = yield* verified(options, "voice answer")
    if (Option.isNone(request)) return forbidden
    const reference = request.value.reference
    if (reference === undefined) return text("Bad Request", 400)
    const log = yield* VoiceCallLog
    const call = yield* log.find(reference)
    if (Option.isNone(call)) {
      yield* Effect.logWarning("Plivo asked for an unknown voice call").pipe(Effect.annotateLogs({ reference }))
      return xml(speakXml(UNKNOWN_CALL_TEXT))
    }
    yield* log.answered(reference, yield* DateTime.now)
    return xml(answerXml(
      call.value.text,
      Option.getOrUndefined(call.value.digits),
      voiceUrl(options.publicUrl, VOICE_DIGITS_PATH, reference)
    ))
  }).pipe(guarded("voice answer"))

/**
 * The digits callback (POST, `?reference=`, form field Digits): signed (V3) or 403. The keys are
 * recorded and handed to the VoiceKeypad, whose answer is spoken back. A call we never placed, or keys
 * that were not offered, are thanked and nothing else.
 */
export const digitsHandler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const request = yield* verified(options, "voice digits")
    if (Option.isNone(request)) return forbidden
    const reference = request.value.reference
    if (reference === undefined) return text("Bad Request", 400)
    const digits = (request.value.single("Digits") ?? "").trim()
    const log = yield* VoiceCallLog
    const call = yield* log.find(reference)
    if (Option.isNone(call)) {
      yield* Effect.logWarning("Plivo sent keys of an unknown voice call").pipe(Effect.annotateLogs({ reference }))
      return xml(speakXml(THANKS_TEXT))
    }
    const offered = Option.getOrElse(call.value.digits, () => "")
    if (digits === "" || ![...digits].every((d) => offered.includes(d))) return xml(speakXml(THANKS_TEXT))
    yield* log.pressed(reference, digits, yield* DateTime.now)
    const answer = yield* (yield* VoiceKeypad).answer(reference, digits)
    return xml(speakXml(answer.speak))
  }).pipe(guarded("voice digits"))

/** Plivo's hangup statuses, as our call log's. */
const endings: Readonly<Record<string, "completed" | "unanswered" | "failed">> = {
  completed: "completed",
  busy: "unanswered",
  "no-answer": "unanswered",
  timeout: "unanswered",
  cancel: "unanswered",
  canceled: "unanswered",
  cancelled: "unanswered",
  failed: "failed"
}

/**
 * The hangup callback (POST, `?reference=`, form fields CallStatus, HangupCause ...): signed (V3) or
 * 403. Records how the call ended and, when the call carried a delivery (an urgent alert), moves it:
 * delivered when someone answered, failed otherwise (a receipt moves a delivery only forward, so
 * Plivo's retries change nothing). Always 200 for a signed request, even for an unknown call.
 */
export const hangupHandler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const request = yield* verified(options, "voice hangup")
    if (Option.isNone(request)) return forbidden
    const reference = request.value.reference
    if (reference === undefined) return text("Bad Request", 400)
    const log = yield* VoiceCallLog
    const call = yield* log.find(reference)
    if (Option.isNone(call)) return text("OK", 200)
    const status = endings[(request.value.single("CallStatus") ?? "").toLowerCase()] ?? "failed"
    const cause = (request.value.single("HangupCause") ?? request.value.single("CallStatus") ?? "").slice(0, 50)
    const now = yield* DateTime.now
    yield* log.ended(reference, status, cause, now)
    const receipts = yield* Effect.serviceOption(DeliveryReceiptRepo)
    if (Option.isSome(receipts) && Option.isSome(call.value.providerId) && reference.startsWith("delivery:")) {
      yield* receipts.value.record(
        DeliveryReceipt.make({
          providerId: call.value.providerId.value,
          status: status === "completed" ? "delivered" : "failed",
          errorCode: status === "completed" || cause === "" ? Option.none() : Option.some(cause)
        }),
        now
      )
    }
    return text("OK", 200)
  }).pipe(guarded("voice hangup"))

/**
 * The voice routes, to add to the server's router: GET and POST answer, POST digits, POST hangup, the
 * keys handed to `keypad`. Needs VoiceCallLog (and DeliveryReceiptRepo, when provided, for calls of
 * deliveries).
 */
export const plivoVoiceRoutes =
  (options: PlivoWebhookOptions & { readonly keypad: VoiceKeypad["Type"] }) =>
  <E, R>(routes: HttpRouter.HttpRouter<E, R>) =>
    routes.pipe(
      HttpRouter.get(VOICE_ANSWER_PATH, answerHandler(options)),
      HttpRouter.post(VOICE_ANSWER_PATH, answerHandler(options)),
      HttpRouter.post(VOICE_DIGITS_PATH, Effect.provideService(digitsHandler(options), VoiceKeypad, options.keypad)),
      HttpRouter.post(VOICE_HANGUP_PATH, hangupHandler(options))
    )
