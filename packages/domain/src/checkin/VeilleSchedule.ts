/**
 * When a veille's check-ins happen: days of the week and a local time in Europe/Paris, computed
 * exactly across the daylight-saving changes (the EU rule in force since 1996: summer time from the
 * last Sunday of March at 01:00 UTC to the last Sunday of October at 01:00 UTC). A check-in at 10:00
 * is at 10:00 local time on both sides of a change. The hour from 02:00 to 02:59 does not exist on the
 * spring-forward day and happens twice on the fall-back day, so it is refused at setup: every accepted
 * time names exactly one instant on every day.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** A local date, days counted from 1970-01-01 (the civil calendar, no time zone). */
export type LocalDay = number

export interface LocalTime {
  readonly hour: number
  readonly minute: number
}

/** An absence: no check-in on the local days from `from` to `to`, both included ("YYYY-MM-DD"). */
export interface AbsenceSpan {
  readonly from: string
  readonly to: string
}

export interface Schedule {
  readonly days: ReadonlyArray<Weekday>
  readonly time: LocalTime
}

const HOUR = 3_600_000
const DAY = 86_400_000

/** "10:00" → { hour: 10, minute: 0 }, or undefined when malformed. */
export const parseLocalTime = (text: string): LocalTime | undefined => {
  const match = /^([01]?[0-9]|2[0-3])[:hH]([0-5][0-9])?$/.exec(text.trim())
  if (match === null) return undefined
  return { hour: Number(match[1]), minute: match[2] === undefined ? 0 : Number(match[2]) }
}

export const formatLocalTime = (time: LocalTime): string =>
  `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`

/** "10 h", "18 h 30": how the texts say a time. */
export const sayLocalTime = (time: LocalTime): string =>
  time.minute === 0 ? `${time.hour} h` : `${time.hour} h ${String(time.minute).padStart(2, "0")}`

/**
 * Whether a local time names one instant on every day of the year in Europe/Paris: false from 02:00
 * to 02:59 (missing on the spring-forward day, doubled on the fall-back day).
 */
export const timeExistsEveryDay = (time: LocalTime): boolean => time.hour !== 2

/** The epoch ms of the last Sunday of `month` (0-based) of `year` at 01:00 UTC. */
const lastSundayAt1Utc = (year: number, month: number): number => {
  const lastDay = Date.UTC(year, month + 1, 0)
  const weekday = new Date(lastDay).getUTCDay()
  return lastDay - weekday * DAY + HOUR
}

/** Paris's offset from UTC at an instant: +1 h in winter, +2 h in summer. */
export const parisOffset = (epochMs: number): number => {
  const year = new Date(epochMs).getUTCFullYear()
  return epochMs >= lastSundayAt1Utc(year, 2) && epochMs < lastSundayAt1Utc(year, 9) ? 2 * HOUR : HOUR
}

/** The local day (days since 1970-01-01) of an instant in Paris. */
export const parisDay = (epochMs: number): LocalDay => Math.floor((epochMs + parisOffset(epochMs)) / DAY)

/** The local wall-clock fields of an instant in Paris. */
export const parisWallClock = (epochMs: number) => {
  const local = new Date(epochMs + parisOffset(epochMs))
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: isoWeekday(Math.floor(local.getTime() / DAY))
  }
}

/** ISO weekday of a local day: 1970-01-01 was a Thursday. */
export const isoWeekday = (day: LocalDay): Weekday => ((((day + 3) % 7) + 7) % 7 + 1) as Weekday

/**
 * The instant of a local day at a local time in Paris; undefined when that wall-clock time does not
 * exist that day (the spring-forward gap). In the doubled hour of the fall-back day, the first.
 */
export const parisInstant = (day: LocalDay, time: LocalTime): number | undefined => {
  const wall = day * DAY + time.hour * HOUR + time.minute * 60_000
  for (const offset of [2 * HOUR, HOUR]) {
    const candidate = wall - offset
    if (parisOffset(candidate) === offset) return candidate
  }
  return undefined
}

/** "2026-08-12" → local day, or undefined when not a real date. */
export const parseIsoDay = (text: string): LocalDay | undefined => {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined
  return ms / DAY
}

export const isoDayOf = (day: LocalDay): string => new Date(day * DAY).toISOString().slice(0, 10)

/** "12/08" as the local day it names: this year, or next year when that date is more than 60 days past. */
export const parseShortDay = (text: string, today: LocalDay): LocalDay | undefined => {
  const match = /^([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{2}|[0-9]{4}))?$/.exec(text)
  if (match === null) return undefined
  const [d, m] = [Number(match[1]), Number(match[2])]
  const pad = (n: number) => String(n).padStart(2, "0")
  const explicit = match[3]
  const year0 = new Date(today * DAY).getUTCFullYear()
  const years = explicit !== undefined ? [explicit.length === 2 ? 2000 + Number(explicit) : Number(explicit)] : [year0]
  const found = parseIsoDay(`${years[0]}-${pad(m)}-${pad(d)}`)
  if (found === undefined) return undefined
  if (explicit === undefined && found < today - 60) return parseIsoDay(`${year0 + 1}-${pad(m)}-${pad(d)}`)
  return found
}

/** Whether a local day falls in one of the absences. */
export const absentOn = (day: LocalDay, absences: ReadonlyArray<AbsenceSpan>): boolean =>
  absences.some((a) => {
    const from = parseIsoDay(a.from)
    const to = parseIsoDay(a.to)
    return from !== undefined && to !== undefined && day >= from && day <= to
  })

/** How far ahead the next occurrence is searched: absences longer than this leave none. */
export const HORIZON_DAYS = 800

/**
 * The first check-in strictly after `afterMs`: a chosen weekday, not inside an absence, at the local
 * time in Paris. Undefined when no day is chosen, the time never exists, or absences cover the horizon.
 */
export const nextOccurrence = (
  schedule: Schedule,
  afterMs: number,
  absences: ReadonlyArray<AbsenceSpan> = []
): number | undefined => {
  if (schedule.days.length === 0) return undefined
  const first = parisDay(afterMs)
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    if (!schedule.days.includes(isoWeekday(day))) continue
    if (absentOn(day, absences)) continue
    const at = parisInstant(day, schedule.time)
    if (at !== undefined && at > afterMs) return at
  }
  return undefined
}

const dayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"] as const

/** "tous les jours à 10 h", "lundi et jeudi à 18 h 30". */
export const describeSchedule = (schedule: Schedule): string => {
  const days = [...new Set(schedule.days)].sort()
  const when = days.length === 7
    ? "tous les jours"
    : days.length === 1
    ? `le ${dayNames[days[0]! - 1]}`
    : `${days.slice(0, -1).map((d) => dayNames[d - 1]).join(", ")} et ${dayNames[days[days.length - 1]! - 1]}`
  return `${when} à ${sayLocalTime(schedule.time)}`
}

/** "12/08": how the texts say a local day. */
export const sayDay = (day: LocalDay): string => {
  const date = new Date(day * DAY)
  return `${String(date.getUTCDate()).padStart(2, "0")}/${String(date.getUTCMonth() + 1).padStart(2, "0")}`
}
