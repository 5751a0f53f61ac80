import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import { gsm7Segments } from "../../src/channels/Gsm7.js"
import { moderationNoticeSms } from "../../src/moderation/NoticeTexts.js"
import { ResidentCategory } from "../../src/alerts/Alert.js"
import { HideReason, hideReasonLabel } from "../../src/moderation/HideReason.js"
import {
  actionable,
  flaggedByAnother,
  mayDecideAppeal,
  needsDetails,
  restoreTarget,
  waitingSeconds
} from "../../src/moderation/ModerationPolicy.js"
import { AppealView, PersonRef } from "../../src/moderation/ModeratedAlert.js"

const hider = "00000000-0000-4000-8000-000000000001" as AccountId
const other = "00000000-0000-4000-8000-000000000002" as AccountId
const ref = (accountId: AccountId) => new PersonRef({ accountId, firstName: "Test", lastName: "Modo" })

describe("moderation policy", () => {
  it("an appeal goes to another moderator than the one who hid the alert", () => {
    expect(mayDecideAppeal(hider, Option.some(hider))).toBe(false)
    expect(mayDecideAppeal(other, Option.some(hider))).toBe(true)
    expect(mayDecideAppeal(other, Option.none())).toBe(true)
    const appeal = Option.some(
      new AppealView({
        id: "00000000-0000-4000-8000-0000000000aa" as AppealView["id"],
        alertId: "00000000-0000-4000-8000-0000000000bb" as AppealView["alertId"],
        author: ref(other),
        text: "Appel",
        createdAt: DateTime.unsafeMake(0),
        status: "pending",
        hiddenBy: Option.some(ref(hider)),
        decidedBy: Option.none(),
        decidedAt: Option.none(),
        decisionReason: Option.none()
      })
    )
    expect(actionable("appeal", hider, appeal)).toBe(false)
    expect(actionable("appeal", other, appeal)).toBe(true)
    expect(actionable("held", hider, Option.none())).toBe(true)
  })

  it("`other` needs words; restore returns to resolved only when it was resolved; waiting never negative", () => {
    expect(HideReason.literals.filter((r) => needsDetails(r, Option.none()))).toEqual(["other"])
    expect(needsDetails("other", Option.some("Doublon du quartier voisin"))).toBe(false)
    expect(restoreTarget(Option.some("resolved"))).toBe("resolved")
    expect(restoreTarget(Option.some("held_for_review"))).toBe("published")
    expect(restoreTarget(Option.none())).toBe("published")
    expect(waitingSeconds(DateTime.unsafeMake(5_000), DateTime.unsafeMake(1_000))).toBe(0)
    expect(waitingSeconds(DateTime.unsafeMake(1_000), DateTime.unsafeMake(62_500))).toBe(61)
  })

  it("every notice to an author fits one GSM-7 SMS part, whatever the category and the reason", () => {
    for (const category of ResidentCategory.literals) {
      for (const reason of HideReason.literals) {
        const texts = [
          moderationNoticeSms({ kind: "approved", category }),
          moderationNoticeSms({ kind: "restored", category }),
          moderationNoticeSms({ kind: "hidden", category, reason: hideReasonLabel[reason] }),
          moderationNoticeSms({ kind: "warned", reason: hideReasonLabel[reason],
            details: Option.some("x".repeat(400)) })
        ]
        for (const text of texts) expect(gsm7Segments(text), text).toMatchObject({ encoding: "GSM-7", segments: 1 })
      }
    }
  })

  it("a référent's own flag alone does not let them hide an alert; another member's does", () => {
    const by = (accountId: AccountId) => ({ flaggedBy: Option.some(ref(accountId)) })
    expect(flaggedByAnother(hider, [])).toBe(false)
    expect(flaggedByAnother(hider, [by(hider)])).toBe(false)
    expect(flaggedByAnother(hider, [by(hider), by(other)])).toBe(true)
    expect(flaggedByAnother(hider, [by(other)])).toBe(true)
    // A flag whose author is gone was not the référent's.
    expect(flaggedByAnother(hider, [{ flaggedBy: Option.none() }])).toBe(true)
  })
})
