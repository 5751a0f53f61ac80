import { SqlClient } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { AlertId, AlertStatus } from "@vigie/domain/alerts/Alert"
import { CommunityId } from "@vigie/domain/communities/Community"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { AuditAction, AuditEntry, AuditEntryId, AuditSnapshot, AuditTargetKind } from "@vigie/domain/moderation/AuditEntry"
import { HideReason } from "@vigie/domain/moderation/HideReason"
import {
  AlertPlaceRef,
  AppealId,
  AppealStatus,
  AppealView,
  FlagId,
  FlagStatus,
  FlagView,
  HiddenInfo,
  PersonRef,
  QueueCounts,
  QueueItemKind
} from "@vigie/domain/moderation/ModeratedAlert"
import { AlreadyAppealed, AlreadyFlagged } from "@vigie/domain/moderation/ModerationErrors"
import { ModerationRepo } from "@vigie/domain/moderation/ModerationRepo"
import type { AlertModerationRecord, AppealRecord, AuthorRecord, QueueEntry } from "@vigie/domain/moderation/ModerationRepo"
import { PersonName } from "@vigie/domain/shared/Text"
import { AlertHoldReason } from "@vigie/domain/trust/TrustPolicy"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import * as EtalabCommunes from "../communes/EtalabCommunes"
import { AlertFromRow } from "./PgAlertRepo"
import { mapFailures } from "./SqlFailure"

const Time = Schema.DateTimeUtcFromDate
const at = (t: DateTime.Utc) => DateTime.toDateUtc(t)

const person = (id: AccountId, first: string, last: string) =>
  new PersonRef({ accountId: id, firstName: first, lastName: last }, true)

const optionalPerson = (id: AccountId | null, first: string | null, last: string | null): Option.Option<PersonRef> =>
  id === null || first === null || last === null ? Option.none() : Option.some(person(id, first, last))

const communeName = (insee: string): string => EtalabCommunes.findByInsee(insee)?.name ?? insee

const ModerationColumns = Schema.Struct({
  hold_reasons: Schema.Array(AlertHoldReason),
  first_published_at: Schema.NullOr(Time),
  reviewed_at: Schema.NullOr(Time),
  reviewed_by: Schema.NullOr(AccountId),
  reviewer_first: Schema.NullOr(PersonName),
  reviewer_last: Schema.NullOr(PersonName),
  hidden_reason: Schema.NullOr(HideReason),
  hidden_details: Schema.NullOr(Schema.String),
  hidden_by: Schema.NullOr(AccountId),
  hider_first: Schema.NullOr(PersonName),
  hider_last: Schema.NullOr(PersonName),
  hidden_by_role: Schema.NullOr(Schema.Literal("moderator", "referent")),
  hidden_at: Schema.NullOr(Time),
  hidden_from: Schema.NullOr(AlertStatus),
  hidden_pending: Schema.Boolean,
  author_first: PersonName,
  author_last: PersonName,
  insee: InseeCode,
  community_name: Schema.NullOr(Schema.String),
  open_flags: Schema.NonNegativeInt
})
const RecordRow = Schema.Struct({ alert: AlertFromRow, moderation: ModerationColumns })
const decodeRecords = Schema.decodeUnknown(Schema.Array(RecordRow))

const recordOf = ({ alert, moderation: m }: typeof RecordRow.Type): AlertModerationRecord => ({
  alert,
  place: new AlertPlaceRef({
    communityId: alert.scope._tag === "Community" ? Option.some(alert.scope.communityId) : Option.none(),
    communityName: Option.fromNullable(m.community_name),
    insee: alert.scope._tag === "Commune" ? alert.scope.insee : m.insee,
    communeName: communeName(alert.scope._tag === "Commune" ? alert.scope.insee : m.insee)
  }, true),
  author: person(alert.authorId, m.author_first, m.author_last),
  holdReasons: m.hold_reasons,
  firstPublishedAt: Option.fromNullable(m.first_published_at),
  reviewedAt: Option.fromNullable(m.reviewed_at),
  reviewedBy: optionalPerson(m.reviewed_by, m.reviewer_first, m.reviewer_last),
  hidden: m.hidden_reason !== null && m.hidden_by !== null && m.hider_first !== null && m.hider_last !== null &&
      m.hidden_by_role !== null && m.hidden_at !== null
    ? Option.some(
      new HiddenInfo({
        reason: m.hidden_reason,
        details: Option.fromNullable(m.hidden_details),
        by: person(m.hidden_by, m.hider_first, m.hider_last),
        byRole: m.hidden_by_role,
        at: m.hidden_at,
        pendingReview: m.hidden_pending
      }, true)
    )
    : Option.none(),
  hiddenFrom: Option.fromNullable(m.hidden_from),
  openFlags: m.open_flags
})

