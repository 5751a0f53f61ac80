import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { AlertId } from "@vigie/domain/alerts/Alert"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { FlagRepo } from "@vigie/domain/moderation/FlagRepo"
import { HideReason } from "@vigie/domain/moderation/HideReason"
import type { FlagReason } from "@vigie/domain/moderation/HideReason"
import { FlagId, FlagStatus, FlagView } from "@vigie/domain/moderation/ModeratedAlert"
import { AlreadyFlagged } from "@vigie/domain/moderation/ModerationErrors"
import { PersonName } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { person, Time } from "./PgModerationRows"
import { mapFailures } from "./SqlFailure"

const FlagRow = Schema.Struct({
  id: FlagId,
  alert_id: AlertId,
  flagged_by: AccountId,
  first_name: PersonName,
  last_name: PersonName,
  reason: HideReason,
  text: Schema.NullOr(Schema.String),
  created_at: Time,
  status: FlagStatus,
  closed_at: Schema.NullOr(Time)
})

const flagOf = (r: typeof FlagRow.Type) =>
  new FlagView({
    id: r.id,
    alertId: r.alert_id,
    flaggedBy: Option.some(person(r.flagged_by, r.first_name, r.last_name)),
    reason: r.reason,
    text: Option.fromNullable(r.text),
    createdAt: r.created_at,
    status: r.status,
    closedAt: Option.fromNullable(r.closed_at)
  }, true)

const FlaggedRow = Schema.Struct({ alert_id: AlertId, first_flagged_at: Time })
const Closed = Schema.Struct({ n: Schema.NonNegativeInt })

interface NewFlag {
  readonly alertId: AlertId
  readonly communityId: CommunityId | null
  readonly flaggedBy: AccountId
  readonly reason: FlagReason
  readonly text: string | null
  readonly at: Date
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const flagsOf = SqlSchema.findAll({
    Request: Schema.Any,
    Result: FlagRow,
    execute: ({ alertIds, openOnly }: { readonly alertIds: ReadonlyArray<AlertId>; readonly openOnly: boolean }) =>
      sql`
SELECT f.id, f.alert_id, f.flagged_by, ac.first_name, ac.last_name, f.reason, f.text, f.created_at, f.status, f.closed_at
FROM moderation_flags f JOIN accounts ac ON ac.id = f.flagged_by
WHERE f.alert_id = ANY (${alertIds}::uuid[]) AND (NOT ${openOnly}::boolean OR f.status = 'open')
ORDER BY f.created_at, f.id`
  })

  const flaggedAlerts = SqlSchema.findAll({
    Request: Schema.Any,
    Result: FlaggedRow,
    execute: ({ communityIds, limit, offset, openOnly }: {
      readonly communityIds: ReadonlyArray<CommunityId> | null
      readonly openOnly: boolean
      readonly offset: number
      readonly limit: number
    }) =>
      sql`
SELECT f.alert_id, min(f.created_at) AS first_flagged_at
FROM moderation_flags f
WHERE f.target_kind = 'alert' AND (NOT ${openOnly}::boolean OR f.status = 'open')
  AND (${communityIds}::uuid[] IS NULL OR f.community_id = ANY (${communityIds}::uuid[]))
GROUP BY f.alert_id
ORDER BY first_flagged_at, f.alert_id
OFFSET ${offset} LIMIT ${limit}`
  })

  const insertFlag = SqlSchema.single({
    Request: Schema.Any,
    Result: FlagRow,
    execute: (flag: NewFlag) =>
      sql`
WITH inserted AS (
  INSERT INTO moderation_flags (target_kind, target_id, alert_id, community_id, flagged_by, reason, text, created_at)
  VALUES ('alert', ${flag.alertId}, ${flag.alertId}, ${flag.communityId}, ${flag.flaggedBy}, ${flag.reason}, ${flag.text},
    ${flag.at})
  RETURNING *
)
SELECT f.id, f.alert_id, f.flagged_by, ac.first_name, ac.last_name, f.reason, f.text, f.created_at, f.status, f.closed_at
FROM inserted f JOIN accounts ac ON ac.id = f.flagged_by`
  })

  const closeFlags = SqlSchema.single({
    Request: Schema.Any,
    Result: Closed,
    execute: ({ alertId, at, by, status }: {
      readonly alertId: AlertId
      readonly status: string
      readonly by: AccountId
      readonly at: Date
    }) =>
      sql`
WITH closed AS (
  UPDATE moderation_flags SET status = ${status}, closed_at = ${at}, closed_by = ${by}
  WHERE alert_id = ${alertId} AND status = 'open'
  RETURNING 1
)
SELECT count(*)::int AS n FROM closed`
  })

  return FlagRepo.of({
    flagsOf: (alertIds, openOnly) =>
      flagsOf({ alertIds, openOnly }).pipe(
        Effect.map((rows) => rows.map(flagOf)),
        mapFailures(),
        Effect.withSpan("PgFlagRepo.flagsOf")
      ),
    flaggedAlerts: ({ communityIds, limit, offset, openOnly }) =>
      flaggedAlerts({ communityIds: Option.getOrNull(communityIds), openOnly, offset, limit }).pipe(
        Effect.map((rows) => rows.map((r) => ({ alertId: r.alert_id, firstFlaggedAt: r.first_flagged_at }))),
        mapFailures(),
        Effect.withSpan("PgFlagRepo.flaggedAlerts")
      ),
    insertFlag: (flag) =>
      insertFlag({
        alertId: flag.alertId,
        communityId: Option.getOrNull(flag.communityId),
        flaggedBy: flag.flaggedBy,
        reason: flag.reason,
        text: Option.getOrNull(flag.text),
        at: DateTime.toDateUtc(flag.at)
      }).pipe(
        Effect.map(flagOf),
        mapFailures({ moderation_flags_once: () => new AlreadyFlagged({ alertId: flag.alertId }) }),
        Effect.withSpan("PgFlagRepo.insertFlag")
      ),
    closeFlags: (alertId, status, by, at) =>
      closeFlags({ alertId, status, by, at: DateTime.toDateUtc(at) }).pipe(
        Effect.map((r) => r.n),
        mapFailures(),
        Effect.withSpan("PgFlagRepo.closeFlags")
      )
  })
})

export const layer = Layer.effect(FlagRepo, make)
