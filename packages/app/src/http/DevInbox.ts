import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { SqlClient } from "@effect/sql"
import { listEmailOutbox } from "@vigie/adapters/email/OutboxEmailSender"
import { listPostalOutbox } from "@vigie/adapters/postal/PdfPostalMailer"
import { listSmsOutbox } from "@vigie/adapters/sms/OutboxSmsSender"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import type { VoiceCallStatus } from "@vigie/domain/channels/VoiceCallLog"
import { formatActivationCode, type ActivationCode } from "@vigie/domain/verification/ActivationCode"
import * as OtpAuthTotp from "@vigie/adapters/auth/OtpAuthTotp"
import { Clock, DateTime, Effect, Option } from "effect"
import { DEMO_TOTP_SECRET } from "../seed/DemoTown.js"

/** How many of the latest messages of each kind the inbox shows. */
const LIMIT = 100

export interface DevSms {
  readonly recipient: string
  readonly text: string
  readonly time: string
}

export interface DevEmail {
  readonly recipient: string
  readonly subject: string
  readonly body: string
  readonly time: string
}

export interface DevLetter {
  /** An activation letter, or the code of a neighbour registered on paper to create their web access. */
  readonly kind: "activation" | "account_claim"
  readonly recipient: string
  readonly address: ReadonlyArray<string>
  /** The code, grouped as printed; null when the mailer does not keep codes. */
  readonly code: string | null
  readonly expiresAt: string
  readonly file: string
  readonly time: string
}

/** A voice call ("Appel vocal"): what it said, the keys it offered and the ones pressed. */
export interface DevVoiceCall {
  readonly reference: string
  readonly recipient: string
  readonly text: string
  /** The keys offered ("19"), or null for a message without keypad. */
  readonly digits: string | null
  readonly pressed: string | null
  readonly status: VoiceCallStatus
  readonly time: string
}

/** What GET /dev/outbox answers: the latest messages that stayed on this machine, newest first. */
export interface DevOutbox {
  readonly sms: ReadonlyArray<DevSms>
  readonly emails: ReadonlyArray<DevEmail>
  readonly letters: ReadonlyArray<DevLetter>
  readonly voice: ReadonlyArray<DevVoiceCall>
}

const iso = (at: DateTime.Utc) => DateTime.formatIso(at)

export const readOutbox: Effect.Effect<DevOutbox, never, SqlClient.SqlClient> = Effect.all({
  sms: Effect.map(
    listSmsOutbox(LIMIT),
    (rows) => rows.map((m): DevSms => ({ recipient: m.destination, text: m.text, time: iso(m.createdAt) }))
  ),
  emails: Effect.map(
    listEmailOutbox(LIMIT),
    (rows) =>
      rows.map((m): DevEmail => ({ recipient: m.destination, subject: m.subject, body: m.text,
        time: iso(m.createdAt) })
      )
  ),
  letters: Effect.map(listPostalOutbox(LIMIT), (rows) =>
    rows.map((l): DevLetter => ({
      kind: l.kind,
      recipient: l.recipientName,
      address: [l.address.line1, ...(l.address.line2 === null ? [] : [l.address.line2]),
        `${l.address.postcode} ${l.address.city}`],
      code: l.code === null ? null : formatActivationCode(l.code as ActivationCode),
      expiresAt: iso(l.expiresAt),
      file: l.filePath,
      time: iso(l.createdAt)
    }))),
  voice: Effect.flatMap(PgVoiceCallLog.make, (log) => log.latest(LIMIT)).pipe(
    Effect.map((calls) =>
      calls.map((c): DevVoiceCall => ({
        reference: c.reference,
        recipient: c.to,
        text: c.text,
        digits: Option.getOrNull(c.digits),
        pressed: Option.getOrNull(c.pressed),
        status: c.status,
        time: iso(c.updatedAt)
      }))
    )
  )
}, { concurrency: 1 }).pipe(Effect.orDie, Effect.withSpan("DevInbox.read"))

