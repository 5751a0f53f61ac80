import { describe, expect, it } from "@effect/vitest"
import { INBOX_MAX_ATTEMPTS, inboxExhausted, inboxRetryAt } from "@vigie/domain/sms/InboxPolicy"
import { DateTime, Option } from "effect"

const now = DateTime.unsafeMake("2026-12-03T08:00:00Z")
const after = (attempts: number) =>
  Option.map(inboxRetryAt(attempts, now), (at) => (DateTime.toEpochMillis(at) - DateTime.toEpochMillis(now)) / 1000)

describe("InboxPolicy", () => {
  it("a failed handling is retried after a growing delay, and not after the last attempt", () => {
    expect([1, 2, 3, 4].map(after)).toStrictEqual([2, 8, 32, 128].map(Option.some))
    expect(after(INBOX_MAX_ATTEMPTS)).toStrictEqual(Option.none())
  })

  it("a claim past the last attempt (a lease that ran out on it) is exhausted; the last attempt itself is not", () => {
    expect(inboxExhausted(INBOX_MAX_ATTEMPTS)).toBe(false)
    expect(inboxExhausted(INBOX_MAX_ATTEMPTS + 1)).toBe(true)
  })
})
