import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId, AccountStatus } from "../accounts/Account.js"
import type { Alert, AlertId, AlertStatus } from "../alerts/Alert.js"
import type { CommunityId } from "../communities/Community.js"
import type { AlertHoldReason } from "../trust/TrustPolicy.js"
import type { AuditAction, AuditEntry, AuditEntryId, AuditQuery, AuditSnapshot, AuditTargetKind } from "./AuditEntry.js"
import type { FlagReason, HideReason } from "./HideReason.js"
import type {
  AlertPlaceRef,
  AppealId,
  AppealStatus,
  AppealView,
  FlagStatus,
  FlagView,
  HiddenInfo,
  PersonRef,
  QueueCounts,
  QueueItemKind
} from "./ModeratedAlert.js"
import type { AlreadyAppealed, AlreadyFlagged } from "./ModerationErrors.js"

/** An alert with its moderation columns, as the repository stores them. */
export interface AlertModerationRecord {
  readonly alert: Alert
  readonly place: AlertPlaceRef
  readonly author: PersonRef
  readonly holdReasons: ReadonlyArray<AlertHoldReason>
  readonly firstPublishedAt: Option.Option<DateTime.Utc>
  readonly reviewedAt: Option.Option<DateTime.Utc>
  readonly reviewedBy: Option.Option<PersonRef>
  readonly hidden: Option.Option<HiddenInfo>
  /** The status a restore returns to (set while hidden). */
  readonly hiddenFrom: Option.Option<AlertStatus>
  readonly openFlags: number
}

/** An account's record, before its age is computed against the clock. */
export interface AuthorRecord {
  readonly author: PersonRef
  readonly accountStatus: AccountStatus
  readonly accountCreatedAt: DateTime.Utc
  readonly alertsPosted: number
  readonly alertsHeld: number
  readonly alertsHidden: number
  readonly warnings: number
  readonly suspensions: number
}

/** One entry of the queue, in queue order: which section, which alert, since when, and the appeal. */
export interface QueueEntry {
  readonly kind: QueueItemKind
  readonly alertId: AlertId
  readonly since: DateTime.Utc
  readonly appealId: Option.Option<AppealId>
}

/** An appeal with the ids the use case checks (its author, who hid the alert). */
export interface AppealRecord {
  readonly view: AppealView
  readonly authorId: AccountId
  readonly hiddenById: Option.Option<AccountId>
}

/** The hiding to record on an alert. */
export interface Hiding {
  readonly reason: HideReason
  readonly details: Option.Option<string>
  readonly by: AccountId
  readonly role: "moderator" | "referent"
  readonly from: AlertStatus
  readonly pending: boolean
}

/** An audit row to write; the repository adds its id and the actor's name. */
export interface NewAuditEntry {
  readonly at: DateTime.Utc
  readonly actorId: AccountId
  readonly actorRole: "moderator" | "referent"
  readonly action: AuditAction
  readonly targetKind: AuditTargetKind
  readonly targetId: string
  readonly alertId: Option.Option<AlertId>
  readonly accountId: Option.Option<AccountId>
  readonly communityId: Option.Option<CommunityId>
  readonly reason: Option.Option<HideReason>
  readonly note: Option.Option<string>
  readonly before: Option.Option<AuditSnapshot>
  readonly after: Option.Option<AuditSnapshot>
}

/**
 * Persistence of moderation: the alerts' moderation state, the queue, flags, appeals and the audit
 * log (account and membership status move through their own repositories, notices through Notices).
 * Every write is meant to run inside the use case's transaction (Transactor), next to the AlertRepo
 * move and the audit row it goes with.
 */
export class ModerationRepo extends Context.Tag("@vigie/domain/ModerationRepo")<
  ModerationRepo,
  {
    /** The queue's entries in queue order (held, unreviewed, flagged, appeal), optionally one section. */
    readonly queue: (options: {
      readonly kind: Option.Option<QueueItemKind>
      readonly offset: number
      readonly limit: number
    }) => Effect.Effect<ReadonlyArray<QueueEntry>>
    readonly queueCounts: Effect.Effect<QueueCounts>
    /** The moderation records of these alerts (missing ids are left out). */
    readonly alerts: (ids: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<AlertModerationRecord>>
    readonly authors: (ids: ReadonlyArray<AccountId>) => Effect.Effect<ReadonlyArray<AuthorRecord>>
    /** The flags of these alerts, oldest first; only open ones when `openOnly`. */
    readonly flagsOf: (alertIds: ReadonlyArray<AlertId>, openOnly: boolean) => Effect.Effect<ReadonlyArray<FlagView>>
    /** Alerts with flags, oldest first flag first, in these communities (every one when none). */
    readonly flaggedAlerts: (options: {
      readonly communityIds: Option.Option<ReadonlyArray<CommunityId>>
      readonly openOnly: boolean
      readonly offset: number
      readonly limit: number
    }) => Effect.Effect<ReadonlyArray<{ readonly alertId: AlertId; readonly firstFlaggedAt: DateTime.Utc }>>
    readonly insertFlag: (flag: {
      readonly alertId: AlertId
      readonly communityId: Option.Option<CommunityId>
      readonly flaggedBy: AccountId
      readonly reason: FlagReason
      readonly text: Option.Option<string>
      readonly at: DateTime.Utc
    }) => Effect.Effect<FlagView, AlreadyFlagged>
    /** Closes every open flag of the alert; returns how many. */
    readonly closeFlags: (alertId: AlertId, status: Exclude<FlagStatus, "open">, by: AccountId, at: DateTime.Utc) => Effect.Effect<number>
    /** Marks the alert reviewed unless it already is; false when it was. */
    readonly markReviewed: (alertId: AlertId, by: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly setHidden: (alertId: AlertId, hiding: Hiding, at: DateTime.Utc) => Effect.Effect<void>
    /** A référent's pending hiding confirmed by a moderator; false when it was not pending. */
    readonly confirmHidden: (alertId: AlertId) => Effect.Effect<boolean>
    readonly clearHidden: (alertId: AlertId) => Effect.Effect<void>
    readonly appealsOf: (alertIds: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<AppealView>>
    readonly appeal: (id: AppealId) => Effect.Effect<Option.Option<AppealRecord>>
    readonly insertAppeal: (appeal: {
      readonly alertId: AlertId
      readonly authorId: AccountId
      readonly text: string
      readonly hiddenBy: Option.Option<AccountId>
      readonly at: DateTime.Utc
    }) => Effect.Effect<AppealView, AlreadyAppealed>
    /** Decides a pending appeal; false when it was no longer pending. */
    readonly decideAppeal: (
      id: AppealId,
      decision: { readonly status: Exclude<AppealStatus, "pending">; readonly by: AccountId; readonly reason: string; readonly at: DateTime.Utc }
    ) => Effect.Effect<boolean>
    readonly audit: (entry: NewAuditEntry) => Effect.Effect<AuditEntry>
    /** Audit rows matching the query, newest first by (at, id), strictly after the cursor. */
    readonly searchAudit: (
      query: AuditQuery,
      before: Option.Option<{ readonly at: DateTime.Utc; readonly id: Option.Option<AuditEntryId> }>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<AuditEntry>>
    /** The audit rows about one alert (its own and its appeals'), newest first. */
    readonly auditOf: (alertId: AlertId) => Effect.Effect<ReadonlyArray<AuditEntry>>
  }
>() {}
