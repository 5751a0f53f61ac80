import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, FastCheck as fc, Option } from "effect"
import {
  defaultRetentionPeriods,
  inactivityStep,
  isRunDue,
  retentionCutoffs,
  validRetentionPeriods
} from "../../src/accounts/Retention.js"

const now = DateTime.unsafeMake("2027-06-15T10:00:00Z")
const c = retentionCutoffs(now, defaultRetentionPeriods)
const monthsAgo = (months: number, days = 0) => DateTime.subtract(now, { months, days })
const member = (lastActiveAt: DateTime.Utc, warnedAt: Option.Option<DateTime.Utc> = Option.none()) => ({ lastActiveAt,
  warnedAt, staff: false, erased: false })

describe("retention periods", () => {
  it("defaults to what the 'Vos données' page says: 90 days for destinations and SMS, 60 for letters, 23 and 24 months", () => {
    expect(DateTime.formatIso(c.deliveriesBefore)).toBe("2027-03-17T10:00:00.000Z")
    expect(DateTime.formatIso(c.inboundSmsBefore)).toBe("2027-03-17T10:00:00.000Z")
    expect(DateTime.formatIso(c.lettersBefore)).toBe("2027-04-16T10:00:00.000Z")
    expect(DateTime.formatIso(c.warnInactiveBefore)).toBe("2025-07-15T10:00:00.000Z")
    expect(DateTime.formatIso(c.eraseInactiveBefore)).toBe("2025-06-15T10:00:00.000Z")
    expect(DateTime.formatIso(c.eraseWarnedBefore)).toBe("2027-05-15T10:00:00.000Z")
  })

  it("refuses an erasure that does not come after the warning", () => {
    expect(validRetentionPeriods(defaultRetentionPeriods)).toBe(true)
    expect(validRetentionPeriods({ ...defaultRetentionPeriods, inactivityErasureMonths: 23 })).toBe(false)
    expect(validRetentionPeriods({ ...defaultRetentionPeriods, inactivityWarningMonths: 0 })).toBe(false)
    expect(validRetentionPeriods({ ...defaultRetentionPeriods, every: Duration.zero })).toBe(false)
  })

  it("runs the job when it never ran or ran a period ago, not before", () => {
    expect(isRunDue(Option.none(), now, Duration.days(1))).toBe(true)
    expect(isRunDue(Option.some(DateTime.subtract(now, { hours: 23 })), now, Duration.days(1))).toBe(false)
    expect(isRunDue(Option.some(DateTime.subtract(now, { hours: 24 })), now, Duration.days(1))).toBe(true)
  })
})

describe("inactive accounts", () => {
  it("leaves an account active within 23 months alone", () => {
    expect(inactivityStep(member(monthsAgo(22, 27)), c)).toBe("none")
  })

  it("warns at 23 months, once", () => {
    expect(inactivityStep(member(monthsAgo(23, 1)), c)).toBe("warn")
    expect(inactivityStep(member(monthsAgo(23, 1), Option.some(DateTime.subtract(now, { days: 1 }))), c)).toBe("none")
  })

  it("erases at 24 months only an account warned at least a month before", () => {
    expect(inactivityStep(member(monthsAgo(24, 1), Option.some(monthsAgo(1, 1))), c)).toBe("erase")
    expect(inactivityStep(member(monthsAgo(30), Option.some(DateTime.subtract(now, { days: 10 }))), c)).toBe("none")
    expect(inactivityStep(member(monthsAgo(30)), c)).toBe("warn")
  })

  it("forgets a warning once the member came back, and never touches staff or erased accounts", () => {
    const cameBack = member(monthsAgo(24, 1), Option.some(monthsAgo(25)))
    expect(inactivityStep(cameBack, c)).toBe("warn")
    expect(inactivityStep({ ...member(monthsAgo(40), Option.some(monthsAgo(2))), staff: true }, c)).toBe("none")
    expect(inactivityStep({ ...member(monthsAgo(40), Option.some(monthsAgo(2))), erased: true }, c)).toBe("none")
  })

  it("never erases without a warning a month old, and never touches anyone active within 23 months", () => {
    const instant = fc.integer({ min: 0, max: 60 * 31 }).map((days) => DateTime.subtract(now, { days }))
    fc.assert(
      fc.property(instant, fc.option(instant, { nil: undefined }), (lastActiveAt, warned) => {
        const step = inactivityStep(member(lastActiveAt, Option.fromNullable(warned)), c)
        if (step === "erase") {
          expect(warned !== undefined && DateTime.lessThan(warned, c.eraseWarnedBefore)).toBe(true)
          expect(DateTime.lessThan(lastActiveAt, c.eraseInactiveBefore)).toBe(true)
        }
        if (!DateTime.lessThan(lastActiveAt, c.warnInactiveBefore)) expect(step).toBe("none")
      }),
      { numRuns: 500 }
    )
  })
})
