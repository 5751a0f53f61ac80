import { Context, DateTime, Option } from "effect"
import type { Effect } from "effect"
import type {
  CalendarDay,
  GazetteAnnonce,
  GazetteEvent,
  GazetteLostFound,
  GazetteNews,
  GazetteWeek
} from "./GazetteWeek.js"

/**
 * Prints a quartier's week as a document to pin on the hall's noticeboard or to hand to neighbours
 * without internet. Adapter: an A4 PDF in large type (pdf-lib). Rendering data that decoded cannot fail
 * but by a defect.
 */
export class GazettePrinter extends Context.Tag("@vigie/domain/GazettePrinter")<
  GazettePrinter,
  { readonly render: (week: GazetteWeek) => Effect.Effect<Uint8Array> }
>() {}

/** One entry of a section, as printed: a label ("Donne"), a title, lines of facts, a text. */
export interface SheetItem {
  readonly label: Option.Option<string>
  readonly title: string
  readonly details: ReadonlyArray<string>
  readonly text: Option.Option<string>
}

/** A section of the sheet: its entries, what it says when there are none, and how many were left out. */
export interface SheetSection {
  readonly title: string
  readonly items: ReadonlyArray<SheetItem>
  readonly empty: string
  readonly more: Option.Option<string>
}

/** Every word of the printed Gazette, in order; the printer only lays them out. */
export interface GazetteSheet {
  /** "La Gazette des Graves", atop each further page. */
  readonly name: string
  /** "Semaine du 7 au 13 décembre 2026", under the name. */
  readonly week: string
  /** The name and the week on one line: "La Gazette des Graves — semaine du 7 au 13 décembre 2026". */
  readonly title: string
  readonly subtitle: string
  readonly sections: ReadonlyArray<SheetSection>
  /** "En cas d’urgence :" then the numbers, "17 Police · 18 Pompiers · 15 SAMU · 112 Urgences". */
  readonly emergency: { readonly lead: string; readonly numbers: string }
  readonly reminder: string
  readonly sms: string
  readonly join: string
  readonly joinSentence: string
  readonly footer: string
}

/** How much the sheet shows: entries per section, and the longest title and text (in characters). */
export interface SheetLimits {
  readonly news: number
  readonly events: number
  readonly annonces: number
  readonly lostFound: number
  readonly titleLength: number
  readonly textLength: number
  readonly newsTextLength: number
}

/** About two A4 pages in large type for a busy week. */
export const defaultSheetLimits: SheetLimits = {
  news: 3,
  events: 6,
  annonces: 8,
  lostFound: 4,
  titleLength: 80,
  textLength: 220,
  newsTextLength: 420
}

const chars = (text: string) => Array.from(text)

/** Spaces and line breaks collapsed to one space, the ends trimmed. */
export const oneLine = (text: string): string => text.replace(/\s+/gu, " ").trim()

/**
 * The text on one line, at most `max` characters: when longer, cut at the last word that fits and
 * ended with "…" (a word longer than the whole is cut in the middle).
 */
export const truncate = (text: string, max: number): string => {
  const flat = oneLine(text)
  const all = chars(flat)
  if (all.length <= max) return flat
  const head = all.slice(0, Math.max(0, max - 1)).join("")
  const wordEnds = /[\s,;:.!?)]/u.test(all[Math.max(0, max - 1)] ?? " ")
  const space = head.lastIndexOf(" ")
  const cut = wordEnds || space <= head.length / 2 ? head : head.slice(0, space)
  return `${cut.replace(/[\s,;:.!?'’«-]+$/u, "")}…`
}

