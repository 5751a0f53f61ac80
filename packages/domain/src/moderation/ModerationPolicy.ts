import { DateTime, Option } from "effect"
import type { Account, AccountId } from "../accounts/Account.js"
import { isModerator } from "../accounts/Account.js"
import type { AlertStatus } from "../alerts/Alert.js"
import type { CommunityId } from "../communities/Community.js"
import type { Membership } from "../membership/Membership.js"
import type { HideReason } from "./HideReason.js"
import {
  AlertModerationState,
  AppealView,
  ExpectedReview,
  MyAppeal,
  MyHiding,
  type QueueItemKind
} from "./ModeratedAlert.js"
import type { AlertModerationRecord } from "./ModeratedAlertRepo.js"

/** Who acts in moderation: staff moderators (Moderator or Admin) everywhere, référents on their communities. */
export const isStaffModerator = (account: Account): boolean => isModerator(account.staffRoles)

/** The communities where the account is a verified référent. */
export const referentCommunities = (memberships: ReadonlyArray<Membership>): ReadonlyArray<CommunityId> =>
  memberships.filter((m) => m.role === "referent" && m.status === "verified").map((m) => m.communityId)

/**
 * Whether a référent may hide an alert pending review on these open flags: at least one must come
 * from another member than the référent (a flag whose author is gone counts as another's).
 */
export const flaggedByAnother = (
  referentId: AccountId,
  openFlags: ReadonlyArray<{ readonly flaggedBy: Option.Option<{ readonly accountId: AccountId }> }>
): boolean => openFlags.some((f) => !Option.exists(f.flaggedBy, (p) => p.accountId === referentId))

/** The reason `other` says nothing by itself: it needs the moderator's words. */
export const needsDetails = (reason: HideReason, details: Option.Option<string>): boolean =>
  reason === "other" && Option.isNone(details)

/** Where a restore takes a hidden alert: back to resolved if it was resolved, otherwise published. */
export const restoreTarget = (hiddenFrom: Option.Option<AlertStatus>): "published" | "resolved" =>
  Option.contains(hiddenFrom, "resolved") ? "resolved" : "published"

/** An appeal goes to another moderator than the one who hid the alert. */
export const mayDecideAppeal = (moderatorId: AccountId, hiddenBy: Option.Option<AccountId>): boolean =>
  !Option.contains(hiddenBy, moderatorId)

/** Whether the viewer may act on a queue item: anyone but the hider on an appeal. */
export const actionable = (kind: QueueItemKind, viewerId: AccountId, appeal: Option.Option<AppealView>): boolean =>
  kind !== "appeal" ||
  !Option.exists(appeal, (a) => Option.exists(a.hiddenBy, (h) => h.accountId === viewerId))

/** Whole seconds from `since` to `now`, never negative (clocks of two servers may disagree a little). */
export const waitingSeconds = (since: DateTime.Utc, now: DateTime.Utc): number =>
  Math.max(0, Math.floor((now.epochMillis - since.epochMillis) / 1000))

/** Whole days from `since` to `now`, never negative. */
export const ageInDays = (since: DateTime.Utc, now: DateTime.Utc): number =>
  Math.max(0, Math.floor((now.epochMillis - since.epochMillis) / 86_400_000))

/**
 * The moderation state an author (or a moderator) is shown: hold reasons and the expected review
 * delay while held; approval (the first publication after a hold) and review times; the hiding,
 * without who hid it; whether an appeal is still possible (hidden, and none made) and the appeal.
 */
export const moderationState = (
  record: AlertModerationRecord,
  appeal: Option.Option<AppealView>,
  expected: (now: DateTime.Utc) => { readonly minutes: number; readonly text: string },
  now: DateTime.Utc
): AlertModerationState => {
  const status = record.alert.status
  const held = status === "held_for_review"
  return new AlertModerationState({
    alertId: record.alert.id,
    status,
    holdReasons: record.holdReasons,
    expectedReview: held ? Option.some(new ExpectedReview(expected(now))) : Option.none(),
    approvedAt: record.holdReasons.length > 0 ? record.firstPublishedAt : Option.none(),
    reviewedAt: record.reviewedAt,
    hidden: Option.map(
      record.hidden,
      (h) => new MyHiding({ reason: h.reason, details: h.details, at: h.at, pendingReview: h.pendingReview })
    ),
    canAppeal: status === "hidden" && Option.isNone(appeal),
    appeal: Option.map(appeal, (a) =>
      new MyAppeal({
        status: a.status,
        text: a.text,
        createdAt: a.createdAt,
        decidedAt: a.decidedAt,
        decisionReason: a.decisionReason
      }))
  })
}

/** The moderation-relevant fields of an alert, for the audit log's before and after. */
export const alertSnapshot = (record: {
  readonly status: AlertStatus
  readonly reviewed: boolean
  readonly hidden: Option.Option<{ readonly reason: HideReason; readonly pending: boolean }>
}) => ({
  status: record.status,
  reviewed: record.reviewed,
  hiddenReason: Option.getOrNull(Option.map(record.hidden, (h) => h.reason)),
  hiddenPending: Option.exists(record.hidden, (h) => h.pending)
})
