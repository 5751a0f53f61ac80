import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { AccountNotFound, AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { AlertId } from "../alerts/Alert.js"
import { AlertNotFound, InvalidAlertTransition } from "../alerts/AlertErrors.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { InvalidMembershipTransition } from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AuditEntry, AuditEntryId, AuditPage, AuditQuery } from "./AuditEntry.js"
import { FlagReason, HideReason } from "./HideReason.js"
import { ModerationCase } from "./ModerationCase.js"
import {
  AlertModerationState,
  AppealId,
  AppealText,
  AppealView,
  AuthorHistory,
  FlaggedAlert,
  FlaggedAlertPage,
  FlagText,
  FlagView,
  ModeratedAlert,
  ModerationNote,
  ModerationQueuePage,
  QueueItemKind
} from "./ModeratedAlert.js"
import {
  AlreadyAppealed,
  AlreadyFlagged,
  AlreadyReviewed,
  AppealAlreadyDecided,
  AppealNotFound,
  CommunityMemberNotFound,
  InvalidAccountTransition,
  NoOpenFlags,
  NotAppealable,
  NotPendingHide,
  OwnFlagOnly,
  ReasonDetailsRequired
} from "./ModerationErrors.js"

/** Every caller may fail these: no session, or a suspended account. */
const Caller = [Unauthenticated, AccountSuspended, InvalidRequest] as const

const offsetPaging = {
  offset: Schema.optionalWith(Schema.NonNegativeInt, { as: "Option", nullable: true }),
  limit: Schema.Int.pipe(Schema.between(1, 50))
}

/**
 * The moderators' queue (moderators only), in this order: held alerts (oldest first, with how long
 * each has waited), then published alerts nobody reviewed yet (oldest first), then alerts with open
 * member flags (oldest flag first), then appeals waiting for a decision (oldest first; an appeal of
 * a hiding the caller made is listed with `actionable: false`). `kind` restricts the page to one
 * section. `counts` always covers the whole queue.
 */
export const ListModerationQueue = Rpc.make("ListModerationQueue", {
  payload: Schema.Struct({
    kind: Schema.optionalWith(QueueItemKind, { as: "Option", nullable: true }),
    ...offsetPaging
  }),
  success: ModerationQueuePage,
  error: Schema.Union(...Caller, Forbidden)
})

/** One alert's moderation case (moderators only). */
export const GetModerationCase = Rpc.make("GetModerationCase", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: ModerationCase,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound)
})

/** An account's moderation record: age, status, alerts posted, held, hidden, warnings, suspensions (moderators only). */
export const GetAuthorHistory = Rpc.make("GetAuthorHistory", {
  payload: Schema.Struct({ accountId: AccountId }),
  success: AuthorHistory,
  error: Schema.Union(...Caller, Forbidden, AccountNotFound)
})

/**
 * Approve a held alert (moderators only): it is published and fans out at once, in the same
 * transaction (a held follow-up sends the short follow-up message to the original's recipients
 * instead). It also counts as reviewed. Two moderators approving together: one wins, the other gets
 * InvalidAlertTransition, and the alert is sent once. An SMS author is told by SMS.
 */
export const ApproveAlert = Rpc.make("ApproveAlert", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, InvalidAlertTransition)
})

/** Mark a published alert as reviewed after the fact (moderators only): it leaves the queue, nothing is sent. */
export const MarkAlertReviewed = Rpc.make("MarkAlertReviewed", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, AlreadyReviewed)
})

/**
 * Hide an alert (moderators only), from held, published or resolved, with a reason code and a free
 * text (required for `other`). The author is told the reason (on the alert page, and by SMS for an
 * SMS author); members no longer see it. Recipients of a published alert are sent nothing: a
 * closing message would repeat the hidden content's existence to everyone, and a hidden alert
 * simply leaves their feeds. Its deliveries not sent yet (retries, info alerts waiting for the end
 * of quiet hours) are held back, and go out if it is restored. Open flags on it are upheld; a
 * référent's pending hiding is confirmed with the moderator's reason. Nothing is deleted.
 */
