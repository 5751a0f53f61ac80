import type { ResidentCategory } from "../alerts/Alert.js"
import { PhoneE164 } from "../shared/Text.js"
import { Option, Schema } from "effect"

/**
 * What an inbound SMS asks for. A keyword counts only when it is the whole message (accents, case,
 * punctuation and spacing ignored): "Stop !" stops, "stop les alertes du voisin" is an alert.
 */
export type InboundCommand =
  | { readonly _tag: "Stop" }
  | { readonly _tag: "Start" }
  | { readonly _tag: "Help" }
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Alert"; readonly category: ResidentCategory; readonly text: string; readonly truncated: boolean }

/** The longest text an alert holds (AlertText); longer SMS (Plivo joins up to ~1,600 characters) are cut. */
export const ALERT_TEXT_LIMIT = 1000

/** Upper case, without accents, punctuation or symbols, words separated by one space. */
export const normalizeKeyword = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()

const commands: ReadonlyArray<readonly [InboundCommand["_tag"], ReadonlyArray<string>]> = [
  ["Stop", ["STOP", "STOP SMS", "STOPSMS", "ARRET", "ARRET SMS", "ARRETER", "DESABONNER", "UNSUBSCRIBE"]],
  ["Start", ["START", "START SMS", "MARCHE", "REPRISE"]],
  ["Help", ["AIDE", "HELP", "INFO", "INFOS"]]
]

/**
 * The leading keywords of an alert and the resident category each names (normalized: no accents,
 * upper case). Longer phrases first, so that "SANS NOUVELLES" wins over any one-word key.
 */
export const categoryKeywords: ReadonlyArray<readonly [string, ResidentCategory]> = [
  ["SANS NOUVELLES", "vulnerable_person_without_news"],
  ["PORTE OUVERTE", "open_door_or_window"],
  ["FENETRE OUVERTE", "open_door_or_window"],
  ["CAMBRIOLAGE", "burglary"],
  ["CAMBRIOLEUR", "burglary"],
  ["CAMBRIOLEURS", "burglary"],
  ["EFFRACTION", "burglary"],
  ["VOL", "burglary"],
  ["SUSPECT", "suspicious_person"],
  ["SUSPECTE", "suspicious_person"],
  ["SUSPECTS", "suspicious_person"],
  ["RODEUR", "suspicious_person"],
  ["RODEURS", "suspicious_person"],
  ["VEHICULE", "suspicious_vehicle"],
  ["VOITURE", "suspicious_vehicle"],
  ["ANIMAL", "lost_or_found_animal"],
  ["CHIEN", "lost_or_found_animal"],
  ["CHAT", "lost_or_found_animal"],
  ["FEU", "fire_or_smoke"],
  ["FUMEE", "fire_or_smoke"],
  ["INCENDIE", "fire_or_smoke"],
  ["DANGER", "road_danger"],
  ["ROUTE", "road_danger"]
]

/** The category named by the message's first words (VOL, SUSPECT, FEU ...), or "other". */
export const categoryOf = (text: string): ResidentCategory => {
  const words = ` ${normalizeKeyword(text)} `
  for (const [keyword, category] of categoryKeywords) {
    if (words.startsWith(` ${keyword} `)) return category
  }
  return "other"
}

/** C0/C1 controls other than line breaks and tabs, and UTF-16 halves without their pair. */
const unsafe =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu

/**
 * An SMS text made safe to store and show: control characters (NUL included, which PostgreSQL
 * refuses) and broken surrogate halves removed, CR LF as LF. Everything else (emoji, any script)
 * is kept as written.
 */
export const cleanText = (text: string): string => text.replace(/\r\n?/g, "\n").replace(unsafe, "")

/**
 * `text` cut to at most `max` UTF-16 units (what AlertText counts), never between the halves of an
 * emoji, ending with "…" when cut, at a word boundary when one is near.
 */
export const truncateText = (text: string, max: number): string => {
  if (text.length <= max) return text
  let cut = ""
  for (const char of text) {
    if (cut.length + char.length > max - 1) break
    cut += char
  }
  const space = cut.search(/\s\S*$/u)
  if (space > max - 40) cut = cut.slice(0, space)
  return cut.trimEnd() + "…"
}

/**
 * What an inbound SMS asks: a keyword command when the whole message is one, nothing when it is
 * empty, otherwise an alert whose category comes from its leading keyword. The alert keeps the text
 * as written, keyword included ("VOL vélo rue Pasteur" reads well to neighbours, and the author's
 * words are never rewritten); only a text beyond the alert limit is cut.
 */
export const parseInbound = (raw: string): InboundCommand => {
  const text = cleanText(raw).trim()
  const key = normalizeKeyword(text)
  for (const [tag, words] of commands) {
    if (words.includes(key)) return { _tag: tag } as InboundCommand
  }
  if (text === "") return { _tag: "Empty" }
  const cut = truncateText(text, ALERT_TEXT_LIMIT)
  return { _tag: "Alert", category: categoryOf(text), text: cut, truncated: cut !== text }
}

const decodePhone = Schema.decodeUnknownOption(PhoneE164)

/**
 * The sender's number in E.164. Plivo sends international numbers without the "+" (33612345678);
 * "+33 6 12 34 56 78" and "0033612345678" are accepted too. Anything else (a short code, a sender
 * name) is none: no alert and no reply can follow.
 */
export const senderPhone = (from: string): Option.Option<PhoneE164> => {
  const compact = from.replace(/[\s.()-]/g, "")
  const digits = compact.startsWith("+") ? compact.slice(1) : compact.startsWith("00") ? compact.slice(2) : compact
  return /^[1-9][0-9]{6,14}$/.test(digits) ? decodePhone(`+${digits}`) : Option.none()
}
