import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import {
  DEFAULT_VERIFICATION_SMS_LIMITS,
  judgeVerificationSms,
  PHONE_CODES_BEFORE_ADDRESS,
  smsCountryAllowed
} from "../../src/channels/VerificationSms.js"

const limits = { ...DEFAULT_VERIFICATION_SMS_LIMITS, perAccountPerDay: 3, perAddressPerDay: 4, platformPerDay: 10 }
const none = { account: 0, address: 0, platform: 0, accountPhoneCodes: 0 }
const refusal = (e: Either.Either<void, { readonly _tag: string }>) => Either.isLeft(e) ? e.left : "sent"

describe("verification SMS: countries and daily budgets", () => {
  it("accepts French mobiles, metropolitan and overseas, and the countries a deployment adds", () => {
    for (const c of ["FR", "RE", "GP", "MQ", "GF", "YT", "NC", "PF"]) {
      expect(smsCountryAllowed(c, DEFAULT_VERIFICATION_SMS_LIMITS)).toBe(true)
    }
    for (const c of ["GB", "BE", "US", undefined]) {
      expect(smsCountryAllowed(c, DEFAULT_VERIFICATION_SMS_LIMITS)).toBe(false)
    }
    expect(smsCountryAllowed("BE", { ...DEFAULT_VERIFICATION_SMS_LIMITS, extraCountries: ["BE"] })).toBe(true)
  })

  it("refuses once a budget is spent, saying which", () => {
    expect(refusal(judgeVerificationSms(none, limits, true))).toBe("sent")
    expect(refusal(judgeVerificationSms({ ...none, account: 3 }, limits, true))).toMatchObject({
      _tag: "SmsBudgetReached",
      budget: "account",
      limit: 3
    })
    expect(refusal(judgeVerificationSms({ ...none, address: 4 }, limits, true))).toMatchObject({ budget: "address",
      limit: 4 })
    expect(refusal(judgeVerificationSms({ ...none, platform: 10, account: 3 }, limits, true))).toMatchObject({
      budget: "platform"
    })
  })

  it("gives an account without a verified address 2 phone codes in all", () => {
    expect(PHONE_CODES_BEFORE_ADDRESS).toBe(2)
    expect(refusal(judgeVerificationSms({ ...none, accountPhoneCodes: 1 }, limits, false))).toBe("sent")
    expect(refusal(judgeVerificationSms({ ...none, accountPhoneCodes: 2 }, limits, false))).toMatchObject({
      _tag: "AddressNotVerifiedYet",
      maxCodes: 2
    })
    expect(refusal(judgeVerificationSms({ ...none, accountPhoneCodes: 2 }, limits, true))).toBe("sent")
  })
})
