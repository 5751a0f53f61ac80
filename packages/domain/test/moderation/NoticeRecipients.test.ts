import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import type { AlertOrigin } from "../../src/alerts/Alert.js"
import { directRecipients } from "../../src/delivery/DirectRecipients.js"
import { AuditAction } from "../../src/moderation/AuditEntry.js"
import { noticeDeliveries, noticeRecipient } from "../../src/moderation/NoticeRecipients.js"
import type { AccountAction, NoticeOccasion } from "../../src/moderation/NoticeRecipients.js"
import { noticeCaseArb } from "./ModerationWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }
const ACCOUNT_ACTIONS: ReadonlyArray<AccountAction> = ["warn", "suspend", "lift_suspension", "ban", "lift_ban"]
const ALERT_ACTIONS = AuditAction.literals.filter((a): a is Exclude<AuditAction, AccountAction> =>
  !(ACCOUNT_ACTIONS as ReadonlyArray<string>).includes(a)
)
const account = fc.uuid().map((id) => id as AccountId)

const occasionArb: fc.Arbitrary<NoticeOccasion> = fc.oneof(
  fc.record({
    _tag: fc.constant("AlertDecision" as const),
    action: fc.constantFrom(...ALERT_ACTIONS),
    alert: fc.record({ authorId: account, origin: fc.constantFrom<AlertOrigin>("web", "sms", "mairie", "police") }),
    confirmsPendingHide: fc.boolean()
  }),
  fc.record({
    _tag: fc.constant("AccountDecision" as const),
    action: fc.constantFrom(...ACCOUNT_ACTIONS),
    accountId: account
  })
)

describe("who is told of a moderation decision", () => {
  it.prop("about an alert: only its author, only by SMS, only when it was posted by SMS", [occasionArb], ([o]) => {
    if (o._tag !== "AlertDecision") return
    Option.match(noticeRecipient(o), {
      onNone: () => {},
      onSome: (r) => {
        expect(o.alert.origin).toBe("sms")
        expect(r.accountId).toBe(o.alert.authorId)
        expect(r.channels).toEqual(["sms"])
      }
    })
  }, runs)

  it.prop("an SMS author hears of approval, hiding, restoring; not of a confirmed hiding", [occasionArb], ([o]) => {
    if (o._tag !== "AlertDecision" || o.alert.origin !== "sms") return
    const told = ["approve", "hide_pending", "restore", "appeal_restore"].includes(o.action) ||
      (o.action === "hide" && !o.confirmsPendingHide)
    expect(Option.isSome(noticeRecipient(o))).toBe(told)
  }, runs)

  it.prop("about an account: only a warning is told, to that account, by SMS and e-mail", [occasionArb], ([o]) => {
    if (o._tag !== "AccountDecision") return
    expect(noticeRecipient(o)).toEqual(
      o.action === "warn"
        ? Option.some({ accountId: o.accountId, kind: "warned", channels: ["sms", "email"] })
        : Option.none()
    )
  }, runs)

  it.prop("the notice goes where a message to one person goes, on the channels chosen", [noticeCaseArb], ([c]) => {
    expect(noticeDeliveries({ channels: c.channels }, c.account, c.suppressedPhones, c.now))
      .toEqual(directRecipients(c.account, c.channels, c.suppressedPhones, c.now))
  }, runs)

  it.each(
    [
      ["approve", "approved"],
      ["hide", "hidden"],
      ["hide_pending", "hidden"],
      ["restore", "restored"],
      ["appeal_restore", "restored"]
    ] as const
  )("%s of an SMS alert tells its author: %s", (action, kind) => {
    const authorId = "00000000-0000-4000-c000-000000000001" as AccountId
    const alert = { authorId, origin: "sms" as const }
    const occasion: NoticeOccasion = { _tag: "AlertDecision", action, alert, confirmsPendingHide: false }
    expect(noticeRecipient(occasion))
      .toEqual(Option.some({ accountId: authorId, kind, channels: ["sms"] }))
  })
})
