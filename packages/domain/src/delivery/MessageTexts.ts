import { Either, Encoding, Option } from "effect"
import { isTownCategory } from "../alerts/Alert.js"
import type { AlertCategory, AlertId, AlertOrigin, Urgency } from "../alerts/Alert.js"
import { categoryLabels, mairieOf, originLabels } from "../alerts/AlertLabels.js"

/** What the texts need to know about an alert. `communeName` names the mairie of a town alert. */
export interface AlertForMessage {
  readonly alertId: AlertId
  readonly category: AlertCategory
  readonly urgency: Urgency
  readonly origin: AlertOrigin
  readonly text: string
  readonly place: Option.Option<string>
  readonly communeName: string
}

/** Which message: the alert itself, the short "another neighbour confirms", or the closing note. */
export type MessageSpec =
  | { readonly kind: "alert" }
  | { readonly kind: "followup" }
  | { readonly kind: "closing"; readonly outcome: "resolved" | "retracted" }

export interface EmailText {
  readonly subject: string
  readonly text: string
  readonly html: string
}


const uuidHex = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An alert id in 22 URL-safe characters (base64url of its 16 bytes), for SMS links. Reversible. */
export const shortAlertId = (alertId: AlertId): string => {
  const hex = alertId.replaceAll("-", "")
  const bytes = new Uint8Array(16)
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return Encoding.encodeBase64Url(bytes)
}

/** The alert id behind a short id, when it is one (the id still has to be checked against the database). */
export const alertIdFromShortId = (short: string): Option.Option<string> => {
  if (!/^[A-Za-z0-9_-]{22}$/.test(short)) return Option.none()
  return Either.match(Encoding.decodeBase64Url(short), {
    onLeft: () => Option.none(),
    onRight: (bytes) => {
      if (bytes.length !== 16) return Option.none()
      const hex = Encoding.encodeHex(bytes)
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
      return uuidHex.test(id) && shortAlertId(id as AlertId) === short ? Option.some(id) : Option.none()
    }
  })
}

const base = (publicUrl: URL | string): string => String(publicUrl).replace(/\/+$/, "")

/** The short link to an alert: PUBLIC_URL + "/a/" + short id. The web app serves that path. */
export const alertLink = (publicUrl: URL | string, alertId: AlertId): string =>
  `${base(publicUrl)}/a/${shortAlertId(alertId)}`

/** Where a member chooses channels, urgency and quiet hours. */
export const preferencesLink = (publicUrl: URL | string): string => `${base(publicUrl)}/preferences`


const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXTENSION = "\f^{}\\[~]|€"
const basicSet = new Set(GSM_BASIC)
const extensionSet = new Set(GSM_EXTENSION)

/** Septets a character takes in GSM-7 (2 for the extension table), or undefined when it has none. */
export const gsm7Septets = (char: string): 1 | 2 | undefined =>
  basicSet.has(char) ? 1 : extensionSet.has(char) ? 2 : undefined

export interface Segments {
  readonly encoding: "GSM-7" | "UCS-2"
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly units: number
  /** SMS parts billed: 160/153 septets per part in GSM-7, 70/67 code units in UCS-2. */
  readonly segments: number
}

/** Packs characters into parts of `multi` units, never splitting an escape pair or a surrogate pair. */
const countSegments = (sizes: ReadonlyArray<number>, single: number, multi: number): number => {
  const total = sizes.reduce((a, b) => a + b, 0)
  if (total <= single) return 1
  let segments = 1
  let used = 0
  for (const size of sizes) {
    if (used + size > multi) {
      segments++
      used = size
    } else {
      used += size
    }
  }
  return segments
}

/**
 * How an SMS is encoded and how many parts it costs (3GPP TS 23.038 / 23.040): GSM-7 when every
 * character is in the basic or extension table, otherwise UCS-2 (any emoji, "œ", "ê", "’", "…").
 * An empty text still costs one part.
 */
