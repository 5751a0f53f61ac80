import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Either, FastCheck as fc } from "effect"
import {
  activationLetterRules,
  codeExpiry,
  judgeCodeAttempt,
  mayIssueCode,
  phoneCodeFromRandom,
  phoneCodeRules
} from "../../src/channels/OneTimeCodes.js"
import type { CodeAttempt, CodeRules, StoredCode } from "../../src/channels/OneTimeCodes.js"

const T0 = DateTime.unsafeMake("2025-03-10T09:00:00Z")
const at = (ms: number) => DateTime.unsafeMake(DateTime.toEpochMillis(T0) + ms)
const SECOND = 1000
const MINUTE = 60 * SECOND
const DAY = 24 * 60 * MINUTE
const fresh = (rules: CodeRules): StoredCode => ({ status: "pending", attempts: 0, expiresAt: codeExpiry(rules, T0) })
const outcome = (a: CodeAttempt) => (a._tag === "Accepted" ? "Accepted" : a.error._tag)
const apply = (stored: StoredCode, a: CodeAttempt): StoredCode => ({ ...stored, attempts: a.attempts,
  status: a.status })

describe("judgeCodeAttempt", () => {
  const rulesArb = fc.constantFrom(activationLetterRules, phoneCodeRules)

  it("the right code is accepted once, then a replay is refused", () => {
    const first = judgeCodeAttempt(activationLetterRules, fresh(activationLetterRules), true, at(MINUTE))
    expect(first).toEqual({ _tag: "Accepted", attempts: 1, status: "used" })
    const replay = judgeCodeAttempt(
      activationLetterRules,
      apply(fresh(activationLetterRules), first),
      true,
      at(2 * MINUTE)
    )
    expect(outcome(replay)).toBe("CodeAlreadyUsed")
  })

  it("wrong tries count down; the 5th locks; a locked code refuses even the right one", () => {
    let stored = fresh(activationLetterRules)
    const seen: Array<string> = []
    for (let i = 0; i < 5; i++) {
      const a = judgeCodeAttempt(activationLetterRules, stored, false, at(MINUTE))
      seen.push(
        a._tag === "Rejected" && a.error._tag === "WrongCode" ? `WrongCode ${a.error.remainingAttempts}` : outcome(a)
      )
      stored = apply(stored, a)
    }
    expect(seen).toEqual(["WrongCode 4", "WrongCode 3", "WrongCode 2", "WrongCode 1", "CodeLocked"])
    expect(stored).toMatchObject({ status: "locked", attempts: 5 })
    expect(outcome(judgeCodeAttempt(activationLetterRules, stored, true, at(MINUTE)))).toBe("CodeLocked")
  })

  it.each(
    [
      ["letter, a second before expiry", activationLetterRules, 30 * DAY - SECOND, "Accepted"],
      ["letter, at expiry", activationLetterRules, 30 * DAY, "CodeExpired"],
      ["SMS code, 9 minutes 59 after", phoneCodeRules, 10 * MINUTE - SECOND, "Accepted"],
      ["SMS code, 10 minutes after", phoneCodeRules, 10 * MINUTE, "CodeExpired"],
      ["SMS code, a day after", phoneCodeRules, DAY, "CodeExpired"]
    ] as const
  )("expiry: %s → %s", (_, rules, after, expected) => {
    expect(outcome(judgeCodeAttempt(rules, fresh(rules), true, at(after)))).toBe(expected)
  })

  it.each(
    [
      ["used", true, "CodeAlreadyUsed"],
      ["superseded", true, "CodeAlreadyUsed"],
      ["locked", true, "CodeLocked"],
      ["used", false, "CodeAlreadyUsed"],
      ["locked", false, "CodeLocked"]
    ] as const
  )("a %s code, matching=%s → %s (and nothing stored changes)", (status, matches, expected) => {
    const stored: StoredCode = { status, attempts: 2, expiresAt: at(DAY) }
    const a = judgeCodeAttempt(phoneCodeRules, stored, matches, at(DAY + SECOND))
    expect(outcome(a)).toBe(expected)
    expect(a).toMatchObject({ attempts: 2, status })
  })

  it.prop(
    "over any sequence of tries: accepted at most once, only before the 5th wrong try and before expiry",
    [rulesArb, fc.array(fc.record({ matches: fc.boolean(), afterMs: fc.nat(40 * DAY) }), { maxLength: 12 })],
    ([rules, tries]) => {
      let stored = fresh(rules)
      let wrong = 0
      let accepted = false
      const expiry = DateTime.toEpochMillis(codeExpiry(rules, T0))
      for (const t of [...tries].sort((x, y) => x.afterMs - y.afterMs)) {
        const now = at(t.afterMs)
        const a = judgeCodeAttempt(rules, stored, t.matches, now)
        const expected = accepted
          ? "CodeAlreadyUsed"
          : wrong >= rules.maxAttempts
          ? "CodeLocked"
          : DateTime.toEpochMillis(now) >= expiry
          ? "CodeExpired"
          : t.matches
          ? "Accepted"
          : wrong + 1 >= rules.maxAttempts
          ? "CodeLocked"
          : "WrongCode"
        expect(outcome(a)).toBe(expected)
        if (a._tag === "Rejected" && a.error._tag === "WrongCode") {
          expect(a.error.remainingAttempts).toBe(rules.maxAttempts - wrong - 1)
        }
        if (expected === "Accepted") accepted = true
        if (expected === "WrongCode" || (expected === "CodeLocked" && wrong < rules.maxAttempts)) wrong++
        stored = apply(stored, a)
        expect(stored.attempts).toBeLessThanOrEqual(rules.maxAttempts)
      }
    }
  )
})

