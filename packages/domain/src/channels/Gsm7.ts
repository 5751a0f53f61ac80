/**
 * GSM-7, the SMS alphabet: what a text costs in parts, the closest GSM-7 form of a French text, and
 * how to shorten it to fit. One character outside the alphabet turns a whole SMS into UCS-2 (70
 * characters a part instead of 160), so every SMS Vigie writes goes through `toGsm7`.
 */

/** The septets of one SMS part: a text that fits is billed once. */
export const SMS_SINGLE = 160

/** The least of a member's own text worth keeping in an SMS before the rest is shortened too. */
export const MIN_TEXT = 24

/** Whitespace runs (line breaks included) as one space, trimmed: an SMS is one line, so is a subject. */
export const oneLine = (text: string): string => text.replace(/\s+/gu, " ").trim()

const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXTENSION = "\f^{}\\[~]|€"
const basicSet = new Set(GSM_BASIC)
const extensionSet = new Set(GSM_EXTENSION)

/** Septets a character takes in GSM-7 (2 for the extension table), or undefined when it has none. */
export const gsm7Septets = (char: string): 1 | 2 | undefined =>
  basicSet.has(char) ? 1 : extensionSet.has(char) ? 2 : undefined

/** What an SMS costs: its encoding, its size and the parts it is billed as. */
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

/** Septets a text takes once sent (a character without a GSM-7 form counted as 2, as `truncateGsm7` does). */
export const septetsOf = (text: string): number => Array.from(text).reduce((n, c) => n + (gsm7Septets(c) ?? 2), 0)

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
