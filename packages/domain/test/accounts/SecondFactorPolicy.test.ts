import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Exit, FastCheck as fc, Layer, Redacted } from "effect"
import { CommonPasswords } from "../../src/accounts/CommonPasswords.js"
import { checkNewPassword } from "../../src/accounts/NewPassword.js"
import {
  isFreshStep,
  mayCallBeforeEnrolment,
  normalizeRecoveryCode,
  recoveryCodeFromBytes,
  requiresSecondFactor,
  secondFactorRetryAfter,
  totpCodeOf
} from "../../src/accounts/SecondFactorPolicy.js"

const at = (seconds: number) => DateTime.unsafeMake(1_700_000_000_000 + seconds * 1000)

describe("staff second factor policy", () => {
  it("is required of every staff role and of nobody else", () => {
    expect(requiresSecondFactor([])).toBe(false)
    for (
      const role of [{ _tag: "Moderator" }, { _tag: "Admin" }, { _tag: "MairieAgent", insee: "33080" }, {
        _tag: "MunicipalPolice",
        insee: "33080"
      }] as const
    ) {
      expect(requiresSecondFactor([role as never])).toBe(true)
    }
  })

  it("before enrolling, only who-am-I, log-out and the enrolment itself", () => {
    for (const tag of ["WhoAmI", "LogOut", "GetSecondFactorStatus", "BeginTotpEnrolment", "ConfirmTotpEnrolment"]) {
      expect(mayCallBeforeEnrolment(tag)).toBe(true)
    }
    for (const tag of ["ListAuthoritiesInbox", "PreviewTownAlert", "HideAlert", "ListAlerts", "GetPreferences"]) {
      expect(mayCallBeforeEnrolment(tag)).toBe(false)
    }
  })

  it("locks for 15 minutes after 5 wrong codes in a row, not before", () => {
    expect(secondFactorRetryAfter(4, at(0), at(1))).toBe(0)
    expect(secondFactorRetryAfter(5, at(0), at(1))).toBe(899)
    expect(secondFactorRetryAfter(9, at(0), at(900))).toBe(0)
  })

  it("a TOTP step is accepted only after the last one used", () => {
    expect(isFreshStep(10, 9)).toBe(true)
    expect(isFreshStep(10, 10)).toBe(false)
    expect(isFreshStep(9, 10)).toBe(false)
  })

  it("recovery codes read back however they are typed", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), (bytes) => {
      const code = recoveryCodeFromBytes(bytes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
      expect(normalizeRecoveryCode(code.toLowerCase().replace(/-/g, " "))).toBe(code.replace(/-/g, ""))
    }))
    expect(normalizeRecoveryCode("123456")).toBeUndefined()
    expect(totpCodeOf("123 456")).toBe("123456")
    expect(totpCodeOf("7K3M-9QX2-TA")).toBeUndefined()
  })
})

describe("checkNewPassword", () => {
  const list = Layer.succeed(CommonPasswords, {
    isCommon: (p) => Effect.succeed(["qwerty123456", "administrator"].includes(p.toLowerCase()))
  })
  const outcome = (password: string) =>
    Effect.runSync(Effect.exit(checkNewPassword(Redacted.make(password)).pipe(Effect.provide(list)))).pipe((exit) =>
      Exit.isSuccess(exit) ? "ok" : exit.cause._tag === "Fail" ? exit.cause.error._tag : "defect"
    )

  it("refuses short passwords, then common ones whatever their case, and accepts the rest", () => {
    expect(outcome("court")).toBe("WeakPassword")
    expect(outcome("QWERTY123456")).toBe("CommonPassword")
    expect(outcome("administrator")).toBe("CommonPassword")
    expect(outcome("une phrase de passe assez longue")).toBe("ok")
  })
})
