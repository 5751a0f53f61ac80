import type { DateTime } from "effect"
import { Option } from "effect"
import type { AlertOrigin } from "../alerts/Alert.js"
import { directRecipients } from "../delivery/DirectRecipients.js"
import type { FanOutAccount, PlannedDelivery } from "../delivery/FanOut.js"
import type { Channel } from "../delivery/NotificationPreferences.js"
import type { AccountId } from "../shared/Ids.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { AuditAction } from "./AuditEntry.js"

/** A moderation decision, with the facts that decide who is told of it. */
export type NoticeOccasion =
  | {
    readonly _tag: "AlertDecision"
    readonly action: Exclude<AuditAction, AccountAction>
    readonly alert: { readonly authorId: AccountId; readonly origin: AlertOrigin }
    /** A moderator's `hide` of an alert a référent already hid, pending review (their hiding confirmed). */
    readonly confirmsPendingHide: boolean
  }
  | { readonly _tag: "AccountDecision"; readonly action: AccountAction; readonly accountId: AccountId }

/** The decisions about an account (or one of its memberships), not about one alert. */
export type AccountAction = "warn" | "suspend" | "lift_suspension" | "ban" | "lift_ban"

/** What a notice tells (MessageTexts' ModerationNoticeSpec kind). */
export type NoticeKind = "approved" | "hidden" | "restored" | "warned"

/** One person to tell of a decision, what, and on which channels to try. */
export interface NoticeRecipient {
  readonly accountId: AccountId
  readonly kind: NoticeKind
  readonly channels: ReadonlyArray<Channel>
}

const smsAuthor = (alert: { readonly authorId: AccountId; readonly origin: AlertOrigin }, kind: NoticeKind) =>
  alert.origin === "sms"
    ? Option.some<NoticeRecipient>({ accountId: alert.authorId, kind, channels: ["sms"] })
    : Option.none()

/**
 * Who is told of a moderation decision, and on which channels. At most one person:
 * - an alert approved (`approve`), hidden (`hide`, or a référent's `hide_pending`) or restored
 *   (`restore`, `appeal_restore`): its author, by SMS, only when the alert was posted by SMS (a web
 *   author sees the state on the alert's page; a town alert's author is staff). A moderator's `hide`
 *   confirming a référent's pending hiding tells nobody: the author was told when it was hidden;
 * - an account warned (`warn`): that account, by SMS and e-mail;
 * - nobody for anything else: a review mark, dismissed flags, a confirmed hiding (`confirm_hide`), an
 *   upheld appeal, a suspension, a ban or their lifting (the person sees it when they next sign in).
 * Where each notice then goes is `noticeDeliveries`.
 */
export const noticeRecipient = (occasion: NoticeOccasion): Option.Option<NoticeRecipient> => {
  if (occasion._tag === "AccountDecision") {
    return occasion.action === "warn"
      ? Option.some({ accountId: occasion.accountId, kind: "warned", channels: ["sms", "email"] })
      : Option.none()
  }
  switch (occasion.action) {
    case "approve":
      return smsAuthor(occasion.alert, "approved")
    case "hide":
      return occasion.confirmsPendingHide ? Option.none() : smsAuthor(occasion.alert, "hidden")
    case "hide_pending":
      return smsAuthor(occasion.alert, "hidden")
    case "restore":
    case "appeal_restore":
      return smsAuthor(occasion.alert, "restored")
    case "mark_reviewed":
    case "confirm_hide":
    case "dismiss_flags":
    case "appeal_uphold":
    case "read_reported_message":
    case "close_message_report":
      return Option.none()
  }
}

/**
 * The deliveries of a notice to its recipient: `directRecipients` (delivery/DirectRecipients.ts) on
 * the channels `noticeRecipient` chose. SMS to the verified phone unless it said STOP, e-mail to the
 * address, none to an erased account; at once, whatever the preferences and quiet hours. Empty: no
 * notice message is written.
 */
export const noticeDeliveries = (
  recipient: Pick<NoticeRecipient, "channels">,
  account: FanOutAccount,
  suppressedPhones: ReadonlyArray<PhoneE164>,
  now: DateTime.Utc
): ReadonlyArray<PlannedDelivery> => directRecipients(account, recipient.channels, suppressedPhones, now)
