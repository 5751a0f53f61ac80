import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import { AlertStatus } from "../../src/alerts/Alert.js"
import type { AlertId } from "../../src/alerts/Alert.js"
import { messagesOnMove, messagesOnPost, needsOriginal, notifiesOriginal } from "../../src/alerts/AlertMessages.js"
import type { AlertFacts } from "../../src/alerts/AlertMessages.js"

const people = ["a", "b", "c"].map((p) => `00000000-0000-4000-8000-00000000000${p}` as AccountId)
const alertId = "10000000-0000-4000-8000-000000000001" as AlertId
const originalId = "10000000-0000-4000-8000-000000000002" as AlertId

const status = fc.constantFrom(...AlertStatus.literals)
const person = fc.constantFrom(...people)
const facts = (s: fc.Arbitrary<AlertFacts["status"]>): fc.Arbitrary<AlertFacts> =>
  fc.record({
    id: fc.constant(alertId),
    authorId: person,
    status: s,
    followupOf: fc.option(fc.constant(originalId), { nil: undefined }).map(Option.fromNullable)
  })
const originalAuthor = fc.option(person, { nil: undefined }).map(Option.fromNullable)

describe("AlertMessages: what an alert's step sends", () => {
  it.prop(
    "posting: nothing while held; once published, a fan-out, or for a follow-up the original's follow-up when asked",
    [
      facts(fc.constantFrom("published" as const, "held_for_review" as const)),
      fc.boolean()
    ],
    ([alert, notify]) => {
      const sent = messagesOnPost(alert, notify)
      const expected = alert.status !== "published"
        ? []
        : Option.isNone(alert.followupOf)
        ? [{ _tag: "FanOut", alertId }]
        : notify
        ? [{ _tag: "FollowUp", originalId, excluded: alert.authorId }]
        : []
      expect(sent).toStrictEqual(expected)
    }
  )

  it.prop("a follow-up tells the original's recipients only when the original has another author", [
    person,
    originalAuthor
  ], ([author, original]) => {
    expect(notifiesOriginal(original, author)).toBe(Option.isSome(original) && original.value !== author)
  })

  it.prop("moving: at most one message; a closing note exactly when a published alert is resolved or retracted", [
    status,
    status,
    facts(status),
    fc.boolean(),
    originalAuthor
  ], ([from, to, alert, firstPublished, original]) => {
    const sent = messagesOnMove({ from, to, alert, firstPublished, originalAuthor: original })
    expect(sent.length).toBeLessThanOrEqual(1)
    const closes = from === "published" && (to === "resolved" || to === "retracted")
    expect(sent.some((m) => m._tag === "Closing")).toBe(closes)
    if (to !== "published") expect(sent.every((m) => m._tag === "Closing")).toBe(true)
    if (closes) expect(sent).toStrictEqual([{ _tag: "Closing", alertId }])
  })

  it.prop("moving: the first publication (held or hidden → published, never published before) fans out once", [
    fc.constantFrom("held_for_review" as const, "hidden" as const),
    facts(status),
    fc.boolean(),
    originalAuthor
  ], ([from, alert, firstPublished, original]) => {
    const sent = messagesOnMove({ from, to: "published", alert, firstPublished, originalAuthor: original })
    expect(needsOriginal(from, "published", firstPublished, alert)).toBe(
      firstPublished && Option.isSome(alert.followupOf)
    )
    const expected = !firstPublished
      ? []
      : Option.isNone(alert.followupOf)
      ? [{ _tag: "FanOut", alertId }]
      : notifiesOriginal(original, alert.authorId)
      ? [{ _tag: "FollowUp", originalId, excluded: alert.authorId }]
      : []
    expect(sent).toStrictEqual(expected)
  })
})
