import { Schema } from "effect"
import { AccountId, AccountStatus } from "../accounts/Account.js"
import { AlertId, AlertStatus } from "../alerts/Alert.js"
import { CommunityId } from "../communities/Community.js"
import { HideReason } from "./HideReason.js"

/** The moderation appeal does not exist (or is not the caller's to see). */
export class AppealNotFound extends Schema.TaggedError<AppealNotFound>()("AppealNotFound", {
  appealId: Schema.UUID
}) {}

/** The member already flagged this alert: a member flags an item once. */
export class AlreadyFlagged extends Schema.TaggedError<AlreadyFlagged>()("AlreadyFlagged", {
  alertId: AlertId
}) {}

/** The author already appealed the hiding of this alert: an author appeals once. */
export class AlreadyAppealed extends Schema.TaggedError<AlreadyAppealed>()("AlreadyAppealed", {
  alertId: AlertId
}) {}

/** Only a hidden alert can be appealed; `status` is its current one. */
export class NotAppealable extends Schema.TaggedError<NotAppealable>()("NotAppealable", {
  alertId: AlertId,
  status: AlertStatus
}) {}

/** The appeal was already decided (possibly by another moderator a moment ago). */
export class AppealAlreadyDecided extends Schema.TaggedError<AppealAlreadyDecided>()("AppealAlreadyDecided", {
  appealId: Schema.UUID
}) {}

/** The alert was already marked reviewed (possibly by another moderator a moment ago). */
export class AlreadyReviewed extends Schema.TaggedError<AlreadyReviewed>()("AlreadyReviewed", {
  alertId: AlertId
}) {}

/** The alert has no open flag to dismiss or uphold. */
export class NoOpenFlags extends Schema.TaggedError<NoOpenFlags>()("NoOpenFlags", {
  alertId: AlertId
}) {}

/**
 * A référent may hide an alert pending review only on a flag from another member: their own flag
 * alone is not enough (a moderator will look at it).
 */
export class OwnFlagOnly extends Schema.TaggedError<OwnFlagOnly>()("OwnFlagOnly", {
  alertId: AlertId
}) {}

/** The alert is not hidden pending a moderator's decision (no référent hid it, or it was decided). */
export class NotPendingHide extends Schema.TaggedError<NotPendingHide>()("NotPendingHide", {
  alertId: AlertId
}) {}

/** The reason `other` needs a free text saying what the reason is. */
export class ReasonDetailsRequired extends Schema.TaggedError<ReasonDetailsRequired>()("ReasonDetailsRequired", {
  reason: HideReason
}) {}

/** The account status change asked for is not allowed (e.g. suspending a suspended account). */
export class InvalidAccountTransition extends Schema.TaggedError<InvalidAccountTransition>()(
  "InvalidAccountTransition",
  { accountId: AccountId, from: AccountStatus, to: AccountStatus }
) {}

/** The account has no membership in this community (nothing to ban or to restore). */
export class CommunityMemberNotFound extends Schema.TaggedError<CommunityMemberNotFound>()("CommunityMemberNotFound", {
  accountId: AccountId,
  communityId: CommunityId
}) {}