export const gsm7Segments = (text: string): Segments => {
  const chars = Array.from(text)
  const septets = chars.map(gsm7Septets)
  if (septets.every((s) => s !== undefined)) {
    return {
      encoding: "GSM-7",
      units: septets.reduce<number>((a, b) => a + b!, 0),
      segments: countSegments(septets as ReadonlyArray<number>, 160, 153)
    }
  }
  const units = chars.map((c) => c.length)
  return { encoding: "UCS-2", units: text.length, segments: countSegments(units, 70, 67) }
}

const replacements: Readonly<Record<string, string>> = {
  "œ": "oe",
  "Œ": "OE",
  "ç": "c",
  "’": "'",
  "‘": "'",
  "‚": "'",
  "′": "'",
  "`": "'",
  "“": "\"",
  "”": "\"",
  "„": "\"",
  "«": "\"",
  "»": "\"",
  "–": "-",
  "—": "-",
  "‐": "-",
  "‑": "-",
  "−": "-",
  "…": "...",
  "•": "-",
  "°": "o",
  "\t": " ",
  "\u00a0": " ",
  "\u202f": " ",
  "\u2009": " "
}

/**
 * The closest GSM-7 text: French letters outside the table lose their accent ("ê" → "e", "œ" →
 * "oe"), typographic quotes and dashes become plain ones, anything else without a GSM-7 form (emoji,
 * other scripts) is dropped. One UCS-2 character would otherwise cost a town alert 2 to 3 times more.
 */
export const toGsm7 = (text: string): string => {
  let out = ""
  for (const char of text) {
    if (gsm7Septets(char) !== undefined) {
      out += char
      continue
    }
    const replaced = replacements[char]
    if (replaced !== undefined) {
      out += replaced
      continue
    }
    const stripped = char.normalize("NFD").replace(/\p{M}/gu, "")
    if (stripped.length > 0 && Array.from(stripped).every((c) => gsm7Septets(c) !== undefined)) out += stripped
    else if (/\s/u.test(char)) out += " "
  }
  return out.replace(/ {2,}/g, " ")
}

const septetsOf = (text: string): number => Array.from(text).reduce((n, c) => n + (gsm7Septets(c) ?? 2), 0)

const GSM_ELLIPSIS = "..."

/**
 * `text` cut to at most `max` septets, ending with "..." when cut (the single-character "…" is not
 * in GSM-7 and would turn the whole SMS into UCS-2). Cuts at a word boundary when one is near.
 */
export const truncateGsm7 = (text: string, max: number): string => {
  if (septetsOf(text) <= max) return text
  const room = max - GSM_ELLIPSIS.length
  if (room <= 0) return ""
  let cut = ""
  let used = 0
  for (const char of text) {
    const size = gsm7Septets(char) ?? 2
    if (used + size > room) break
    cut += char
    used += size
  }
  const space = cut.lastIndexOf(" ")
  if (space >= Math.max(1, cut.length - 15)) cut = cut.slice(0, space)
  cut = cut.replace(/[\s,;:.!?-]+$/u, "")
  return cut.length === 0 ? "" : cut + GSM_ELLIPSIS
}


/** Who a town alert comes from; residents stay "un voisin" (their name is shown only in the app). */
export const speakerOf = (alert: AlertForMessage): Option.Option<string> =>
  alert.origin === "mairie"
    ? Option.some(mairieOf(alert.communeName))
    : alert.origin === "police"
    ? Option.some(originLabels.police)
    : Option.none()

const oneLine = (text: string): string => text.replace(/\s+/gu, " ").trim()


const SMS_SINGLE = 160
/** The least of the alert's own text worth keeping before the place is shortened too. */
const MIN_TEXT = 24
const MAX_PLACE_WHEN_SHORT = 40

const smsHead = (alert: AlertForMessage): string => {
  const label = toGsm7(categoryLabels[alert.category])
  const speaker = Option.match(speakerOf(alert), { onNone: () => "", onSome: (s) => `${toGsm7(s)} - ` })
  return `Vigie ${alert.urgency === "urgent" ? "ALERTE" : "info"} ${speaker}${label}`
}

