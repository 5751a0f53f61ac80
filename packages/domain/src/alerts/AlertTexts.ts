import { Option } from "effect"
import { button, type EmailText, facts, highlighted, layout, paragraphs } from "../channels/EmailLayout.js"
import { gsm7Segments, MIN_TEXT, oneLine, septetsOf, SMS_SINGLE, toGsm7, truncateGsm7 } from "../channels/Gsm7.js"
import { alertLink, preferencesLink } from "../channels/Links.js"
import { isTownCategory } from "./Alert.js"
import type { AlertCategory, AlertId, AlertOrigin, Urgency } from "./Alert.js"
import { categoryLabels, mairieOf, originLabels } from "./AlertLabels.js"

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

/** Who a town alert comes from; residents stay "un voisin" (their name is shown only in the app). */
export const speakerOf = (alert: AlertForMessage): Option.Option<string> =>
  alert.origin === "mairie"
    ? Option.some(mairieOf(alert.communeName))
    : alert.origin === "police"
    ? Option.some(originLabels.police)
    : Option.none()

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

/** On every alert e-mail: Vigie never replaces the emergency services. */
export const EMERGENCY_REMINDER = "En cas d'urgence, appelez le 17 (police), le 18 (pompiers) ou le 15 (SAMU). " +
  "Vigie ne remplace pas les secours : observez, n'intervenez jamais vous-même."

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

  const known: ReadonlyArray<readonly [string, string]> = [
    ["Catégorie", label],
    ...Option.match(place, { onNone: () => [], onSome: (p) => [["Lieu", p] as const] }),
    ...Option.match(speaker, { onNone: () => [], onSome: (s) => [["Émise par", s] as const] })
  ]
  const body: ReadonlyArray<string> = spec.kind === "alert"
    ? alert.text.split(/\r?\n/)
    : spec.kind === "followup"
    ? ["Un autre voisin a signalé la même chose. Restez attentif, sans intervenir."]
    : [closingSentence(spec.outcome)]

  return layout({
    subject,
    heading: head,
    headingColor: spec.kind === "alert" && alert.urgency === "urgent" ? "#b00020" : "#1a1a1a",
    headingInText: true,
    blocks: [facts(known), paragraphs(body), button(link, "Voir l'alerte"), highlighted(EMERGENCY_REMINDER)],
    footer: { note: "Vous recevez ce message parce que vous êtes membre d'une communauté Vigie.", preferences: prefs }
  })
}
