import { describe, expect, it } from "@effect/vitest"
import { estimate, fits, remaining } from "../../src/mairie/TownAlertPolicy.js"

describe("TownAlertPolicy", () => {
  it("bills every part of every SMS, rounded to the cent", () => {
    expect(estimate({ sms: 1000, segments: 2, pricePerSegmentEur: 0.045, ratePerSecond: 5 })).toStrictEqual({
      billedSegments: 2000,
      costEur: 90,
      seconds: 400,
      exceedsProviderQueue: false
    })
    expect(estimate({ sms: 0, segments: 1, pricePerSegmentEur: 0.045, ratePerSecond: 5 }).seconds).toBe(0)
  })

  it("warns past Plivo's 3-hour queue: 54,000 parts at 5/s is exactly 3 hours, one more is over", () => {
    expect(estimate({ sms: 54_000, segments: 1, pricePerSegmentEur: 0.045, ratePerSecond: 5 }).exceedsProviderQueue)
      .toBe(false)
    expect(estimate({ sms: 54_001, segments: 1, pricePerSegmentEur: 0.045, ratePerSecond: 5 }).exceedsProviderQueue)
      .toBe(true)
    expect(estimate({ sms: 54_001, segments: 1, pricePerSegmentEur: 0.045, ratePerSecond: 50 }).exceedsProviderQueue)
      .toBe(false)
  })

  it("the budget is a ceiling: exactly the rest fits, one more part does not", () => {
    const budget = { monthlySegments: 100, usedSegments: 60 }
    expect(remaining(budget)).toBe(40)
    expect(fits(budget, 40)).toBe(true)
    expect(fits(budget, 41)).toBe(false)
    expect(remaining({ monthlySegments: 10, usedSegments: 12 })).toBe(0)
  })
})
