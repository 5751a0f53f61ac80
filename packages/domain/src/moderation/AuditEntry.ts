import { Option, Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { AlertId } from "../alerts/Alert.js"
import { CommunityId } from "../communities/Community.js"
import { BoundedText } from "../shared/Text.js"
import { HideReason } from "./HideReason.js"
import { ModerationNote, PersonRef } from "./ModeratedAlert.js"

export const AuditEntryId = Schema.UUID.pipe(Schema.brand("AuditEntryId"))
export type AuditEntryId = typeof AuditEntryId.Type

/**
 * What a moderator or référent did. Each moderation action writes exactly one audit row, in the
 * same transaction as the change it records.
 */
export const AuditAction = Schema.Literal(
  "approve",
  "mark_reviewed",
  "hide",
  "hide_pending",
  "confirm_hide",
  "restore",
  "dismiss_flags",
  "warn",
  "suspend",
  "lift_suspension",
  "ban",
  "lift_ban",
  "appeal_restore",
  "appeal_uphold",
  "read_reported_message",
  "close_message_report"
)
export type AuditAction = typeof AuditAction.Type

/**
 * What an action was done to (a Gazette post or comment: its own moderation and the appeal against
 * its hiding).
 */
export const AuditTargetKind = Schema.Literal(
  "alert",
  "account",
  "membership",
  "appeal",
  "gazette_post",
  "gazette_comment",
  "message_report"
)
export type AuditTargetKind = typeof AuditTargetKind.Type

/** A JSON snapshot of the target before or after the action (the row's moderation-relevant fields). */
export const AuditSnapshot = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type AuditSnapshot = typeof AuditSnapshot.Type

/**
 * One row of the audit log: who (`actor`, in which role), what (`action` on `targetKind`/`targetId`),
 * when (`at`), why (`reason` code and/or `note`), and the target `before` and `after`. Rows are
 * never updated or deleted.
 */
export class AuditEntry extends Schema.Class<AuditEntry>("AuditEntry")({
  id: AuditEntryId,
  at: Schema.DateTimeUtc,
  actor: PersonRef,
  actorRole: Schema.Literal("moderator", "referent"),
  action: AuditAction,
  targetKind: AuditTargetKind,
  targetId: Schema.UUID,
  reason: Schema.OptionFromNullOr(HideReason),
  note: Schema.OptionFromNullOr(ModerationNote),
  before: Schema.OptionFromNullOr(AuditSnapshot),
  after: Schema.OptionFromNullOr(AuditSnapshot),
  /**
   * Whom and what the action concerns besides its target: the alert (also for an appeal's decision),
   * the account, the community (of a ban). They let the log link to the alert and lift a suspension
   * or a ban from its entry.
   */
  alertId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  ),
  accountId: Schema.optionalWith(AccountId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  ),
  communityId: Schema.optionalWith(CommunityId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}

/** Filters of an audit search; every one optional, all of them combined with AND. */
export const AuditQuery = Schema.Struct({
  /** Words searched in the note, the reason code and the target's text (case-insensitive). */
  text: Schema.optionalWith(BoundedText(200), { as: "Option", nullable: true }),
  actorId: Schema.optionalWith(AccountId, { as: "Option", nullable: true }),
  action: Schema.optionalWith(AuditAction, { as: "Option", nullable: true }),
  targetKind: Schema.optionalWith(AuditTargetKind, { as: "Option", nullable: true }),
  targetId: Schema.optionalWith(Schema.UUID, { as: "Option", nullable: true }),
  /** Inclusive lower bound of `at`. */
  from: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }),
  /** Exclusive upper bound of `at`. */
  to: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true })
})
export type AuditQuery = typeof AuditQuery.Type

/** One page of the audit log, newest first; pass `nextBefore`/`nextBeforeId` back to get the next. */
export class AuditPage extends Schema.Class<AuditPage>("AuditPage")({
  entries: Schema.Array(AuditEntry),
  nextBefore: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  nextBeforeId: Schema.optionalWith(AuditEntryId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}
