import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { INBOUND_PATH } from "./PlivoInboundWebhook.js"
import { postSignedToSelf } from "./PlivoSelfPost.js"
import { type PlivoWebhookOptions, signedUrl } from "./PlivoStatusWebhook.js"

export const DEV_SMS_PATH = "/dev/sms"

/** Vigie's own number as the dev form shows it (the "To" of the simulated messages). */
export const DEV_GATEWAY_NUMBER = "33647492626"

/** A member who can post by SMS in the demo: a verified phone. */
export interface DevSmsSender {
  readonly name: string
  readonly phone: string
  readonly community: string | null
}

export interface DevSmsFormData {
  readonly senders: ReadonlyArray<DevSmsSender>
  /** A number no account uses: shows what an unknown number gets. */
  readonly freeNumber: string
}

/** Up to 20 accounts with a verified phone, and a number no account has, for the form. */
export const readSmsFormData: Effect.Effect<DevSmsFormData, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const senders = yield* sql<{ name: string; phone: string; community: string | null }>`
SELECT a.first_name || ' ' || a.last_name AS name, a.phone,
       (SELECT c.name FROM memberships m JOIN communities c ON c.id = m.community_id
        WHERE m.account_id = a.id AND m.status = 'verified' ORDER BY m.home DESC, m.created_at LIMIT 1) AS community
FROM accounts a
WHERE a.phone_verified AND a.status = 'active'
ORDER BY community NULLS LAST, a.phone
LIMIT 20`
  const free = yield* sql<{ phone: string }>`
SELECT '+3375700' || lpad(n::text, 4, '0') AS phone
FROM generate_series(1, 9999) AS n
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.phone = '+3375700' || lpad(n::text, 4, '0'))
LIMIT 1`
  return { senders, freeNumber: free[0]?.phone ?? "+33757009999" }
}).pipe(Effect.orDie, Effect.withSpan("DevSmsForm.read"))

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

/**
 * The "send an SMS as …" form, an HTML fragment for the /dev page (French, every value escaped): a
 * choice of demo members' phones and one free number, a text, and a submit button. It posts to
 * POST /dev/sms, which turns it into a signed Plivo webhook.
 */
export const renderSmsForm = (data: DevSmsFormData): string => {
  const options = [
    ...data.senders.map((s) =>
      `<option value="${escapeHtml(s.phone)}">${escapeHtml(s.name)} · ${escapeHtml(s.phone)}${
        s.community === null ? " · sans communauté vérifiée" : ` · ${escapeHtml(s.community)}`
      }</option>`
    ),
    `<option value="${escapeHtml(data.freeNumber)}">Numéro inconnu · ${escapeHtml(data.freeNumber)}</option>`
  ]
  return `<section id="sms">
<h2>Envoyer un SMS à Vigie</h2>
<form method="post" action="${DEV_SMS_PATH}">
<p><label for="dev-sms-from">Envoyer en tant que</label><br>
<select id="dev-sms-from" name="from" required>${options.join("")}</select></p>
<p><label for="dev-sms-text">Texte du SMS</label><br>
<textarea id="dev-sms-text" name="text" rows="3" cols="40" maxlength="1600">VOL vélo devant la boulangerie</textarea></p>
<p class="meta">Mots-clés : STOP, START, AIDE ; une alerte peut commencer par VOL, CAMBRIOLAGE, SUSPECT, VEHICULE, ANIMAL, FEU, DANGER, SANS NOUVELLES.</p>
<p><button type="submit">Envoyer le SMS</button></p>
</form>
</section>`
}

/**
 * POST /dev/sms (development only): takes `from` and `text` from the form, posts them to this same
 * server's inbound webhook exactly as Plivo would (form fields, MessageUUID, a V3 signature over
 * PUBLIC_URL + path with the webhook's own auth token), then sends the browser back to /dev.
 */
export const handler = (options: PlivoWebhookOptions) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const fields = new Map(yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => [])))
    const from = (fields.get("from") ?? "").replace(/^\+/, "")
    const text = fields.get("text") ?? ""
    if (from === "") return HttpServerResponse.text("from is required", { status: 400 })

    const address = (yield* HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return HttpServerResponse.text("not served over TCP", { status: 500 })
    const host = address.hostname === "::" || address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname
    const target = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}${INBOUND_PATH}`

    const params = { From: from, To: DEV_GATEWAY_NUMBER, Text: text, Type: "sms", MessageUUID: crypto.randomUUID() }
    const url = signedUrl(options.publicUrl, INBOUND_PATH)
    const status = yield* postSignedToSelf({ authToken: options.authToken, signedUrl: url, target, params })
    return HttpServerResponse.empty({ status: 303, headers: { location: `/dev?sms=${status}#sms` } })
  }).pipe(Effect.withSpan("DevSmsForm"))

/** POST /dev/sms, for the development router next to the dev inbox. Needs the HttpServer (its own address). */
export const devSmsRoute = (options: PlivoWebhookOptions) => HttpRouter.post(DEV_SMS_PATH, handler(options))