describe("mayIssueCode", () => {
  const retryAfter = (e: Either.Either<void, { retryAfterSeconds: number }>) =>
    Either.match(e, { onLeft: (err) => err.retryAfterSeconds, onRight: () => 0 })

  it("a 4th letter within 30 days is refused until the oldest leaves the window", () => {
    const sends = [at(-20 * DAY), at(-10 * DAY), at(-DAY)]
    expect(retryAfter(mayIssueCode(activationLetterRules, sends.slice(0, 2), T0))).toBe(0)
    expect(retryAfter(mayIssueCode(activationLetterRules, sends, T0))).toBe(10 * 24 * 3600)
    expect(retryAfter(mayIssueCode(activationLetterRules, sends, at(10 * DAY - 1)))).toBe(1)
    expect(retryAfter(mayIssueCode(activationLetterRules, sends, at(10 * DAY)))).toBe(0)
  })

  it("sends older than the window, or in the future, do not count", () => {
    const sends = [at(-31 * DAY), at(-30 * DAY), at(-DAY), at(MINUTE)]
    expect(Either.isRight(mayIssueCode(activationLetterRules, sends, T0))).toBe(true)
  })

  it("letters have no minimum interval", () => {
    expect(Either.isRight(mayIssueCode(activationLetterRules, [T0], T0))).toBe(true)
  })

  it("phone codes: one a minute", () => {
    expect(retryAfter(mayIssueCode(phoneCodeRules, [at(-30 * SECOND)], T0))).toBe(30)
    expect(retryAfter(mayIssueCode(phoneCodeRules, [at(-59_001)], T0))).toBe(1)
    expect(retryAfter(mayIssueCode(phoneCodeRules, [at(-MINUTE)], T0))).toBe(0)
  })

  it("phone codes: at most 5 a day", () => {
    const sends = [-20, -15, -10, -5, -1].map((h) => at(h * 3600 * SECOND))
    expect(retryAfter(mayIssueCode(phoneCodeRules, sends.slice(1), T0))).toBe(0)
    expect(retryAfter(mayIssueCode(phoneCodeRules, sends, T0))).toBe(4 * 3600)
  })

  it("phone codes: a refusal for the daily limit still honours the one-a-minute rule", () => {
    const sends = [at(-DAY + 10 * SECOND), at(-20 * 3600 * SECOND), at(-15 * 3600 * SECOND), at(-10 * 3600 * SECOND),
      at(-5 * SECOND)]
    const r = retryAfter(mayIssueCode(phoneCodeRules, sends, T0))
    expect(r).toBe(55)
    expect(Either.isRight(mayIssueCode(phoneCodeRules, sends, at(r * SECOND)))).toBe(true)
  })

  it.prop(
    "a refusal names the first second at which a code may be sent (nothing else having been sent)",
    [
      fc.constantFrom(activationLetterRules, phoneCodeRules),
      fc.array(fc.oneof(fc.nat(1000).map((f) => f / 1000), fc.constantFrom(0, 0.0001, 0.0005, 0.999, 0.9999, 1)), {
        maxLength: 8
      }),
      fc.nat(999)
    ],
    ([rules, fractions, jitter]) => {
      const window = Duration.toMillis(rules.sendWindow)
      const sends = fractions.map((f) => at(-Math.floor(f * window) - jitter))
      const r = retryAfter(mayIssueCode(rules, sends, T0))
      if (r === 0) return
      expect(Either.isRight(mayIssueCode(rules, sends, at(r * SECOND)))).toBe(true)
      if (r > 1) expect(Either.isLeft(mayIssueCode(rules, sends, at((r - 1) * SECOND)))).toBe(true)
    },
    { fastCheck: { numRuns: 500 } }
  )
})

describe("phone codes", () => {
  it.prop("six digits from any 32-bit number", [fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 })], ([n]) => {
    expect(phoneCodeFromRandom(n)).toMatch(/^[0-9]{6}$/)
  })
  it("pads with zeros", () => {
    expect(phoneCodeFromRandom(42)).toBe("000042")
    expect(phoneCodeFromRandom(1_000_000)).toBe("000000")
    expect(phoneCodeFromRandom(999_999)).toBe("999999")
  })
})