const renderSms = (
  alert: AlertForMessage,
  spec: MessageSpec,
  place: string,
  text: string,
  link: string
): string => {
  const at = place === "" ? "" : ` - ${place}`
  const label = toGsm7(categoryLabels[alert.category])
  switch (spec.kind) {
    case "alert":
      return `${smsHead(alert)}${at}: ${text} ${link}`
    case "followup":
      return `Vigie: un autre voisin confirme l'alerte ${label}${at}. ${link}`
    case "closing":
      return `Vigie: l'alerte ${label}${at} est ${spec.outcome === "resolved" ? "résolue" : "retirée"}. ${link}`
  }
}

/**
 * The SMS of an alert message: "Vigie" prefix, urgency, who speaks (town alerts), category, place,
 * the alert's text, and the short link, kept intact at the end. The text is made GSM-7 (`toGsm7`)
 * and, when the whole does not fit one 160-septet part, the alert's text is shortened with "...",
 * then the place. When even that cannot fit (a very long PUBLIC_URL), the full text goes in several parts.
 */
export const smsText = (alert: AlertForMessage, spec: MessageSpec, publicUrl: URL | string): string => {
  const link = alertLink(publicUrl, alert.alertId)
  const place = oneLine(toGsm7(Option.getOrElse(alert.place, () => "")))
  const text = spec.kind === "alert" ? oneLine(toGsm7(alert.text)) : ""
  const full = renderSms(alert, spec, place, text, link)
  if (gsm7Segments(full).segments === 1) return full

  const fit = (placeNow: string): string | undefined => {
    const room = SMS_SINGLE - septetsOf(renderSms(alert, spec, placeNow, "", link))
    if (spec.kind !== "alert") return room >= 0 ? renderSms(alert, spec, placeNow, "", link) : undefined
    if (room < Math.min(MIN_TEXT, septetsOf(text))) return undefined
    const cut = truncateGsm7(text, room)
    return cut === "" ? undefined : renderSms(alert, spec, placeNow, cut, link)
  }
  return fit(place) ?? fit(truncateGsm7(place, MAX_PLACE_WHEN_SHORT)) ?? fit("") ?? full
}


