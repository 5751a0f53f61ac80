import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { InboundSms } from "@vigie/domain/sms/InboundSms"
import { SmsGateway } from "@vigie/domain/sms/SmsGateway"
import { Effect, Either, Option, Schema } from "effect"
import { verifiedFields } from "./PlivoStatusWebhook.js"
import type { PlivoWebhookOptions } from "./PlivoStatusWebhook.js"

export const INBOUND_PATH = "/webhooks/plivo/sms"

const decodeInbound = Schema.decodeUnknownEither(InboundSms)

const text = (body: string, status: number) => HttpServerResponse.text(body, { status })

/**
 * Plivo's inbound message webhook (form fields From, To, Text, Type, MessageUUID). The V3 signature
 * is checked before anything else: missing, malformed or wrong → 403 and nothing written. A verified
 * message is recorded in the SMS gateway's inbox, once per MessageUUID (a retry answers 200 and does
 * nothing), and answered at once: the inbox workers handle it after the commit (alert, fan-out,
 * STOP, reply), so the answer never waits for a fan-out or for the SMS provider. A signed request without a
 * usable MessageUUID or From answers 400; a database failure 500, so that Plivo retries later
 * (nothing was committed).
 */
export const handler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const verified = yield* verifiedFields(options, "inbound message")
    if (Option.isNone(verified)) return text("Forbidden", 403)
    const params = verified.value

    const single = (key: string) => (params[key]?.length === 1 ? params[key][0] : undefined)
    const repeated = ["From", "To", "Text", "Type", "MessageUUID"].some((key) => (params[key]?.length ?? 0) > 1)
    const sms = decodeInbound({
      messageUuid: single("MessageUUID"),
      from: single("From"),
      to: single("To") ?? "",
      text: single("Text") ?? "",
      type: single("Type") ?? "sms"
    })
    if (repeated || Either.isLeft(sms)) return text("Bad Request", 400)

    const result = yield* (yield* SmsGateway).receive(sms.right)
    return text(result._tag === "Duplicate" ? "Already received" : "OK", 200)
  }).pipe(
    Effect.catchAllDefect((defect) =>
      Effect.logError("Plivo inbound message not handled", defect).pipe(Effect.as(text("Retry later", 500)))
    ),
    Effect.withSpan("PlivoInboundWebhook")
  )

/** POST /webhooks/plivo/sms, to add to the server's router: `router.pipe(plivoInboundRoute(options))`. Needs SmsGateway. */
export const plivoInboundRoute = (options: PlivoWebhookOptions) => HttpRouter.post(INBOUND_PATH, handler(options))