/** Escapes text for HTML element content and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

const parisTime = (isoTime: string) =>
  new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "medium" })
    .format(new Date(isoTime))

const parisDate = (isoTime: string) =>
  new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long" }).format(new Date(isoTime))

/** Shows an SMS with its six-digit code, if any, set large. */
const smsText = (text: string) => escapeHtml(text).replace(/\b(\d{6})\b/g, "<strong class=\"code\">$1</strong>")

const section = (title: string, empty: string, items: ReadonlyArray<string>) =>
  `<section><h2>${title} <small>(${items.length})</small></h2>${
    items.length === 0 ? `<p class="empty">${empty}</p>` : `<ol>${items.join("")}</ol>`
  }</section>`

/** Where the dev inbox's keypad buttons post (DevVoiceForm): a key pressed as Plivo would send it. */
export const DEV_VOICE_PATH = "/dev/voice"

const voiceStatusLabels: Readonly<Record<VoiceCallStatus, string>> = {
  placing: "en cours d’appel",
  placed: "appel passé",
  answered: "décroché",
  completed: "terminé",
  unanswered: "sans réponse",
  failed: "échec"
}

/** One call: its text and, when keys are offered and `keys` is on, one button per key. */
const voiceItem = (c: DevVoiceCall, keys: boolean) =>
  `<li><p class="meta">${escapeHtml(parisTime(c.time))} · Appel vocal à ${escapeHtml(c.recipient)} · ${
    escapeHtml(voiceStatusLabels[c.status])
  }${c.pressed === null ? "" : ` · touche ${escapeHtml(c.pressed)}`}</p><p>${escapeHtml(c.text)}</p>` +
  (c.digits === null || !keys ? "" : `<form method="post" action="${DEV_VOICE_PATH}">` +
    `<input type="hidden" name="reference" value="${escapeHtml(c.reference)}">` +
    [...c.digits].map((d) =>
      `<button type="submit" name="digits" value="${escapeHtml(d)}">Appuyer sur ${escapeHtml(d)}</button> `
    ).join("") + `</form>`) +
  `</li>`

/**
 * The dev inbox page, in French, server-rendered; every value from the database is escaped. With
 * `voiceKeys` (POST /dev/voice is mounted), voice calls that offer keys get buttons to press one.
 */