/** Escapes the five characters that matter in HTML text and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "\"" ? "&quot;" : "&#39;")

export const EMERGENCY_REMINDER =
  "En cas d'urgence, appelez le 17 (police), le 18 (pompiers) ou le 15 (SAMU). Vigie ne remplace pas les secours : observez, n'intervenez jamais vous-même."

const headline = (alert: AlertForMessage, spec: MessageSpec): string => {
  switch (spec.kind) {
    case "alert":
      return alert.urgency === "urgent"
        ? "Alerte urgente"
        : isTownCategory(alert.category) || alert.origin === "mairie" || alert.origin === "police"
        ? "Information"
        : "Alerte (information)"
    case "followup":
      return "Un autre voisin confirme l'alerte"
    case "closing":
      return spec.outcome === "resolved" ? "Alerte résolue" : "Alerte retirée"
  }
}

const closingSentence = (outcome: "resolved" | "retracted"): string =>
  outcome === "resolved"
    ? "Cette alerte est résolue. Merci de votre vigilance."
    : "Cette alerte a été retirée par son auteur. Merci de ne plus en tenir compte."

/** Subject, plain text and HTML of an alert message by e-mail, with links to the alert and to preferences. */
export const emailText = (alert: AlertForMessage, spec: MessageSpec, publicUrl: URL | string): EmailText => {
  const link = alertLink(publicUrl, alert.alertId)
  const prefs = preferencesLink(publicUrl)
  const label = categoryLabels[alert.category]
  const place = Option.map(alert.place, oneLine)
  const speaker = speakerOf(alert)
  const head = headline(alert, spec)

  const subject = oneLine(
    `Vigie – ${head}${Option.match(speaker, { onNone: () => "", onSome: (s) => ` – ${s}` })} : ${label}${
      Option.match(place, { onNone: () => "", onSome: (p) => ` – ${p}` })
    }`
  )

  const facts: ReadonlyArray<readonly [string, string]> = [
    ["Catégorie", label],
    ...Option.match(place, { onNone: () => [], onSome: (p) => [["Lieu", p] as const] }),
    ...Option.match(speaker, { onNone: () => [], onSome: (s) => [["Émise par", s] as const] })
  ]
  const body: ReadonlyArray<string> = spec.kind === "alert"
    ? alert.text.split(/\r?\n/)
    : spec.kind === "followup"
    ? ["Un autre voisin a signalé la même chose. Restez attentif, sans intervenir."]
    : [closingSentence(spec.outcome)]
  const footer = "Vous recevez ce message parce que vous êtes membre d'une communauté Vigie."

  const text = [
    head.toUpperCase(),
    "",
    ...facts.map(([k, v]) => `${k} : ${v}`),
    "",
    ...body,
    "",
    `Voir l'alerte : ${link}`,
    "",
    EMERGENCY_REMINDER,
    "",
    `${footer} Gérer vos notifications : ${prefs}`
  ].join("\n")

  const e = escapeHtml
  const html = [
    "<!DOCTYPE html>",
    "<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + e(subject) + "</title></head>",
    "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a\">",
    `<h1 style="font-size:22px;color:${
      spec.kind === "alert" && alert.urgency === "urgent" ? "#b00020" : "#1a1a1a"
    }">${e(head)}</h1>`,
    "<ul>",
    ...facts.map(([k, v]) => `<li><strong>${e(k)} :</strong> ${e(v)}</li>`),
    "</ul>",
    ...body.map((line) => `<p>${e(line)}</p>`),
    `<p><a href="${e(link)}" style="font-size:18px">Voir l'alerte</a></p>`,
    `<p style="background:#fff4e5;padding:12px"><strong>${e(EMERGENCY_REMINDER)}</strong></p>`,
    `<p style="font-size:14px;color:#555">${e(footer)} <a href="${e(prefs)}">Gérer vos notifications</a></p>`,
    "</body></html>"
  ].join("\n")

  return { subject, text, html }
}

/** What the texts need to know about a bulletin to référents. `communeName` names the mairie. */
export interface BulletinForMessage {
  readonly origin: "mairie" | "police"
  readonly communeName: string
  readonly text: string
}

const bulletinSpeaker = (b: BulletinForMessage): string =>
  b.origin === "mairie" ? mairieOf(b.communeName) : `${originLabels.police} de ${b.communeName}`

/**
 * The SMS of a bulletin: "Vigie – Mairie de X aux référents : …". The dash is written "-" (the en
 * dash is not GSM-7); the text is made GSM-7 and shortened with "..." to keep one 160-septet part;
 * the whole text stays in the référent's inbox and e-mail. No link: the web app has no inbox page yet,
 * and every septet goes to the text.
 */
export const bulletinSmsText = (b: BulletinForMessage): string => {
  const head = `Vigie - ${toGsm7(bulletinSpeaker(b))} aux référents : `
  const text = oneLine(toGsm7(b.text))
  const full = `${head}${text}`
  if (gsm7Segments(full).segments === 1) return full
  const room = SMS_SINGLE - septetsOf(head)
  const cut = room >= MIN_TEXT ? truncateGsm7(text, room) : ""
  return cut === "" ? full : `${head}${cut}`
}