/** A French number in E.164 as people read it ("+33757591234" → "07 57 59 12 34"); any other as it is. */
export const frenchPhone = (phone: string): string => {
  const french = /^\+33([1-9])(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(phone.replace(/\s/g, ""))
  return french === null ? phone : `0${french.slice(1).join(" ")}`
}

/** "La Gazette du Bourg", "des Graves", "d’Ornon", "de Bord de Garonne": French elision before a name. */
export const gazetteOf = (name: string): string => {
  const trimmed = oneLine(name)
  const le = /^le\s+(.+)$/iu.exec(trimmed)
  if (le !== null) return `La Gazette du ${le[1]}`
  const les = /^les\s+(.+)$/iu.exec(trimmed)
  if (les !== null) return `La Gazette des ${les[1]}`
  if (/^[aeiouyhàâäéèêëîïôöùûüœ]/iu.test(trimmed)) return `La Gazette d’${trimmed}`
  return `La Gazette de ${trimmed}`
}

const parisParts = (date: Date, options: Intl.DateTimeFormatOptions) => {
  const parts = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", ...options }).formatToParts(date)
  return (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ""
}

const dayNumber = (day: string) => (Number(day) === 1 ? "1er" : String(Number(day)))

/** "samedi 12 décembre", with the year when it is not `year` ("samedi 2 janvier 2027"). */
export const frenchDay = (at: DateTime.Utc, year?: number): string => {
  const part = parisParts(DateTime.toDate(at), { weekday: "long", day: "numeric", month: "long", year: "numeric" })
  const shown = `${part("weekday")} ${dayNumber(part("day"))} ${part("month")}`
  return year === undefined || Number(part("year")) === year ? shown : `${shown} ${part("year")}`
}

/** "15 h", "18 h 30": the Paris time of day as French signs write it. */
export const frenchHour = (at: DateTime.Utc): string => {
  const part = parisParts(DateTime.toDate(at), { hour: "numeric", minute: "2-digit", hourCycle: "h23" })
  const minutes = part("minute")
  return minutes === "00" ? `${Number(part("hour"))} h` : `${Number(part("hour"))} h ${minutes}`
}

/** "samedi 12 décembre à 15 h". */
export const frenchDayAndHour = (at: DateTime.Utc, year?: number): string =>
  `${frenchDay(at, year)} à ${frenchHour(at)}`

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
  "novembre", "décembre"]

const splitDay = (day: CalendarDay) => {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number]
  return { year, month: MONTHS[month - 1]!, date: dayNumber(String(date)) }
}

/** "semaine du 7 au 13 décembre 2026", "du 30 novembre au 6 décembre 2026", "du 28 décembre 2026 au 3 janvier 2027". */
export const frenchWeek = (start: CalendarDay, end: CalendarDay): string => {
  const a = splitDay(start)
  const b = splitDay(end)
  const from = a.year !== b.year
    ? `${a.date} ${a.month} ${a.year}`
    : a.month !== b.month
    ? `${a.date} ${a.month}`
    : a.date
  return `semaine du ${from} au ${b.date} ${b.month} ${b.year}`
}

/** "12 décembre 2026", "1er janvier 2027" (Paris day). */
export const frenchDate = (at: DateTime.Utc): string => {
  const part = parisParts(DateTime.toDate(at), { day: "numeric", month: "long", year: "numeric" })
  return `${dayNumber(part("day"))} ${part("month")} ${part("year")}`
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many)

const byTime = <A>(time: (a: A) => DateTime.Utc, title: (a: A) => string, newestFirst: boolean) => (x: A, y: A) => {
  const diff = DateTime.toEpochMillis(time(x)) - DateTime.toEpochMillis(time(y))
  if (diff !== 0) return newestFirst ? -diff : diff
  return title(x) < title(y) ? -1 : title(x) > title(y) ? 1 : 0
}

const section = <A>(
  title: string,
  entries: ReadonlyArray<A>,
  order: (x: A, y: A) => number,
  limit: number,
  item: (a: A) => SheetItem,
  empty: string,
  more: (left: number) => string
): SheetSection => {
  const sorted = [...entries].sort(order)
  const shown = sorted.slice(0, Math.max(0, limit))
  const left = sorted.length - shown.length
  return {
    title,
    items: shown.map(item),
    empty,
    more: left > 0 ? Option.some(more(left)) : Option.none()
  }
}

const text = (value: string, max: number) => {
  const shown = truncate(value, max)
  return shown === "" ? Option.none() : Option.some(shown)
}

const placesLeft = (left: number) =>
  left === 0 ? "Complet" : `${left} ${plural(left, "place restante", "places restantes")}`

/**
 * Chooses what the printed Gazette shows and writes every word of it in French: the sections in
 * their order (the mairie's news newest first, the events soonest first, annonces and lost and found
 * newest first), at most so many entries each with a line telling how many more are on Vigie, long
 * texts cut with "…", a kind sentence for an empty section, then the emergency numbers, the SMS number
 * and how to join. The result does not depend on the order of the week's lists.
 */
