import { Context, Effect, Layer, Option } from "effect"
import type { DateTime } from "effect"
import type { Account } from "../accounts/Account.js"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import type { Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import type { CommunityId } from "../communities/Community.js"
import type { AuditAction, AuditEntry, AuditEntryId, AuditQuery, AuditSnapshot } from "./AuditEntry.js"
import { AuditPage } from "./AuditEntry.js"
import { AuditLogRepo, type NewAuditEntry } from "./AuditLogRepo.js"
import type { HideReason } from "./HideReason.js"
import type { AlertModerationRecord } from "./ModeratedAlertRepo.js"
import { requireModerator } from "./ModeratedAlerts.js"

type Note = Option.Option<string>

/** An alert's moderation state as an audit row keeps it, before and after an action. */
export const alertSnapshot = (rec: AlertModerationRecord): AuditSnapshot => ({
  status: rec.alert.status,
  reviewed: Option.isSome(rec.reviewedAt),
  hiddenReason: Option.getOrNull(Option.map(rec.hidden, (h) => h.reason)),
  hiddenPending: Option.exists(rec.hidden, (h) => h.pendingReview),
  openFlags: rec.openFlags
})

/** The audit row of an action on an alert, from its records before and after. */
export const alertAudit = (
  actor: Account,
  role: "moderator" | "referent",
  action: AuditAction,
  before: AlertModerationRecord,
  after: AlertModerationRecord,
  why: { readonly reason?: HideReason | undefined; readonly note: Note },
  at: DateTime.Utc
): NewAuditEntry => ({
  at,
  actorId: actor.id,
  actorRole: role,
  action,
  targetKind: "alert",
  targetId: before.alert.id,
  alertId: Option.some(before.alert.id),
  accountId: Option.some(before.alert.authorId),
  communityId: before.place.communityId,
  reason: Option.fromNullable(why.reason),
  note: why.note,
  before: Option.some(alertSnapshot(before)),
  after: Option.some(alertSnapshot(after))
})

/** The audit row of a moderator's action on an account (or on one of its memberships). */
export const accountAudit = (
  me: Account,
  action: AuditAction,
  target: Account,
  before: AuditSnapshot,
  after: AuditSnapshot,
  why: {
    readonly reason?: HideReason
    readonly note: Note
    readonly alertId?: AlertId
    readonly communityId?: CommunityId
    readonly membershipId?: string
  },
  at: DateTime.Utc
): NewAuditEntry => ({
  at,
  actorId: me.id,
  actorRole: "moderator",
  action,
  targetKind: why.membershipId === undefined ? "account" : "membership",
  targetId: why.membershipId ?? target.id,
  alertId: Option.fromNullable(why.alertId),
  accountId: Option.some(target.id),
  communityId: Option.fromNullable(why.communityId),
  reason: Option.fromNullable(why.reason),
  note: why.note,
  before: Option.some(before),
  after: Option.some(after)
})

/**
 * The audit log of staff actions: every moderation service records its action here, in its own
 * transaction, and moderators search it.
 */
export class AuditLog extends Context.Tag("@vigie/domain/AuditLog")<
  AuditLog,
  {
    /** Writes one audit row (inside the caller's transaction). */
    readonly record: (entry: NewAuditEntry) => Effect.Effect<AuditEntry>
    readonly searchAudit: (actor: Actor, search: {
      readonly query: AuditQuery
      readonly before: Option.Option<DateTime.Utc>
      readonly beforeId: Option.Option<AuditEntryId>
      readonly limit: number
    }) => Effect.Effect<AuditPage, Unauthenticated | AccountSuspended | Forbidden>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* AuditLogRepo

  const searchAudit: AuditLog["Type"]["searchAudit"] = (actor, search) =>
    Effect.gen(function*() {
      yield* requireModerator(actor, "search_audit_log")
      const rows = yield* repo.searchAudit(
        search.query,
        Option.map(search.before, (at) => ({ at, id: search.beforeId })),
        search.limit + 1
      )
      const shown = rows.slice(0, search.limit)
      const last = shown[shown.length - 1]
      const more = rows.length > search.limit && last !== undefined
      return new AuditPage({
        entries: shown,
        nextBefore: more ? Option.some(last.at) : Option.none(),
        nextBeforeId: more ? Option.some(last.id) : Option.none()
      })
    }).pipe(Effect.withSpan("AuditLog.searchAudit"))

  return AuditLog.of({ record: repo.audit, searchAudit })
})

/** Needs AuditLogRepo. */
export const layer = Layer.effect(AuditLog, make)
