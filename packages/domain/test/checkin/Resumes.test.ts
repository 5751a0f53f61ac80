import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { resumesAfter } from "../../src/checkin/Veilles.js"
import { isoDayOf, parisInstant } from "../../src/checkin/VeilleSchedule.js"

const ten = { hour: 10, minute: 0 }
const at = (day: number) => parisInstant(day, ten)!

// Local days from 2020 to 2040.
const day = fc.integer({ min: 18_262, max: 25_567 })

describe("the \"bon retour\" after an absence (decided per check-in, the same in a batch)", () => {
  it("says it exactly when an absence ended between the previous check-in's day (included) and this one's (excluded)", () =>
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        (previous, gap, end, length) => {
          const current = previous + gap
          const to = previous + end
          const absences = [{ from: isoDayOf(to - length), to: isoDayOf(to) }]
          expect(resumesAfter(absences, at(current), at(previous))).toBe(to >= previous && to < current)
        }
      )
    ))

  it("for a first check-in, any absence ended before its day; none without absences", () =>
    fc.assert(
      fc.property(day, fc.integer({ min: -40, max: 40 }), (current, end) => {
        const absences = [{ from: isoDayOf(current + end - 3), to: isoDayOf(current + end) }]
        expect(resumesAfter(absences, at(current), undefined)).toBe(end < 0)
        expect(resumesAfter([], at(current), undefined)).toBe(false)
      })
    ))
})
