import { DateTime, Duration, Option } from "effect"
import type { AlertCategory, AlertScope, AlertStatus } from "./Alert.js"

/** How long after an alert a similar one counts as a confirmation of it. */
export const DUPLICATE_WINDOW = Duration.minutes(10)

/**
 * Two texts tell the same thing when their trigram similarity (`textSimilarity`) is at least 0.5
 * AND at least 40 % of their words are shared (`wordOverlap`). Trigrams forgive plurals and typos
 * ("voitures" ~ "voiture"); the word rule stops two short texts that differ by their one meaningful
 * word ("Chien perdu" / "Chat perdu": trigrams 0.53, words 0.33) or by the place ("... rue des
 * Lilas" / "... avenue Foch": 0.47 / 0.33). Strict on purpose: a follow-up replaces a full alert by a
 * one-line "another neighbour confirms", so a false match would silence a real, different report,
 * while a missed match only costs a second full alert.
 */
export const SIMILARITY_THRESHOLD = 0.5
export const WORD_OVERLAP_THRESHOLD = 0.4

/** Words that carry no meaning of their own in a short French report. */
const stopWords = new Set([
  "a",
  "au",
  "aux",
  "avec",
  "ce",
  "c",
  "d",
  "dans",
  "de",
  "des",
  "du",
  "en",
  "est",
  "et",
  "il",
  "ils",
  "j",
  "je",
  "l",
  "la",
  "le",
  "les",
  "n",
  "ne",
  "on",
  "ou",
  "par",
  "pas",
  "pour",
  "qu",
  "que",
  "qui",
  "s",
  "se",
  "sur",
  "un",
  "une",
  "y"
])

/**
 * The words of a text, compared without accents, case or punctuation: "Véhicule suspect, rue des
 * Lilas !" → ["vehicule", "suspect", "rue", "lilas"]. Stop words are left out.
 */
export const normalizedWords = (text: string): ReadonlyArray<string> =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !stopWords.has(word))

/** pg_trgm's trigrams of one word: padded with two spaces before and one after. */
const wordTrigrams = (word: string, into: Set<string>): void => {
  const padded = `  ${word} `
  const chars = Array.from(padded)
  for (let i = 0; i + 3 <= chars.length; i++) into.add(chars.slice(i, i + 3).join(""))
}

const trigrams = (words: ReadonlyArray<string>): Set<string> => {
  const set = new Set<string>()
  for (const word of words) wordTrigrams(word, set)
  return set
}

/**
 * How alike two texts are, from 0 to 1: the Jaccard index of their sets of character trigrams (the
 * definition of PostgreSQL's pg_trgm `similarity`), over the normalized words. Trigrams rather than
 * whole words, so that "voiture" and "voitures", or a typo, still match. Two texts with no word left
 * (only stop words or punctuation) are alike only when their normalized forms are equal.
 */
export const textSimilarity = (a: string, b: string): number => {
  const wa = normalizedWords(a)
  const wb = normalizedWords(b)
  if (wa.length === 0 || wb.length === 0) return wa.length === wb.length ? 1 : 0
  const ta = trigrams(wa)
  const tb = trigrams(wb)
  let shared = 0
  for (const t of ta) if (tb.has(t)) shared++
  return shared / (ta.size + tb.size - shared)
}

/** A word without its French plural mark, so "voitures suspectes" shares both words with "voiture suspecte". */
const singular = (word: string): string => word.length > 3 && /[sx]$/.test(word) ? word.slice(0, -1) : word

/** The Jaccard index of the two texts' sets of normalized, singular words. */
export const wordOverlap = (a: string, b: string): number => {
  const wa = new Set(normalizedWords(a).map(singular))
  const wb = new Set(normalizedWords(b).map(singular))
  if (wa.size === 0 || wb.size === 0) return wa.size === wb.size ? 1 : 0
  let shared = 0
  for (const w of wa) if (wb.has(w)) shared++
  return shared / (wa.size + wb.size - shared)
}

/** Whether two alert texts report the same thing (both thresholds above). */
export const similarTexts = (a: string, b: string): boolean =>
  textSimilarity(a, b) >= SIMILARITY_THRESHOLD && wordOverlap(a, b) >= WORD_OVERLAP_THRESHOLD

/** What the policy reads of an alert. */
export interface DuplicateCandidate<Id = string> {
  readonly id: Id
  readonly scope: AlertScope
  readonly category: AlertCategory
  readonly text: string
  readonly status: AlertStatus
  readonly createdAt: DateTime.Utc
}

const sameScope = (a: AlertScope, b: AlertScope): boolean =>
  a._tag === "Community" && b._tag === "Community"
    ? a.communityId === b.communityId
    : a._tag === "Commune" && b._tag === "Commune" && a.insee === b.insee

/** Alerts that can be confirmed: still live. Hidden, retracted or resolved ones start afresh. */
const confirmable = (status: AlertStatus): boolean => status === "published" || status === "held_for_review"

/**
 * The alert that a new one confirms, if any: the earliest earlier alert of the same category in the
 * same community (or, for town alerts, the same commune), at most 10 minutes older, still published
 * or held, whose text is similar (`similarTexts`). The new alert then
 * becomes a follow-up of it. `recent` may hold anything: unrelated alerts are ignored.
 */
export const originalOf = <Id>(
  alert: Omit<DuplicateCandidate<Id>, "id" | "status">,
  recent: ReadonlyArray<DuplicateCandidate<Id>>
): Option.Option<DuplicateCandidate<Id>> => {
  const earliest = DateTime.subtractDuration(alert.createdAt, DUPLICATE_WINDOW)
  const matches = recent.filter((prior) =>
    prior.category === alert.category &&
    sameScope(prior.scope, alert.scope) &&
    confirmable(prior.status) &&
    DateTime.lessThanOrEqualTo(prior.createdAt, alert.createdAt) &&
    DateTime.greaterThanOrEqualTo(prior.createdAt, earliest) &&
    similarTexts(prior.text, alert.text)
  )
  if (matches.length === 0) return Option.none()
  return Option.some(
    matches.reduce((first, m) =>
      DateTime.lessThan(m.createdAt, first.createdAt) ||
        (DateTime.Equivalence(m.createdAt, first.createdAt) && String(m.id) < String(first.id))
        ? m
        : first
    )
  )
}
