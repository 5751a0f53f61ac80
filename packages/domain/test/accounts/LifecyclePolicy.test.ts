import { describe, expect, it } from "@effect/vitest"
import {
  judgeLink,
  judgeResetCode,
  maskEmail,
  RESET_CODE_MAX_ATTEMPTS,
  type ResetCodeStatus
} from "@vigie/domain/accounts/LifecyclePolicy"
import { DateTime, Either, FastCheck as fc } from "effect"

const now = DateTime.unsafeMake("2026-03-02T10:00:00Z")
const later = DateTime.add(now, { minutes: 10 })
const earlier = DateTime.subtract(now, { seconds: 1 })

describe("links (password reset, e-mail change)", () => {
  it("a pending link in time is usable; a used or replaced one never; an expired one neither", () => {
    expect(Either.isRight(judgeLink({ status: "pending", expiresAt: later }, now))).toBe(true)
    expect(
      Either.getLeft(judgeLink({ status: "used", expiresAt: later }, now)).pipe((e) =>
        e._tag === "Some" && e.value._tag
      )
    ).toBe("LinkAlreadyUsed")
    expect(
      Either.getLeft(judgeLink({ status: "superseded", expiresAt: later }, now)).pipe((e) =>
        e._tag === "Some" && e.value._tag
      )
    ).toBe("LinkAlreadyUsed")
    expect(
      Either.getLeft(judgeLink({ status: "pending", expiresAt: now }, now)).pipe((e) =>
        e._tag === "Some" && e.value._tag
      )
    ).toBe("LinkExpired")
  })
})

describe("SMS reset codes", () => {
  it("the right live code is accepted; wrong tries count and the fifth locks", () => {
    expect(judgeResetCode({ status: "pending", attempts: 0, expiresAt: later }, true, now)._tag).toBe("Accepted")
    let stored = { status: "pending" as "pending" | "used" | "superseded" | "locked", attempts: 0, expiresAt: later }
    for (let i = 1; i <= RESET_CODE_MAX_ATTEMPTS; i++) {
      const outcome = judgeResetCode(stored, false, now)
      if (outcome._tag !== "Rejected") throw new Error("a wrong code was accepted")
      expect(outcome.error._tag).toBe("WrongResetCode")
      expect(outcome.attempts).toBe(i)
      stored = { ...stored, attempts: outcome.attempts, status: outcome.status }
    }
    expect(stored.status).toBe("locked")
    // Locked: even the right code is refused, and says only that the code is no longer valid.
    const right = judgeResetCode(stored, true, now)
    expect(right._tag === "Rejected" && right.error._tag).toBe("ResetCodeExpired")
  })

  it("a wrong code is only ever 'wrong', whatever the state of the stored code (it reveals nothing); only the right code learns it is dead", () => {
    fc.assert(fc.property(
      fc.constantFrom<ResetCodeStatus>("pending", "used", "superseded", "locked"),
      fc.nat({ max: 8 }),
      fc.boolean(),
      (status, attempts, expired) => {
        const stored = { status, attempts, expiresAt: expired ? earlier : later }
        const wrong = judgeResetCode(stored, false, now)
        expect(wrong._tag === "Rejected" && wrong.error._tag).toBe("WrongResetCode")
        const right = judgeResetCode(stored, true, now)
        const live = status === "pending" && attempts < RESET_CODE_MAX_ATTEMPTS && !expired
        expect(right._tag === "Accepted" ? "Accepted" : right.error._tag).toBe(live ? "Accepted" : "ResetCodeExpired")
        // A try on a dead code changes nothing stored.
        if (!live) expect(wrong).toMatchObject({ attempts, status })
      }
    ))
  })
})

describe("masked addresses", () => {
  it("keeps the first and last letters of the name and the domain", () => {
    expect(maskEmail("chloe.moreau@example.org")).toBe("c***u@example.org")
    expect(maskEmail("al@example.org")).toBe("a***@example.org")
    expect(maskEmail("nonsense")).toBe("***")
  })
})
