import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { AlertId } from "@vigie/domain/alerts/Alert"
import { CommunityId } from "@vigie/domain/communities/Community"
import {
  AuditAction,
  AuditEntry,
  AuditEntryId,
  AuditSnapshot,
  AuditTargetKind
} from "@vigie/domain/moderation/AuditEntry"
import { AuditLogRepo } from "@vigie/domain/moderation/AuditLogRepo"
import type { NewAuditEntry } from "@vigie/domain/moderation/AuditLogRepo"
import { HideReason } from "@vigie/domain/moderation/HideReason"
import { PersonName } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { person, Time } from "./PgModerationRows"
import { mapFailures } from "./SqlFailure"

const AuditRow = Schema.Struct({
  id: AuditEntryId,
  at: Time,
  actor_id: AccountId,
  first_name: PersonName,
  last_name: PersonName,
  actor_role: Schema.Literal("moderator", "referent"),
  action: AuditAction,
  target_kind: AuditTargetKind,
  target_id: Schema.UUID,
  reason: Schema.NullOr(HideReason),
  note: Schema.NullOr(Schema.String),
  before: Schema.NullOr(AuditSnapshot),
  after: Schema.NullOr(AuditSnapshot),
  alert_id: Schema.NullOr(AlertId),
  account_id: Schema.NullOr(AccountId),
  community_id: Schema.NullOr(CommunityId)
})

const auditOf = (r: typeof AuditRow.Type) =>
  new AuditEntry({
    id: r.id,
    at: r.at,
    actor: person(r.actor_id, r.first_name, r.last_name),
    actorRole: r.actor_role,
    action: r.action,
    targetKind: r.target_kind,
    targetId: r.target_id,
    reason: Option.fromNullable(r.reason),
    note: Option.fromNullable(r.note),
    before: Option.fromNullable(r.before),
    after: Option.fromNullable(r.after),
    alertId: Option.fromNullable(r.alert_id),
    accountId: Option.fromNullable(r.account_id),
    communityId: Option.fromNullable(r.community_id)
  }, true)

const auditColumns =
  `m.id, m.at, m.actor_id, ac.first_name, ac.last_name, m.actor_role, m.action, m.target_kind, m.target_id,
  m.reason, m.note, m.before, m.after, m.alert_id, m.account_id, m.community_id`

/** `%`, `_` and `\` taken literally in an ILIKE pattern (with the default escape character). */
const likeLiteral = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`)

const date = (t: DateTime.Utc) => DateTime.toDateUtc(t)

interface Search {
  readonly actorId: string | null
  readonly action: string | null
  readonly targetKind: string | null
  readonly targetId: string | null
  readonly from: Date | null
  readonly to: Date | null
  readonly beforeAt: Date | null
  readonly beforeId: string | null
  readonly words: ReadonlyArray<string>
  readonly limit: number
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const insert = SqlSchema.single({
    Request: Schema.Any,
    Result: AuditRow,
    execute: (entry: NewAuditEntry) =>
      sql`
WITH inserted AS (
  INSERT INTO moderation_audit (at, actor_id, actor_role, action, target_kind, target_id, alert_id, account_id, community_id,
    reason, note, before, after)
  VALUES (${
        date(entry.at)
      }, ${entry.actorId}, ${entry.actorRole}, ${entry.action}, ${entry.targetKind}, ${entry.targetId},
    ${Option.getOrNull(entry.alertId)}, ${Option.getOrNull(entry.accountId)}, ${Option.getOrNull(entry.communityId)},
    ${Option.getOrNull(entry.reason)}, ${Option.getOrNull(entry.note)},
    ${Option.getOrNull(Option.map(entry.before, (s) => JSON.stringify(s)))}::jsonb,
    ${Option.getOrNull(Option.map(entry.after, (s) => JSON.stringify(s)))}::jsonb)
  RETURNING *
)
SELECT ${sql.literal(auditColumns)} FROM inserted m JOIN accounts ac ON ac.id = m.actor_id`
  })

  const search = SqlSchema.findAll({
    Request: Schema.Any,
    Result: AuditRow,
    execute: (s: Search) =>
      sql`
SELECT ${sql.literal(auditColumns)}
FROM moderation_audit m
JOIN accounts ac ON ac.id = m.actor_id
LEFT JOIN alerts al ON al.id = m.alert_id
LEFT JOIN accounts tac ON tac.id = m.account_id
WHERE (${s.actorId}::uuid IS NULL OR m.actor_id = ${s.actorId}::uuid)
  AND (${s.action}::text IS NULL OR m.action = ${s.action}::text)
  AND (${s.targetKind}::text IS NULL OR m.target_kind = ${s.targetKind}::text)
  AND (${s.targetId}::uuid IS NULL OR ${s.targetId}::uuid IN (m.target_id, m.alert_id, m.account_id, m.community_id))
  AND (${s.from}::timestamptz IS NULL OR m.at >= ${s.from}::timestamptz)
  AND (${s.to}::timestamptz IS NULL OR m.at < ${s.to}::timestamptz)
  AND (${s.beforeAt}::timestamptz IS NULL OR m.at < ${s.beforeAt}::timestamptz
       OR (${s.beforeId}::uuid IS NOT NULL AND m.at = ${s.beforeAt}::timestamptz AND m.id < ${s.beforeId}::uuid))
  AND NOT EXISTS (
    SELECT 1 FROM unnest(${s.words}::text[]) AS w (word)
    WHERE concat_ws(' ', m.note, m.reason, m.action, ac.first_name, ac.last_name, al.text, tac.first_name, tac.last_name)
      NOT ILIKE '%' || w.word || '%')
ORDER BY m.at DESC, m.id DESC
LIMIT ${s.limit}`
  })

  const ofAlert = SqlSchema.findAll({
    Request: AlertId,
    Result: AuditRow,
    execute: (alertId) =>
      sql`SELECT ${sql.literal(auditColumns)} FROM moderation_audit m JOIN accounts ac ON ac.id = m.actor_id
WHERE m.alert_id = ${alertId} ORDER BY m.at DESC, m.id DESC`
  })

  return AuditLogRepo.of({
    audit: (entry) => insert(entry).pipe(Effect.map(auditOf), mapFailures(), Effect.withSpan("PgAuditLogRepo.audit")),
    searchAudit: (query, before, limit) =>
      search({
        actorId: Option.getOrNull(query.actorId),
        action: Option.getOrNull(query.action),
        targetKind: Option.getOrNull(query.targetKind),
        targetId: Option.getOrNull(query.targetId),
        from: Option.getOrNull(Option.map(query.from, date)),
        to: Option.getOrNull(Option.map(query.to, date)),
        beforeAt: Option.getOrNull(Option.map(before, (b) => date(b.at))),
        beforeId: Option.getOrNull(Option.flatMap(before, (b) => b.id)),
        words: Option.match(query.text, {
          onNone: () => [],
          onSome: (t) => t.split(/\s+/u).filter((w) => w.length > 0).map(likeLiteral)
        }),
        limit
      }).pipe(Effect.map((rows) => rows.map(auditOf)), mapFailures(), Effect.withSpan("PgAuditLogRepo.searchAudit")),
    auditOf: (alertId) =>
      ofAlert(alertId).pipe(
        Effect.map((rows) => rows.map(auditOf)),
        mapFailures(),
        Effect.withSpan("PgAuditLogRepo.auditOf")
      )
  })
})

export const layer = Layer.effect(AuditLogRepo, make)