const alertColumns = `a.id, a.scope_kind, a.community_id, a.insee, a.scope_community_ids, a.author_id, a.origin, a.category,
  a.urgency, a.text, a.place, a.shared_with_authorities, a.status, a.created_at, a.closed_at, a.followup_of`

/** An alert with its moderation columns, its author's, reviewer's and hider's names, and its open flags. */
const selectRecords = `
SELECT ${alertColumns}, a.hold_reasons, a.first_published_at, a.reviewed_at, a.reviewed_by,
       rb.first_name AS reviewer_first, rb.last_name AS reviewer_last,
       a.hidden_reason, a.hidden_details, a.hidden_by, hb.first_name AS hider_first, hb.last_name AS hider_last,
       a.hidden_by_role, a.hidden_at, a.hidden_from, a.hidden_pending,
       au.first_name AS author_first, au.last_name AS author_last, co.name AS community_name,
       (SELECT count(*)::int FROM moderation_flags f WHERE f.alert_id = a.id AND f.status = 'open') AS open_flags
FROM alerts a
JOIN accounts au ON au.id = a.author_id
LEFT JOIN communities co ON co.id = a.community_id
LEFT JOIN accounts rb ON rb.id = a.reviewed_by
LEFT JOIN accounts hb ON hb.id = a.hidden_by
WHERE a.id = ANY ($1::uuid[])`

/**
 * The queue's four sections in one statement, in queue order: held alerts, published residents'
 * alerts nobody reviewed (town alerts are the mairie's and police's own, never reviewed), alerts
 * with open flags (since their first open flag), and pending appeals of alerts still hidden. Each
 * section reads its partial index.
 */
const queueEntries = `
WITH entries AS (
  SELECT 1 AS section, 'held' AS kind, a.id AS alert_id, a.created_at AS since, NULL::uuid AS appeal_id
  FROM alerts a WHERE a.status = 'held_for_review'
  UNION ALL
  SELECT 2, 'unreviewed', a.id, a.created_at, NULL
  FROM alerts a WHERE a.status = 'published' AND a.reviewed_at IS NULL AND a.origin IN ('web', 'sms')
  UNION ALL
  SELECT 3, 'flagged', f.alert_id, min(f.created_at), NULL
  FROM moderation_flags f WHERE f.status = 'open' AND f.target_kind = 'alert'
  GROUP BY f.alert_id
  UNION ALL
  SELECT 4, 'appeal', p.alert_id, p.created_at, p.id
  FROM moderation_appeals p JOIN alerts a ON a.id = p.alert_id
  WHERE p.status = 'pending' AND a.status = 'hidden'
)`

const QueueRow = Schema.Struct({ kind: QueueItemKind, alert_id: AlertId, since: Time, appeal_id: Schema.NullOr(AppealId) })

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
const selectFlags = `
SELECT f.id, f.alert_id, f.flagged_by, ac.first_name, ac.last_name, f.reason, f.text, f.created_at, f.status, f.closed_at
FROM moderation_flags f JOIN accounts ac ON ac.id = f.flagged_by`