export const HideAlert = Rpc.make("HideAlert", {
  payload: Schema.Struct({
    alertId: AlertId,
    reason: HideReason,
    details: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, InvalidAlertTransition, ReasonDetailsRequired)
})

/**
 * Restore a hidden alert (moderators only): back to published (or to resolved, if it was resolved
 * when hidden); it fans out only if it never did (an alert hidden while held), so nobody gets it
 * twice. Open flags are dismissed and a pending appeal is closed as restored. An SMS author is told
 * by SMS.
 */
export const RestoreAlert = Rpc.make("RestoreAlert", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, InvalidAlertTransition)
})

/**
 * Confirm a référent's pending hiding (moderators only): the alert stays hidden with the référent's
 * reason, its open flags are upheld, and the hiding is no longer pending.
 */
export const ConfirmPendingHide = Rpc.make("ConfirmPendingHide", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, NotPendingHide)
})

/** Dismiss the open flags of an alert (moderators only): nothing wrong with it, it stays as it is. */
export const DismissFlags = Rpc.make("DismissFlags", {
  payload: Schema.Struct({
    alertId: AlertId,
    note: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: ModeratedAlert,
  error: Schema.Union(...Caller, Forbidden, AlertNotFound, NoOpenFlags)
})

/**
 * Warn an account (moderators only): the person receives a message with the reason (by SMS when
 * they have a verified phone, otherwise by e-mail). `alertId` names the alert that motivated it.
 * Returns the audit row.
 */
export const WarnAuthor = Rpc.make("WarnAuthor", {
  payload: Schema.Struct({
    accountId: AccountId,
    alertId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }),
    reason: HideReason,
    details: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: AuditEntry,
  error: Schema.Union(...Caller, Forbidden, AccountNotFound, AlertNotFound, ReasonDetailsRequired)
})

/**
 * Suspend an account (moderators only): it may no longer log in to act, post, or receive alerts.
 * Staff accounts cannot be suspended here. Returns the audit row.
 */
export const SuspendAccount = Rpc.make("SuspendAccount", {
  payload: Schema.Struct({ accountId: AccountId, note: ModerationNote }),
  success: AuditEntry,
  error: Schema.Union(...Caller, Forbidden, AccountNotFound, InvalidAccountTransition)
})

/** Lift an account's suspension (moderators only): active again. Returns the audit row. */
export const LiftSuspension = Rpc.make("LiftSuspension", {
  payload: Schema.Struct({ accountId: AccountId, note: ModerationNote }),
  success: AuditEntry,
  error: Schema.Union(...Caller, Forbidden, AccountNotFound, InvalidAccountTransition)
})

/**
 * Ban an account from one community (moderators only): the membership becomes banned; the person
 * no longer reads, posts or receives anything there. Returns the audit row.
 */
export const BanFromCommunity = Rpc.make("BanFromCommunity", {
  payload: Schema.Struct({ accountId: AccountId, communityId: CommunityId, note: ModerationNote }),
  success: AuditEntry,
  error: Schema.Union(
    ...Caller,
    Forbidden,
    AccountNotFound,
    CommunityNotFound,
    CommunityMemberNotFound,
    InvalidMembershipTransition
  )
})

/** Lift a community ban (moderators only): the membership is verified again. Returns the audit row. */
export const LiftBan = Rpc.make("LiftBan", {
  payload: Schema.Struct({ accountId: AccountId, communityId: CommunityId, note: ModerationNote }),
  success: AuditEntry,
  error: Schema.Union(
    ...Caller,
    Forbidden,
    AccountNotFound,
    CommunityNotFound,
    CommunityMemberNotFound,
    InvalidMembershipTransition
  )
})

/**
 * Search the audit log (moderators only), newest first. Page with the previous page's `nextBefore`
 * and `nextBeforeId` as `before` and `beforeId`.
 */
export const SearchAuditLog = Rpc.make("SearchAuditLog", {
  payload: Schema.Struct({
    query: AuditQuery,
    before: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }),
    beforeId: Schema.optionalWith(AuditEntryId, { as: "Option", nullable: true }),
    limit: Schema.Int.pipe(Schema.between(1, 100))
  }),
  success: AuditPage,
  error: Schema.Union(...Caller, Forbidden)
})

/**
 * Flag an alert I may read (any verified member of its community, moderators too), once, with a
 * reason and an optional text. Flags are typed by target kind in storage so Gazette posts can be
 * flagged the same way later; only alerts exist today.
 */
