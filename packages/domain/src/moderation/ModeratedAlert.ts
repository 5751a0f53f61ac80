import { Schema } from "effect"
import { AccountId, AccountStatus } from "../accounts/Account.js"
import { Alert, AlertId } from "../alerts/Alert.js"
import { AlertView } from "../alerts/AlertView.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { BoundedText, PersonName } from "../shared/Text.js"
import { FlagReason, HideReason } from "./HideReason.js"
import { AlertFlaggedSpan } from "../trust/SensitiveDescriptors.js"
import { AlertHoldReason } from "../trust/TrustPolicy.js"

/** A moderator's or référent's free text: why they act, in their words. */
export const ModerationNote = BoundedText(1000).annotations({ identifier: "ModerationNote" })
/** What a member adds to a flag. */
export const FlagText = BoundedText(500).annotations({ identifier: "FlagText" })
/** What an author says when appealing a hiding. */
export const AppealText = BoundedText(1000).annotations({ identifier: "AppealText" })

export const AppealId = Schema.UUID.pipe(Schema.brand("AppealId"))
export type AppealId = typeof AppealId.Type
export const FlagId = Schema.UUID.pipe(Schema.brand("FlagId"))
export type FlagId = typeof FlagId.Type

/** Someone named on the console: their account and name. */
export class PersonRef extends Schema.Class<PersonRef>("PersonRef")({
  accountId: AccountId,
  firstName: PersonName,
  lastName: PersonName
}) {}

/**
 * What a moderator needs to judge an author: their account's age and status, and their record
 * (alerts posted, of which held and hidden; warnings and suspensions received).
 */
export class AuthorHistory extends Schema.Class<AuthorHistory>("AuthorHistory")({
  author: PersonRef,
  accountStatus: AccountStatus,
  accountCreatedAt: Schema.DateTimeUtc,
  accountAgeDays: Schema.NonNegativeInt,
  alertsPosted: Schema.NonNegativeInt,
  alertsHeld: Schema.NonNegativeInt,
  alertsHidden: Schema.NonNegativeInt,
  warnings: Schema.NonNegativeInt,
  suspensions: Schema.NonNegativeInt
}) {}

/**
 * Why and by whom an alert is hidden. `pendingReview`: a référent hid it and a moderator has not
 * decided yet (confirm or restore). `byRole` says which.
 */
export class HiddenInfo extends Schema.Class<HiddenInfo>("HiddenInfo")({
  reason: HideReason,
  details: Schema.OptionFromNullOr(ModerationNote),
  by: PersonRef,
  byRole: Schema.Literal("moderator", "referent"),
  at: Schema.DateTimeUtc,
  pendingReview: Schema.Boolean
}) {}

/** Where an alert was posted: its community (absent for a commune-wide town alert) and its commune. */
export class AlertPlaceRef extends Schema.Class<AlertPlaceRef>("AlertPlaceRef")({
  communityId: Schema.OptionFromNullOr(CommunityId),
  communityName: Schema.OptionFromNullOr(Schema.String),
  insee: InseeCode,
  communeName: Schema.String
}) {}

/**
 * An alert as moderators see it: the alert, where, its author and their history, the trust
 * policy's hold reasons, the spans of its text that trip the sensitive-descriptor check (recomputed
 * when read, so an improved check applies to old alerts too), whether and when it was reviewed, and
 * why it is hidden.
 */
export class ModeratedAlert extends Schema.Class<ModeratedAlert>("ModeratedAlert")({
  alert: Alert,
  place: AlertPlaceRef,
  author: AuthorHistory,
  holdReasons: Schema.Array(AlertHoldReason),
  flaggedSpans: Schema.Array(AlertFlaggedSpan),
  reviewedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  reviewedBy: Schema.OptionFromNullOr(PersonRef),
  hidden: Schema.OptionFromNullOr(HiddenInfo),
  openFlags: Schema.NonNegativeInt
}) {}

/** open → dismissed (nothing wrong) | upheld (the alert was hidden). */
export const FlagStatus = Schema.Literal("open", "dismissed", "upheld")
export type FlagStatus = typeof FlagStatus.Type

/**
 * A member's flag on an alert. `flaggedBy` is shown to moderators only; référents see the reason,
 * not who flagged (neighbours know each other).
 */
export class FlagView extends Schema.Class<FlagView>("FlagView")({
  id: FlagId,
  alertId: AlertId,
  flaggedBy: Schema.OptionFromNullOr(PersonRef),
  reason: FlagReason,
  text: Schema.OptionFromNullOr(FlagText),
  createdAt: Schema.DateTimeUtc,
  status: FlagStatus,
  closedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc)
}) {}

/** pending → restored (the alert is published again) | upheld (it stays hidden). */
export const AppealStatus = Schema.Literal("pending", "restored", "upheld")
export type AppealStatus = typeof AppealStatus.Type