const AppealRow = Schema.Struct({
  id: AppealId,
  alert_id: AlertId,
  author_id: AccountId,
  author_first: PersonName,
  author_last: PersonName,
  text: Schema.String,
  created_at: Time,
  status: AppealStatus,
  hidden_by: Schema.NullOr(AccountId),
  hider_first: Schema.NullOr(PersonName),
  hider_last: Schema.NullOr(PersonName),
  decided_by: Schema.NullOr(AccountId),
  decider_first: Schema.NullOr(PersonName),
  decider_last: Schema.NullOr(PersonName),
  decided_at: Schema.NullOr(Time),
  decision_reason: Schema.NullOr(Schema.String)
})
const appealOf = (r: typeof AppealRow.Type): AppealRecord => ({
  view: new AppealView({
    id: r.id,
    alertId: r.alert_id,
    author: person(r.author_id, r.author_first, r.author_last),
    text: r.text,
    createdAt: r.created_at,
    status: r.status,
    hiddenBy: optionalPerson(r.hidden_by, r.hider_first, r.hider_last),
    decidedBy: optionalPerson(r.decided_by, r.decider_first, r.decider_last),
    decidedAt: Option.fromNullable(r.decided_at),
    decisionReason: Option.fromNullable(r.decision_reason)
  }, true),
  authorId: r.author_id,
  hiddenById: Option.fromNullable(r.hidden_by)
})
const selectAppeals = `
SELECT p.id, p.alert_id, p.author_id, au.first_name AS author_first, au.last_name AS author_last, p.text, p.created_at,
       p.status, p.hidden_by, hb.first_name AS hider_first, hb.last_name AS hider_last,
       p.decided_by, db.first_name AS decider_first, db.last_name AS decider_last, p.decided_at, p.decision_reason
FROM moderation_appeals p
JOIN accounts au ON au.id = p.author_id
LEFT JOIN accounts hb ON hb.id = p.hidden_by
LEFT JOIN accounts db ON db.id = p.decided_by`

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
const auditColumns = `m.id, m.at, m.actor_id, ac.first_name, ac.last_name, m.actor_role, m.action, m.target_kind, m.target_id,
  m.reason, m.note, m.before, m.after, m.alert_id, m.account_id, m.community_id`

const AuthorRow = Schema.Struct({
  id: AccountId,
  first_name: PersonName,
  last_name: PersonName,
  status: AccountStatus,
  created_at: Time,
  posted: Schema.NonNegativeInt,
  held: Schema.NonNegativeInt,
  hidden: Schema.NonNegativeInt,
  warnings: Schema.NonNegativeInt,
  suspensions: Schema.NonNegativeInt
})