export const gazetteSheet = (week: GazetteWeek, limits: SheetLimits = defaultSheetLimits): GazetteSheet => {
  const year = Number(week.weekEnd.slice(0, 4))
  const title = (value: string) => truncate(value, limits.titleLength)
  return {
    name: gazetteOf(week.quartierName),
    week: `S${frenchWeek(week.weekStart, week.weekEnd).slice(1)}`,
    title: `${gazetteOf(week.quartierName)} — ${frenchWeek(week.weekStart, week.weekEnd)}`,
    subtitle: `${oneLine(week.communeName)} · les nouvelles du quartier ${oneLine(week.quartierName)}`,
    sections: [
      section(
        "Les nouvelles de la mairie",
        week.news,
        byTime((n: GazetteNews) => n.publishedAt, (n) => n.title, true),
        limits.news,
        (n) => ({
          label: Option.some("Mairie"),
          title: title(n.title),
          details: [`Publié le ${frenchDate(n.publishedAt)}`],
          text: text(n.text, limits.newsTextLength)
        }),
        "Pas de nouvelle de la mairie cette semaine.",
        (left) => `Et ${left} ${plural(left, "autre nouvelle", "autres nouvelles")} de la mairie sur Vigie.`
      ),
      section(
        "Les prochains événements",
        week.events,
        byTime((e: GazetteEvent) => e.startsAt, (e) => e.title, false),
        limits.events,
        (e) => ({
          label: Option.none(),
          title: title(e.title),
          details: [
            frenchDayAndHour(e.startsAt, year),
            ...(oneLine(e.place) === "" ? [] : [truncate(e.place, limits.titleLength)]),
            ...Option.toArray(Option.map(e.placesLeft, placesLeft))
          ],
          text: Option.none()
        }),
        "Pas d’événement prévu pour le moment.",
        (left) => `Et ${left} ${plural(left, "autre événement", "autres événements")} sur Vigie.`
      ),
      section(
        "Annonces et entraide",
        week.annonces,
        byTime((a: GazetteAnnonce) => a.postedAt, (a) => a.title, true),
        limits.annonces,
        (a) => ({
          label: Option.some(truncate(a.kindLabel, 40)),
          title: title(a.title),
          details: [`De la part de ${truncate(a.author, 40)}`],
          text: text(a.text, limits.textLength)
        }),
        "Pas d’annonce cette semaine.",
        (left) => `Et ${left} ${plural(left, "autre annonce", "autres annonces")} sur Vigie.`
      ),
      section(
        "Perdu / trouvé",
        week.lostFound,
        byTime((l: GazetteLostFound) => l.seenAt, (l) => l.title, true),
        limits.lostFound,
        (l) => ({
          label: Option.some(
            `${l.status === "perdu" ? "Perdu" : "Trouvé"} · ${l.subject === "animal" ? "animal" : "objet"}`
          ),
          title: title(l.title),
          details: [
            ...(oneLine(l.place) === "" ? [] : [truncate(l.place, limits.titleLength)]),
            `le ${frenchDay(l.seenAt, year)} vers ${frenchHour(l.seenAt)}`
          ],
          text: Option.none()
        }),
        "Rien de perdu ni de trouvé cette semaine.",
        (left) => `Et ${left} ${plural(left, "autre avis", "autres avis")} sur Vigie.`
      )
    ],
    emergency: { lead: "En cas d’urgence :", numbers: "17 Police · 18 Pompiers · 15 SAMU · 112 Urgences" },
    reminder: "Vigie ne remplace pas les secours : on observe, on signale, on n’intervient pas.",
    sms: Option.match(week.smsNumber, {
      onNone: () => `Alerter vos voisins : sur ${week.joinUrl}`,
      onSome: (number) => `Alerter vos voisins par SMS : ${frenchPhone(number)}`
    }),
    join: `Rejoindre Vigie : ${oneLine(week.joinUrl)}`,
    joinSentence: oneLine(week.joinSentence),
    footer: `${gazetteOf(week.quartierName)} · ${oneLine(week.communeName)} · imprimée le ${
      frenchDate(week.generatedAt)
    }`
  }
}