export const renderPage = (
  outbox: DevOutbox,
  smsForm?: string,
  staffCode?: string,
  voiceKeys = smsForm !== undefined
): string => {
  const letters = outbox.letters.map((l) =>
    `<li><p class="meta">${escapeHtml(parisTime(l.time))} · valable jusqu’au ${
      escapeHtml(parisDate(l.expiresAt))
    }</p>` +
    `<p class="to">${escapeHtml(l.recipient)}<br>${l.address.map(escapeHtml).join("<br>")}</p>` +
    (l.code === null
      ? `<p class="empty">Code non conservé (POSTAL_KEEP_CODES désactivé).</p>`
      : l.kind === "account_claim"
      ? `<p>Code pour créer l’accès (inscrit sur papier) :</p>` +
        `<p class="code big" aria-label="Code pour créer l’accès">${escapeHtml(l.code)}</p>`
      : `<p>Code d’activation :</p><p class="code big" aria-label="Code d’activation">${escapeHtml(l.code)}</p>`) +
    `<p class="meta">Fichier : ${escapeHtml(l.file)}</p></li>`
  )
  const sms = outbox.sms.map((m) =>
    `<li><p class="meta">${escapeHtml(parisTime(m.time))} · à ${escapeHtml(m.recipient)}</p><p>${
      smsText(m.text)
    }</p></li>`
  )
  const emails = outbox.emails.map((m) =>
    `<li><p class="meta">${escapeHtml(parisTime(m.time))} · à ${escapeHtml(m.recipient)}</p>` +
    `<p class="subject">${escapeHtml(m.subject)}</p><pre>${escapeHtml(m.body)}</pre></li>`
  )
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${
    smsForm === undefined
      ? `<meta http-equiv="refresh" content="10">\n`
      : ""
  }<title>Boîte de développement — Vigie</title>
<style>
body{font:18px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1f;background:#fafafa}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}h2 small{font-weight:normal;color:#555}
ol{list-style:none;padding:0;margin:0}li{background:#fff;border:1px solid #ccc;border-radius:.5rem;padding:.75rem;margin:.75rem 0}
p{margin:.25rem 0}.meta{color:#555;font-size:.9rem}.subject{font-weight:bold}.empty{color:#555;font-style:italic}
.code{font-family:ui-monospace,monospace;font-size:1.4rem;letter-spacing:.1em}
.big{font-size:2rem;font-weight:bold;text-align:center;border:2px solid #0d4d8c;border-radius:.5rem;padding:.5rem;word-break:break-all}
pre{white-space:pre-wrap;word-wrap:break-word;font:inherit;margin:.5rem 0 0}
a.button{display:inline-block;min-height:44px;padding:.6rem 1.2rem;background:#0d4d8c;color:#fff;border-radius:.5rem;text-decoration:none}
.note{background:#fff3cd;border:1px solid #e0c060;border-radius:.5rem;padding:.5rem .75rem}
</style>
</head>
<body>
<h1>Boîte de développement</h1>
<p class="note">Environnement de développement : rien ne quitte cette machine. Les SMS, e-mails et courriers
que Vigie aurait envoyés s’affichent ici, les plus récents en premier.${
    smsForm === undefined ? " La page se rafraîchit toutes les 10 secondes." : ""
  }</p>
<p><a class="button" href="/dev">Rafraîchir</a></p>
${
    staffCode === undefined ? "" : `<section><h2>Code du personnel de démonstration</h2>
<p>Mairie, police, modération et administration se connectent avec le mot de passe de démonstration puis ce code
(secret TOTP ${escapeHtml(DEMO_TOTP_SECRET)}, valable 30 secondes, une seule fois par compte) :</p>
<p class="code big" aria-label="Code de connexion du personnel">${escapeHtml(staffCode)}</p></section>`
  }
${smsForm ?? ""}
${section("Courriers (codes d’activation et d’accès)", "Aucun courrier pour l’instant.", letters)}
${section("SMS", "Aucun SMS pour l’instant.", sms)}
${section("E-mails", "Aucun e-mail pour l’instant.", emails)}
<div id="voice">${
    section(
      "Appels vocaux",
      "Aucun appel vocal pour l’instant.",
      outbox.voice.map((c) => voiceItem(c, voiceKeys))
    )
  }</div>
</body>
</html>
`
}

const noStore = { "cache-control": "no-store", "x-content-type-options": "nosniff" }

/**
 * The dev inbox, for development only: GET /dev/outbox (JSON) and GET /dev (a page). The caller
 * mounts these routes only when VIGIE_ENV is development; elsewhere they do not exist (404).
 */
export const routerWith = <R = never>(smsForm?: Effect.Effect<string, never, R>, voiceKeys = false) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      "/dev/outbox",
      Effect.map(readOutbox, (outbox) => HttpServerResponse.unsafeJson(outbox, { headers: noStore }))
    ),
    HttpRouter.get(
      "/dev",
      Effect.gen(function*() {
        const outbox = yield* readOutbox
        const form = smsForm === undefined ? undefined : yield* smsForm
        const staffCode = OtpAuthTotp.make.codeAt(DEMO_TOTP_SECRET, yield* Clock.currentTimeMillis)
        return HttpServerResponse.html(renderPage(outbox, form, staffCode, voiceKeys)).pipe(
          HttpServerResponse.setHeaders({
            ...noStore,
            "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action ${
              form === undefined && !voiceKeys ? "'none'" : "'self'"
            }`
          })
        )
      })
    )
  )

/** The dev inbox without the SMS form. */
export const router = routerWith()
