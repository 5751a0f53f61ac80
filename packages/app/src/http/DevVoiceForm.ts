import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { VOICE_DIGITS_PATH, voiceUrl } from "@vigie/adapters/voice/VoicePaths"
import { Effect } from "effect"
import { DEV_VOICE_PATH } from "./DevInbox.js"
import { postSignedToSelf } from "./PlivoSelfPost.js"
import type { PlivoWebhookOptions } from "./PlivoStatusWebhook.js"

export { DEV_VOICE_PATH }

/**
 * POST /dev/voice (development only): a key pressed on an outbox call, from the dev inbox's buttons
 * (`reference`, `digits`). Posted to this same server's digits callback exactly as Plivo would (the
 * form fields, a V3 signature over PUBLIC_URL + path + query with the webhook's own token), so the
 * keypad answers as it would on a real call; then back to /dev.
 */
export const handler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const fields = new Map(yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => [])))
    const reference = fields.get("reference") ?? ""
    const digits = fields.get("digits") ?? ""
    if (reference === "" || !/^[0-9*#]{1,12}$/.test(digits)) {
      return HttpServerResponse.text("reference and digits are required", { status: 400 })
    }
    const address = (yield* HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return HttpServerResponse.text("not served over TCP", { status: 500 })
    const host = address.hostname === "::" || address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname
    const signed = voiceUrl(options.publicUrl, VOICE_DIGITS_PATH, reference)
    const target = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}${
      signed.slice(signed.indexOf(VOICE_DIGITS_PATH))
    }`
    const params = { CallUUID: crypto.randomUUID(), Digits: digits, Direction: "outbound", CallStatus: "in-progress" }
    const status = yield* postSignedToSelf({ authToken: options.authToken, signedUrl: signed, target, params })
    return HttpServerResponse.empty({ status: 303, headers: { location: `/dev?voice=${status}#voice` } })
  }).pipe(Effect.withSpan("DevVoiceForm"))

/** POST /dev/voice, for the development router next to the dev inbox. Needs the HttpServer (its own address). */
export const devVoiceRoute = (options: PlivoWebhookOptions) => HttpRouter.post(DEV_VOICE_PATH, handler(options))
