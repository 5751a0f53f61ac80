import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  describeSchedule,
  isoDayOf,
  nextOccurrence,
  parisDay,
  parisInstant,
  parisOffset,
  parisWallClock,
  parseIsoDay,
  parseLocalTime,
  parseShortDay,
  timeExistsEveryDay,
  type Weekday
} from "../../src/checkin/VeilleSchedule.js"

const paris = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hour12: false,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  weekday: "short"
})
const weekdays: Record<string, Weekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }
/** What the platform's time-zone database says of an instant in Paris. */
const intlParis = (ms: number) => {
  const parts = Object.fromEntries(paris.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return { hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: weekdays[parts.weekday!]!,
    date: `${parts.year}-${parts.month}-${parts.day}` }
}

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) })
const validTime = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) })
  .filter(timeExistsEveryDay)
const days = fc.uniqueArray(fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7), { minLength: 1, maxLength: 7 })

describe("Europe/Paris by the EU rule", () => {
  it.prop("the offset agrees with the time-zone database at every instant", [instant], ([ms]) => {
    const local = intlParis(ms)
    const wall = parisWallClock(ms)
    expect([wall.hour, wall.minute, wall.weekday]).toEqual([local.hour, local.minute, local.weekday])
    expect(parisOffset(ms) === 3_600_000 || parisOffset(ms) === 7_200_000).toBe(true)
  })

  it("2:30 does not exist on the spring-forward day, and is refused at setup", () => {
    const day = parseIsoDay("2026-03-29")!
    expect(parisInstant(day, { hour: 2, minute: 30 })).toBeUndefined()
    expect(timeExistsEveryDay({ hour: 2, minute: 30 })).toBe(false)
    expect(timeExistsEveryDay({ hour: 10, minute: 0 })).toBe(true)
  })
})

describe("nextOccurrence", () => {
  it.prop(
    "is a chosen day, at the chosen local time, strictly after, and the first such",
    [instant, validTime, days],
    ([after, time, chosen]) => {
      const next = nextOccurrence({ days: chosen, time }, after)!
      expect(next).toBeGreaterThan(after)
      const local = intlParis(next)
      expect([local.hour, local.minute]).toEqual([time.hour, time.minute])
      expect(chosen).toContain(local.weekday)
      // No earlier instant after `after` is on a chosen day at that time: the day before is not eligible.
      const previous = parisInstant(parisDay(next) - 1, time)!
      const previousOk = chosen.includes(parisWallClock(previous).weekday) && previous > after
      expect(previousOk && parisDay(next) - 1 >= parisDay(after)).toBe(false)
    }
  )

  it("10 h stays 10 h local across both changes of 2026", () => {
    const daily = { days: [1, 2, 3, 4, 5, 6, 7] as const, time: { hour: 10, minute: 0 } }
    const spring = nextOccurrence(daily, Date.UTC(2026, 2, 28, 12))!
    expect(new Date(spring).toISOString()).toBe("2026-03-29T08:00:00.000Z")
    const before = nextOccurrence(daily, Date.UTC(2026, 2, 27, 12))!
    expect(new Date(before).toISOString()).toBe("2026-03-28T09:00:00.000Z")
    const autumn = nextOccurrence(daily, Date.UTC(2026, 9, 24, 12))!
    expect(new Date(autumn).toISOString()).toBe("2026-10-25T09:00:00.000Z")
  })

  it.prop("never falls inside an absence, and is the first day after it when the absence covers the next days", [
    instant,
    validTime,
    days,
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 40 })
  ], ([after, time, chosen, startIn, length]) => {
    const from = parisDay(after) + startIn
    const absence = { from: isoDayOf(from), to: isoDayOf(from + length) }
    const next = nextOccurrence({ days: chosen, time }, after, [absence])!
    const day = parisDay(next)
    expect(day < from || day > from + length).toBe(true)
    expect(intlParis(next).date).toBe(isoDayOf(day))
    const without = nextOccurrence({ days: chosen, time }, after)!
    if (parisDay(without) < from) expect(next).toBe(without)
  })

  it("has none without days", () => {
    expect(nextOccurrence({ days: [], time: { hour: 10, minute: 0 } }, 0)).toBeUndefined()
  })
})

describe("reading what people type", () => {
  it("reads times and refuses what is not one", () => {
    expect(parseLocalTime("10:00")).toEqual({ hour: 10, minute: 0 })
    expect(parseLocalTime("18h30")).toEqual({ hour: 18, minute: 30 })
    expect(parseLocalTime("25:00")).toBeUndefined()
    expect(parseLocalTime("dix heures")).toBeUndefined()
  })

  it("reads dd/mm in the current year, next year when long past", () => {
    const today = parseIsoDay("2026-12-06")!
    expect(isoDayOf(parseShortDay("12/08", parseIsoDay("2026-07-01")!)!)).toBe("2026-08-12")
    expect(isoDayOf(parseShortDay("05/01", today)!)).toBe("2027-01-05")
    expect(parseShortDay("31/02", today)).toBeUndefined()
  })

  it("says the schedule in French", () => {
    expect(describeSchedule({ days: [1, 2, 3, 4, 5, 6, 7], time: { hour: 10, minute: 0 } })).toBe(
      "tous les jours à 10 h"
    )
    expect(describeSchedule({ days: [4, 1], time: { hour: 18, minute: 0 } })).toBe("lundi et jeudi à 18 h")
  })
})