/** Subject, plain text and HTML (escaped) of a bulletin to référents by e-mail. */
export const bulletinEmailText = (b: BulletinForMessage, publicUrl: URL | string): EmailText => {
  const speaker = bulletinSpeaker(b)
  const site = base(publicUrl)
  const prefs = preferencesLink(publicUrl)
  const subject = oneLine(`Vigie – ${speaker} aux référents`)
  const body = b.text.split(/\r?\n/)
  const relay = "Vous le recevez en tant que référent : relayez-le à vos voisins si vous le jugez utile."
  const text = [
    `${speaker.toUpperCase()} AUX RÉFÉRENTS`,
    "",
    ...body,
    "",
    relay,
    `Retrouvez-le dans votre boîte de référent sur Vigie : ${site}`,
    "",
    `Gérer vos notifications : ${prefs}`
  ].join("\n")
  const e = escapeHtml
  const html = [
    "<!DOCTYPE html>",
    "<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + e(subject) + "</title></head>",
    "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a\">",
    `<h1 style="font-size:22px">${e(speaker)} aux référents</h1>`,
    ...body.map((line) => `<p>${e(line)}</p>`),
    `<p>${e(relay)}</p>`,
    `<p><a href="${e(site)}" style="font-size:18px">Ouvrir Vigie</a></p>`,
    `<p style="font-size:14px;color:#555"><a href="${e(prefs)}">Gérer vos notifications</a></p>`,
    "</body></html>"
  ].join("\n")
  return { subject, text, html }
}

/**
 * What a moderation notice tells one person: their alert approved, hidden (with the reason), or
 * restored; or a warning with its reason and the moderator's words.
 */
export type ModerationNoticeSpec =
  | { readonly kind: "approved"; readonly category: AlertCategory }
  | { readonly kind: "hidden"; readonly category: AlertCategory; readonly reason: string }
  | { readonly kind: "restored"; readonly category: AlertCategory }
  | { readonly kind: "warned"; readonly reason: string; readonly details: Option.Option<string> }

/**
 * The SMS of a moderation notice, in French, made GSM-7 and kept to one 160-septet part (the reason
 * or the moderator's words are shortened with "..." when needed). Sent to the author of an alert
 * posted by SMS, who has no alert page open, and to a warned account.
 */
export const moderationNoticeSms = (spec: ModerationNoticeSpec): string => {
  const alert = (category: AlertCategory) => `Vigie: votre alerte "${toGsm7(categoryLabels[category])}"`
  const fit = (head: string, variable: string, tail: string): string => {
    const whole = `${head}${variable}${tail}`
    if (gsm7Segments(whole).segments === 1) return whole
    const room = SMS_SINGLE - septetsOf(head) - septetsOf(tail)
    return `${head}${truncateGsm7(variable, Math.max(room, 0))}${tail}`
  }
  switch (spec.kind) {
    case "approved":
      return `${alert(spec.category)} a été vérifiée par la modération et envoyée à vos voisins. Merci.`
    case "restored":
      return `${alert(spec.category)} a été rétablie par la modération: vos voisins la voient de nouveau.`
    case "hidden":
      return fit(`${alert(spec.category)} a été masquée par la modération. Motif: `, oneLine(toGsm7(spec.reason)),
        ". Appel possible sur Vigie.")
    case "warned": {
      const words = Option.match(spec.details, { onNone: () => "", onSome: (d) => ` - ${oneLine(toGsm7(d))}` })
      return fit("Vigie: avertissement de la modération. Motif: ", `${oneLine(toGsm7(spec.reason))}${words}`,
        ". Merci de respecter la charte.")
    }
  }
}

/** Subject, plain text and HTML (escaped) of a moderation notice by e-mail: the notice's own text. */
export const noticeEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const site = base(publicUrl)
  const subject = "Vigie – message de la modération"
  const text = [body, "", `Vigie : ${site}`].join("\n")
  const e = escapeHtml
  const html = [
    "<!DOCTYPE html>",
    "<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + e(subject) + "</title></head>",
    "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a\">",
    `<h1 style="font-size:22px">Message de la modération</h1>`,
    `<p>${e(body)}</p>`,
    `<p><a href="${e(site)}" style="font-size:18px">Ouvrir Vigie</a></p>`,
    "</body></html>"
  ].join("\n")
  return { subject, text, html }
}
