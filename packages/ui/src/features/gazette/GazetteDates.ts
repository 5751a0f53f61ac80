import { DateTime, Option } from "effect"

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The value of an <input type="datetime-local"> ("2026-12-12T15:00"), read as Paris time, in UTC;
 * undefined when it is not such a value or names a time that does not exist.
 */
export const parisLocalToUtc = (value: string): DateTime.Utc | undefined => {
  const m = LOCAL.exec(value)
  if (m === null) return undefined
  const zoned = DateTime.makeZoned(
    { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hours: Number(m[4]), minutes: Number(m[5]) },
    { timeZone: "Europe/Paris", adjustForTimeZone: true }
  )
  return Option.getOrUndefined(Option.map(zoned, DateTime.toUtc))
}

/** The value of an <input type="date"> ("2026-12-12"), as noon Paris time of that day, in UTC. */
export const parisDayToUtc = (value: string): DateTime.Utc | undefined => {
  const m = DAY.exec(value)
  return m === null ? undefined : parisLocalToUtc(`${m[1]}-${m[2]}-${m[3]}T12:00`)
}

const two = (n: number) => String(n).padStart(2, "0")

/** A UTC time as the value of an <input type="datetime-local"> in Paris time. */
export const utcToParisLocal = (at: DateTime.Utc): string => {
  const p = DateTime.toParts(DateTime.unsafeMakeZoned(at, { timeZone: "Europe/Paris" }))
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hours)}:${two(p.minutes)}`
}

/** A UTC time as the value of an <input type="date"> in Paris time. */
export const utcToParisDay = (at: DateTime.Utc): string => utcToParisLocal(at).slice(0, 10)