export const FlagAlert = Rpc.make("FlagAlert", {
  payload: Schema.Struct({
    alertId: AlertId,
    reason: FlagReason,
    text: Schema.optionalWith(FlagText, { as: "Option", nullable: true })
  }),
  success: FlagView,
  error: Schema.Union(...Caller, AlertNotFound, AlreadyFlagged)
})

/**
 * Flagged alerts: a référent sees those of the communities they are référent of, a moderator those
 * of every community (`communityId` narrows it). `status` `open` (default) lists alerts with open
 * flags; `all` includes closed ones. Oldest first flag first. Anyone else: Forbidden.
 */
export const ListFlags = Rpc.make("ListFlags", {
  payload: Schema.Struct({
    communityId: Schema.optionalWith(CommunityId, { as: "Option", nullable: true }),
    status: Schema.optionalWith(Schema.Literal("open", "all"), { as: "Option", nullable: true }),
    ...offsetPaging
  }),
  success: FlaggedAlertPage,
  error: Schema.Union(...Caller, Forbidden, CommunityNotFound)
})

/**
 * Hide a flagged alert (one with open flags) pending a moderator's decision (a référent of the
 * alert's community, or a moderator): members no longer see it, the author is told the reason, and a moderator then
 * confirms (ConfirmPendingHide) or restores (RestoreAlert). Audited. A référent needs a flag from
 * another member: on their own flag alone, OwnFlagOnly.
 */
export const HideAlertPendingReview = Rpc.make("HideAlertPendingReview", {
  payload: Schema.Struct({
    alertId: AlertId,
    reason: HideReason,
    details: Schema.optionalWith(ModerationNote, { as: "Option", nullable: true })
  }),
  success: FlaggedAlert,
  error: Schema.Union(
    ...Caller,
    Forbidden,
    AlertNotFound,
    InvalidAlertTransition,
    ReasonDetailsRequired,
    NoOpenFlags,
    OwnFlagOnly
  )
})

/**
 * Appeal the hiding of my alert, once, with a text. It goes to the moderators' queue; a moderator
 * other than the one who hid the alert decides it.
 */
export const AppealHiding = Rpc.make("AppealHiding", {
  payload: Schema.Struct({ alertId: AlertId, text: AppealText }),
  success: AlertModerationState,
  error: Schema.Union(...Caller, AlertNotFound, Forbidden, NotAppealable, AlreadyAppealed)
})

/**
 * Decide an appeal (moderators only, never the one who hid the alert: Forbidden). `restore`
 * publishes the alert again (it fans out only if it never did); `uphold` keeps it hidden. The
 * reason is shown to the author. Audited.
 */
export const DecideAppeal = Rpc.make("DecideAppeal", {
  payload: Schema.Struct({
    appealId: AppealId,
    decision: Schema.Literal("restore", "uphold"),
    reason: ModerationNote
  }),
  success: AppealView,
  error: Schema.Union(...Caller, Forbidden, AppealNotFound, AppealAlreadyDecided, InvalidAlertTransition)
})

/**
 * The moderation state of one of my alerts (or of any alert, for a moderator): why it is held and
 * the expected review delay, whether it was approved or reviewed, why it is hidden, and the appeal.
 * Another member gets AlertNotFound: these facts are the author's.
 */
export const GetMyAlertModeration = Rpc.make("GetMyAlertModeration", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: AlertModerationState,
  error: Schema.Union(...Caller, AlertNotFound)
})

/** Moderation: the moderators' console, members' flags, référents' first-line hiding, authors' appeals. */
export class ModerationRpcs extends RpcGroup.make(
  ListModerationQueue,
  GetModerationCase,
  GetAuthorHistory,
  ApproveAlert,
  MarkAlertReviewed,
  HideAlert,
  RestoreAlert,
  ConfirmPendingHide,
  DismissFlags,
  WarnAuthor,
  SuspendAccount,
  LiftSuspension,
  BanFromCommunity,
  LiftBan,
  SearchAuditLog,
  FlagAlert,
  ListFlags,
  HideAlertPendingReview,
  AppealHiding,
  DecideAppeal,
  GetMyAlertModeration
).middleware(Authentication) {}
