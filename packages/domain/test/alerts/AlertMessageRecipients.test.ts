import { describe, expect, it } from "@effect/vitest"
import { DateTime, FastCheck as fc, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import { closingRecipients, followupRecipients } from "../../src/alerts/AlertMessageRecipients.js"
import { copyRecipients } from "../../src/delivery/CopyRecipients.js"
import { copyCaseArb } from "../delivery/CopyWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 200 } }
const ORIGINAL_AUTHOR = "00000000-0000-4000-c000-000000000001" as AccountId

/**
 * A case, whether the message already exists, and who wrote the follow-up: the original's author, a
 * recipient, or a stranger.
 */
const caseArb = copyCaseArb({ erasures: true }).chain((c) =>
  fc.record({
    c: fc.constant(c),
    written: fc.boolean(),
    followupAuthor: fc.oneof(
      fc.constant(ORIGINAL_AUTHOR),
      c.accounts.length === 0 ? fc.constant(ORIGINAL_AUTHOR) : fc.constantFrom(...c.accounts),
      fc.uuid().map((id) => id as AccountId)
    )
  })
)

describe("an alert's closing message", () => {
  it.prop("is the alert message's copy, nobody excluded, once, only to someone", [caseArb], ([{ c, written }]) => {
    const { earlier, suppressedPhones } = c.facts
    const closing = closingRecipients({ alertDeliveries: earlier, suppressedPhones, closingWritten: written }, c.now)
    const copy = copyRecipients({ earlier, excluded: [], suppressedPhones }, c.now)
    expect(closing).toEqual(written || copy.length === 0 ? Option.none() : Option.some(copy))
  }, runs)
})

describe("an alert's follow-up", () => {
  it.prop("goes to the original's recipients, not its author", [caseArb], ([{ c, followupAuthor, written }]) => {
    const { earlier, suppressedPhones } = c.facts
    const followup = followupRecipients({
      alertDeliveries: earlier,
      suppressedPhones,
      originalAuthorId: ORIGINAL_AUTHOR,
      followupAuthorId: followupAuthor,
      followupWritten: written
    }, c.now)
    const copy = copyRecipients({ earlier, excluded: [followupAuthor], suppressedPhones }, c.now)
    for (const p of Option.getOrElse(followup, () => [])) expect(p.accountId).not.toBe(followupAuthor)
    const tells = !written && followupAuthor !== ORIGINAL_AUTHOR && copy.length > 0
    expect(followup).toEqual(tells ? Option.some(copy) : Option.none())
  }, runs)

  it("a double submission (same author) tells nobody, even with recipients", () => {
    const now = DateTime.unsafeMake("2025-03-01T10:00:00Z")
    const bob = "00000000-0000-4000-c000-000000000002" as AccountId
    const followup = followupRecipients({
      alertDeliveries: [
        { accountId: bob, channel: "email", destination: "bob@exemple.fr", status: "delivered", notBefore: now }
      ],
      suppressedPhones: [],
      originalAuthorId: ORIGINAL_AUTHOR,
      followupAuthorId: ORIGINAL_AUTHOR,
      followupWritten: false
    }, now)
    expect(followup).toEqual(Option.none())
  })
})