/** An author's appeal of a hiding, as moderators see it. `hiddenBy` may not decide it. */
export class AppealView extends Schema.Class<AppealView>("AppealView")({
  id: AppealId,
  alertId: AlertId,
  author: PersonRef,
  text: AppealText,
  createdAt: Schema.DateTimeUtc,
  status: AppealStatus,
  hiddenBy: Schema.OptionFromNullOr(PersonRef),
  decidedBy: Schema.OptionFromNullOr(PersonRef),
  decidedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  decisionReason: Schema.OptionFromNullOr(ModerationNote)
}) {}

/** The sections of the moderators' queue, in the order the queue shows them. */
export const QueueItemKind = Schema.Literal("held", "unreviewed", "flagged", "appeal")
export type QueueItemKind = typeof QueueItemKind.Type

/**
 * One item of the moderators' queue. `waitingSince` is when it entered the queue (posted, first
 * open flag, appeal made) and `waitingSeconds` how long ago that was when the page was read.
 * `flags` are the alert's open flags; `appeal` is set for an appeal item. `actionable` is false
 * when the caller may not act on it (an appeal of a hiding the caller made).
 */
export class ModerationQueueItem extends Schema.Class<ModerationQueueItem>("ModerationQueueItem")({
  kind: QueueItemKind,
  alert: ModeratedAlert,
  waitingSince: Schema.DateTimeUtc,
  waitingSeconds: Schema.NonNegativeInt,
  flags: Schema.Array(FlagView),
  appeal: Schema.OptionFromNullOr(AppealView),
  actionable: Schema.Boolean
}) {}

/** How many items wait in each section of the queue (for the console's tabs). */
export class QueueCounts extends Schema.Class<QueueCounts>("QueueCounts")({
  held: Schema.NonNegativeInt,
  unreviewed: Schema.NonNegativeInt,
  flagged: Schema.NonNegativeInt,
  appeal: Schema.NonNegativeInt
}) {}

/**
 * One page of the queue. `nextOffset` is the offset of the following page (absent on the last
 * page). The queue moves while moderators work: a page read later may repeat or skip an item that
 * others acted on meanwhile, never one that still waits at the same place.
 */
export class ModerationQueuePage extends Schema.Class<ModerationQueuePage>("ModerationQueuePage")({
  items: Schema.Array(ModerationQueueItem),
  counts: QueueCounts,
  nextOffset: Schema.OptionFromNullOr(Schema.NonNegativeInt)
}) {}

/** What an author is told of a held alert's review: a delay in minutes and a French phrase ("sous 2 heures"). */
export class ExpectedReview extends Schema.Class<ExpectedReview>("ExpectedReview")({
  minutes: Schema.NonNegativeInt,
  text: Schema.String
}) {}

/** The author's view of a hiding: the reason, never who hid it. */
export class MyHiding extends Schema.Class<MyHiding>("MyHiding")({
  reason: HideReason,
  details: Schema.OptionFromNullOr(ModerationNote),
  at: Schema.DateTimeUtc,
  pendingReview: Schema.Boolean
}) {}

/**
 * An alert with flags, as a référent or a moderator sees it on the flags screen: the alert as members
 * receive it (AlertView: the author's display name, no account id), and `hidden` whether it is
 * hidden already (e.g. pending a moderator's decision after a référent hid it), without who hid it.
 * Référents are members: nothing here names an account (who flagged is in `flags` for moderators only).
 */
export class FlaggedAlert extends Schema.Class<FlaggedAlert>("FlaggedAlert")({
  alert: AlertView,
  place: AlertPlaceRef,
  hidden: Schema.OptionFromNullOr(MyHiding),
  flags: Schema.Array(FlagView),
  firstFlaggedAt: Schema.DateTimeUtc
}) {}

/** One page of flagged alerts, oldest first flag first; `nextOffset` as in the queue. */
export class FlaggedAlertPage extends Schema.Class<FlaggedAlertPage>("FlaggedAlertPage")({
  items: Schema.Array(FlaggedAlert),
  nextOffset: Schema.OptionFromNullOr(Schema.NonNegativeInt)
}) {}

/** The author's view of their appeal: its state and the moderator's reason once decided. */
export class MyAppeal extends Schema.Class<MyAppeal>("MyAppeal")({
  status: AppealStatus,
  text: AppealText,
  createdAt: Schema.DateTimeUtc,
  decidedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  decisionReason: Schema.OptionFromNullOr(ModerationNote)
}) {}

/**
 * The moderation state of an alert as its author (or a moderator) sees it, never other members:
 * why it is held and the expected review delay, when it was approved or reviewed, why it is hidden,
 * whether the author may still appeal, and the appeal's state.
 */
export class AlertModerationState extends Schema.Class<AlertModerationState>("AlertModerationState")({
  alertId: AlertId,
  status: Alert.fields.status,
  holdReasons: Schema.Array(AlertHoldReason),
  expectedReview: Schema.OptionFromNullOr(ExpectedReview),
  approvedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  reviewedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  hidden: Schema.OptionFromNullOr(MyHiding),
  canAppeal: Schema.Boolean,
  appeal: Schema.OptionFromNullOr(MyAppeal)
}) {}
