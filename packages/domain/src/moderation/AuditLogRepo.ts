import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import type { CommunityId } from "../communities/Community.js"
import type { AuditAction, AuditEntry, AuditEntryId, AuditQuery, AuditSnapshot, AuditTargetKind } from "./AuditEntry.js"
import type { HideReason } from "./HideReason.js"

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

/** Persistence of the audit log of staff actions: rows are only ever added (the database refuses changes). */
export class AuditLogRepo extends Context.Tag("@vigie/domain/AuditLogRepo")<
  AuditLogRepo,
  {
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