/** `%`, `_` and `\` taken literally in an ILIKE pattern (with the default escape character). */
const likeLiteral = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const decodeAll = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknown(Schema.Array(schema))

  const records = (ids: ReadonlyArray<AlertId>) =>
    ids.length === 0 ? Effect.succeed([] as ReadonlyArray<AlertModerationRecord>) : sql.unsafe(selectRecords, [ids]).pipe(
      Effect.map((rows) => rows.map((row) => ({ alert: row, moderation: row }))),
      Effect.flatMap(decodeRecords),
      Effect.map((rows) => rows.map(recordOf))
    )

  const appeals = (where: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe(`${selectAppeals} ${where} ORDER BY p.created_at, p.id`, params).pipe(
      Effect.flatMap(decodeAll(AppealRow)),
      Effect.map((rows) => rows.map(appealOf))
    )

  const count = (statement: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe<{ n: number }>(statement, params).pipe(Effect.map((rows) => rows[0]?.n ?? 0))

  return ModerationRepo.of({
    queue: ({ kind, limit, offset }) =>
      sql.unsafe(
        `${queueEntries}
SELECT kind, alert_id, since, appeal_id FROM entries
WHERE $1::text IS NULL OR kind = $1::text
ORDER BY section, since, alert_id
OFFSET $2 LIMIT $3`,
        [Option.getOrNull(kind), offset, limit]
      ).pipe(
        Effect.flatMap(decodeAll(QueueRow)),
        Effect.map((rows) =>
          rows.map((r): QueueEntry => ({ kind: r.kind, alertId: r.alert_id, since: r.since, appealId: Option.fromNullable(r.appeal_id) }))
        ),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.queue")
      ),

    queueCounts: sql.unsafe<{ held: number; unreviewed: number; flagged: number; appeal: number }>(`${queueEntries}
SELECT count(*) FILTER (WHERE kind = 'held')::int AS held, count(*) FILTER (WHERE kind = 'unreviewed')::int AS unreviewed,
       count(*) FILTER (WHERE kind = 'flagged')::int AS flagged, count(*) FILTER (WHERE kind = 'appeal')::int AS appeal
FROM entries`).pipe(
      Effect.map((rows) => new QueueCounts(rows[0] ?? { held: 0, unreviewed: 0, flagged: 0, appeal: 0 })),
      mapFailures(),
      Effect.withSpan("PgModerationRepo.queueCounts")
    ),

    alerts: (ids) => records(ids).pipe(mapFailures(), Effect.withSpan("PgModerationRepo.alerts")),

    authors: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : sql.unsafe(
        `
SELECT ac.id, ac.first_name, ac.last_name, ac.status, ac.created_at,
       (SELECT count(*)::int FROM alerts a WHERE a.author_id = ac.id) AS posted,
       (SELECT count(*)::int FROM alerts a
         WHERE a.author_id = ac.id AND (cardinality(a.hold_reasons) > 0 OR a.status = 'held_for_review')) AS held,
       (SELECT count(*)::int FROM alerts a WHERE a.author_id = ac.id AND a.status = 'hidden') AS hidden,
       (SELECT count(*)::int FROM moderation_audit m WHERE m.account_id = ac.id AND m.action = 'warn') AS warnings,
       (SELECT count(*)::int FROM moderation_audit m WHERE m.account_id = ac.id AND m.action = 'suspend') AS suspensions
FROM accounts ac WHERE ac.id = ANY ($1::uuid[])`,
        [ids]
      ).pipe(Effect.flatMap(decodeAll(AuthorRow)))).pipe(
        Effect.map((rows) =>
          rows.map((r): AuthorRecord => ({
            author: person(r.id, r.first_name, r.last_name),
            accountStatus: r.status,
            accountCreatedAt: r.created_at,
            alertsPosted: r.posted,
            alertsHeld: r.held,
            alertsHidden: r.hidden,
            warnings: r.warnings,
            suspensions: r.suspensions
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.authors")
      ),

    flagsOf: (alertIds, openOnly) =>
      sql.unsafe(`${selectFlags} WHERE f.alert_id = ANY ($1::uuid[]) AND (NOT $2::boolean OR f.status = 'open')
ORDER BY f.created_at, f.id`, [alertIds, openOnly]).pipe(
        Effect.flatMap(decodeAll(FlagRow)),
        Effect.map((rows) => rows.map(flagOf)),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.flagsOf")
      ),

    flaggedAlerts: ({ communityIds, limit, offset, openOnly }) =>
      sql.unsafe(
        `
SELECT f.alert_id, min(f.created_at) AS first_flagged_at
FROM moderation_flags f
WHERE f.target_kind = 'alert' AND (NOT $1::boolean OR f.status = 'open')
  AND ($2::uuid[] IS NULL OR f.community_id = ANY ($2::uuid[]))
GROUP BY f.alert_id
ORDER BY first_flagged_at, f.alert_id
OFFSET $3 LIMIT $4`,
        [openOnly, Option.getOrNull(communityIds), offset, limit]
      ).pipe(
        Effect.flatMap(decodeAll(Schema.Struct({ alert_id: AlertId, first_flagged_at: Time }))),
        Effect.map((rows) => rows.map((r) => ({ alertId: r.alert_id, firstFlaggedAt: r.first_flagged_at }))),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.flaggedAlerts")
      ),

    insertFlag: (flag) =>
      sql.unsafe(
        `
WITH inserted AS (
  INSERT INTO moderation_flags (target_kind, target_id, alert_id, community_id, flagged_by, reason, text, created_at)
  VALUES ('alert', $1, $1, $2, $3, $4, $5, $6)
  RETURNING *
)
SELECT f.id, f.alert_id, f.flagged_by, ac.first_name, ac.last_name, f.reason, f.text, f.created_at, f.status, f.closed_at
FROM inserted f JOIN accounts ac ON ac.id = f.flagged_by`,
        [flag.alertId, Option.getOrNull(flag.communityId), flag.flaggedBy, flag.reason, Option.getOrNull(flag.text), at(flag.at)]
      ).pipe(
        Effect.flatMap(decodeAll(FlagRow)),
        Effect.flatMap((rows) => Effect.fromNullable(rows[0])),
        Effect.map(flagOf),
        mapFailures({ moderation_flags_once: () => new AlreadyFlagged({ alertId: flag.alertId }) }),
        Effect.withSpan("PgModerationRepo.insertFlag")
      ),

    closeFlags: (alertId, status, by, now) =>
      count(
        `
WITH closed AS (
  UPDATE moderation_flags SET status = $2, closed_at = $3, closed_by = $4
  WHERE alert_id = $1 AND status = 'open'
  RETURNING 1
)
SELECT count(*)::int AS n FROM closed`,
        [alertId, status, at(now), by]
      ).pipe(mapFailures(), Effect.withSpan("PgModerationRepo.closeFlags")),

    markReviewed: (alertId, by, now) =>
      count(
        `
WITH marked AS (
  UPDATE alerts SET reviewed_at = $2, reviewed_by = $3 WHERE id = $1 AND reviewed_at IS NULL RETURNING 1
)
SELECT count(*)::int AS n FROM marked`,
        [alertId, at(now), by]
      ).pipe(Effect.map((n) => n > 0), mapFailures(), Effect.withSpan("PgModerationRepo.markReviewed")),

    setHidden: (alertId, hiding, now) =>
      sql`
UPDATE alerts
SET hidden_reason = ${hiding.reason}, hidden_details = ${Option.getOrNull(hiding.details)}, hidden_by = ${hiding.by},
    hidden_by_role = ${hiding.role}, hidden_at = ${at(now)}, hidden_from = ${hiding.from}, hidden_pending = ${hiding.pending}
WHERE id = ${alertId}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgModerationRepo.setHidden")),

    confirmHidden: (alertId) =>
      count(
        `
WITH confirmed AS (
  UPDATE alerts SET hidden_pending = false WHERE id = $1 AND status = 'hidden' AND hidden_pending RETURNING 1
)
SELECT count(*)::int AS n FROM confirmed`,
        [alertId]
      ).pipe(Effect.map((n) => n > 0), mapFailures(), Effect.withSpan("PgModerationRepo.confirmHidden")),

    clearHidden: (alertId) =>
      sql`
UPDATE alerts
SET hidden_reason = NULL, hidden_details = NULL, hidden_by = NULL, hidden_by_role = NULL, hidden_at = NULL,
    hidden_from = NULL, hidden_pending = false
WHERE id = ${alertId}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgModerationRepo.clearHidden")),

    appealsOf: (alertIds) =>
      appeals("WHERE p.alert_id = ANY ($1::uuid[])", [alertIds]).pipe(
        Effect.map((rows) => rows.map((r) => r.view)),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.appealsOf")
      ),

    appeal: (id) =>
      appeals("WHERE p.id = $1", [id]).pipe(
        Effect.map((rows) => Option.fromNullable(rows[0])),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.appeal")
      ),

    insertAppeal: (appeal) =>
      sql.unsafe<{ id: string }>(
        `INSERT INTO moderation_appeals (alert_id, author_id, text, hidden_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [appeal.alertId, appeal.authorId, appeal.text, Option.getOrNull(appeal.hiddenBy), at(appeal.at)]
      ).pipe(
        Effect.flatMap((rows) => appeals("WHERE p.id = $1", [rows[0]?.id])),
        Effect.flatMap((rows) => Effect.fromNullable(rows[0])),
        Effect.map((r) => r.view),
        mapFailures({ moderation_appeals_once: () => new AlreadyAppealed({ alertId: appeal.alertId }) }),
        Effect.withSpan("PgModerationRepo.insertAppeal")
      ),

    decideAppeal: (id, decision) =>
      count(
        `
WITH decided AS (
  UPDATE moderation_appeals SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5
  WHERE id = $1 AND status = 'pending'
  RETURNING 1
)
SELECT count(*)::int AS n FROM decided`,
        [id, decision.status, decision.by, at(decision.at), decision.reason]
      ).pipe(Effect.map((n) => n > 0), mapFailures(), Effect.withSpan("PgModerationRepo.decideAppeal")),

    audit: (entry) =>
      sql.unsafe(
        `
WITH inserted AS (
  INSERT INTO moderation_audit (at, actor_id, actor_role, action, target_kind, target_id, alert_id, account_id, community_id,
    reason, note, before, after)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)
  RETURNING *
)
SELECT ${auditColumns} FROM inserted m JOIN accounts ac ON ac.id = m.actor_id`,
        [
          at(entry.at),
          entry.actorId,
          entry.actorRole,
          entry.action,
          entry.targetKind,
          entry.targetId,
          Option.getOrNull(entry.alertId),
          Option.getOrNull(entry.accountId),
          Option.getOrNull(entry.communityId),
          Option.getOrNull(entry.reason),
          Option.getOrNull(entry.note),
          Option.getOrNull(Option.map(entry.before, (s) => JSON.stringify(s))),
          Option.getOrNull(Option.map(entry.after, (s) => JSON.stringify(s)))
        ]
      ).pipe(
        Effect.flatMap(decodeAll(AuditRow)),
        Effect.flatMap((rows) => Effect.fromNullable(rows[0])),
        Effect.map(auditOf),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.audit")
      ),

    searchAudit: (query, before, limit) => {
      const words = Option.match(query.text, {
        onNone: () => [] as Array<string>,
        onSome: (t) => t.split(/\s+/u).filter((w) => w.length > 0).map(likeLiteral)
      })
      return sql.unsafe(
        `
SELECT ${auditColumns}
FROM moderation_audit m
JOIN accounts ac ON ac.id = m.actor_id
LEFT JOIN alerts al ON al.id = m.alert_id
LEFT JOIN accounts tac ON tac.id = m.account_id
WHERE ($1::uuid IS NULL OR m.actor_id = $1::uuid)
  AND ($2::text IS NULL OR m.action = $2::text)
  AND ($3::text IS NULL OR m.target_kind = $3::text)
  AND ($4::uuid IS NULL OR $4::uuid IN (m.target_id, m.alert_id, m.account_id, m.community_id))
  AND ($5::timestamptz IS NULL OR m.at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR m.at < $6::timestamptz)
  AND ($7::timestamptz IS NULL OR m.at < $7::timestamptz
       OR ($8::uuid IS NOT NULL AND m.at = $7::timestamptz AND m.id < $8::uuid))
  AND NOT EXISTS (
    SELECT 1 FROM unnest($9::text[]) AS w (word)
    WHERE concat_ws(' ', m.note, m.reason, m.action, ac.first_name, ac.last_name, al.text, tac.first_name, tac.last_name)
      NOT ILIKE '%' || w.word || '%')
ORDER BY m.at DESC, m.id DESC
LIMIT $10`,
        [
          Option.getOrNull(query.actorId),
          Option.getOrNull(query.action),
          Option.getOrNull(query.targetKind),
          Option.getOrNull(query.targetId),
          Option.getOrNull(Option.map(query.from, at)),
          Option.getOrNull(Option.map(query.to, at)),
          Option.getOrNull(Option.map(before, (b) => at(b.at))),
          Option.getOrNull(Option.flatMap(before, (b) => b.id)),
          words,
          limit
        ]
      ).pipe(
        Effect.flatMap(decodeAll(AuditRow)),
        Effect.map((rows) => rows.map(auditOf)),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.searchAudit")
      )
    },

    auditOf: (alertId) =>
      sql.unsafe(
        `SELECT ${auditColumns} FROM moderation_audit m JOIN accounts ac ON ac.id = m.actor_id
WHERE m.alert_id = $1 ORDER BY m.at DESC, m.id DESC`,
        [alertId]
      ).pipe(
        Effect.flatMap(decodeAll(AuditRow)),
        Effect.map((rows) => rows.map(auditOf)),
        mapFailures(),
        Effect.withSpan("PgModerationRepo.auditOf")
      )
  })
})

export const layer = Layer.effect(ModerationRepo, make)
