import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { AlertId, AlertStatus } from "@vigie/domain/alerts/Alert"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { HideReason } from "@vigie/domain/moderation/HideReason"
import { AlertPlaceRef, HiddenInfo } from "@vigie/domain/moderation/ModeratedAlert"
import { ModeratedAlertRepo } from "@vigie/domain/moderation/ModeratedAlertRepo"
import type { AlertModerationRecord, AuthorRecord, Hiding } from "@vigie/domain/moderation/ModeratedAlertRepo"
import { PersonName } from "@vigie/domain/shared/Text"
import { AlertHoldReason } from "@vigie/domain/trust/TrustPolicy"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import * as EtalabCommunes from "../communes/EtalabCommunes"
import { AlertFromRow } from "./PgAlertRepo"
import { optionalPerson, person, Time } from "./PgModerationRows"
import { mapFailures } from "./SqlFailure"

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

/** One row read twice: as the alert's columns and as its moderation columns. */
const RecordFromRow = Schema.transform(Schema.Record({ key: Schema.String, value: Schema.Unknown }), RecordRow, {
  strict: false,
  decode: (row) => ({ alert: row, moderation: row }),
  encode: (r) => ({ ...r.alert, ...r.moderation })
})

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

const authorOf = (r: typeof AuthorRow.Type): AuthorRecord => ({
  author: person(r.id, r.first_name, r.last_name),
  accountStatus: r.status,
  accountCreatedAt: r.created_at,
  alertsPosted: r.posted,
  alertsHeld: r.held,
  alertsHidden: r.hidden,
  warnings: r.warnings,
  suspensions: r.suspensions
})

const Moved = Schema.Struct({ one: Schema.Number })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /**
   * An alert with its moderation state (`alert_moderation`: none when it has no row), its author's,
   * reviewer's and hider's names, and its open flags.
   */
  const records = SqlSchema.findAll({
    Request: Schema.Array(AlertId),
    Result: RecordFromRow,
    execute: (ids) =>
      sql`
SELECT a.id, a.scope_kind, a.community_id, a.insee, a.scope_community_ids, a.author_id, a.origin, a.category,
       a.urgency, a.text, a.place, a.shared_with_authorities, a.status, a.created_at, a.closed_at, a.followup_of,
       a.hold_reasons, a.first_published_at, m.reviewed_at, m.reviewed_by,
       rb.first_name AS reviewer_first, rb.last_name AS reviewer_last,
       m.hidden_reason, m.hidden_details, m.hidden_by, hb.first_name AS hider_first, hb.last_name AS hider_last,
       m.hidden_by_role, m.hidden_at, m.hidden_from, coalesce(m.hidden_pending, false) AS hidden_pending,
       au.first_name AS author_first, au.last_name AS author_last, co.name AS community_name,
       (SELECT count(*)::int FROM moderation_flags f WHERE f.alert_id = a.id AND f.status = 'open') AS open_flags
FROM alerts a
JOIN accounts au ON au.id = a.author_id
LEFT JOIN communities co ON co.id = a.community_id
LEFT JOIN alert_moderation m ON m.alert_id = a.id
LEFT JOIN accounts rb ON rb.id = m.reviewed_by
LEFT JOIN accounts hb ON hb.id = m.hidden_by
WHERE a.id = ANY (${ids}::uuid[])`
  })

  /** Alerts counted as held: held by the trust policy when posted (approved since or not), or held now. */
  const authors = SqlSchema.findAll({
    Request: Schema.Array(AccountId),
    Result: AuthorRow,
    execute: (ids) =>
      sql`
SELECT ac.id, ac.first_name, ac.last_name, ac.status, ac.created_at,
       (SELECT count(*)::int FROM alerts a WHERE a.author_id = ac.id) AS posted,
       (SELECT count(*)::int FROM alerts a
         WHERE a.author_id = ac.id AND (cardinality(a.hold_reasons) > 0 OR a.status = 'held_for_review')) AS held,
       (SELECT count(*)::int FROM alerts a WHERE a.author_id = ac.id AND a.status = 'hidden') AS hidden,
       (SELECT count(*)::int FROM moderation_audit m WHERE m.account_id = ac.id AND m.action = 'warn') AS warnings,
       (SELECT count(*)::int FROM moderation_audit m WHERE m.account_id = ac.id AND m.action = 'suspend') AS suspensions
FROM accounts ac WHERE ac.id = ANY (${ids}::uuid[])`
  })

  // The writes touch `alert_moderation` only: an upsert creates the alert's row the first time (through a
  // SELECT on the alert, so an unknown alert writes nothing, as the UPDATEs on `alerts` did).

  /** Reviewed once: the first moderator to look at it is kept. */
  const markReviewed = SqlSchema.findAll({
    Request: Schema.Any,
    Result: Moved,
    execute: ({ alertId, at, by }: { readonly alertId: AlertId; readonly by: AccountId; readonly at: Date }) =>
      sql`
INSERT INTO alert_moderation (alert_id, reviewed_at, reviewed_by)
SELECT a.id, ${at}::timestamptz, ${by}::uuid FROM alerts a WHERE a.id = ${alertId}
ON CONFLICT (alert_id) DO UPDATE SET reviewed_at = EXCLUDED.reviewed_at, reviewed_by = EXCLUDED.reviewed_by
WHERE alert_moderation.reviewed_at IS NULL
RETURNING 1 AS one`
  })

  const setHidden = SqlSchema.void({
    Request: Schema.Any,
    execute: ({ alertId, at, hiding }: { readonly alertId: AlertId; readonly hiding: Hiding; readonly at: Date }) =>
      sql`
INSERT INTO alert_moderation
  (alert_id, hidden_reason, hidden_details, hidden_by, hidden_by_role, hidden_at, hidden_from, hidden_pending)
SELECT a.id, ${hiding.reason}::text, ${Option.getOrNull(hiding.details)}::text, ${hiding.by}::uuid,
       ${hiding.role}::text, ${at}::timestamptz, ${hiding.from}::text, ${hiding.pending}::boolean
FROM alerts a WHERE a.id = ${alertId}
ON CONFLICT (alert_id) DO UPDATE
SET hidden_reason = EXCLUDED.hidden_reason, hidden_details = EXCLUDED.hidden_details, hidden_by = EXCLUDED.hidden_by,
    hidden_by_role = EXCLUDED.hidden_by_role, hidden_at = EXCLUDED.hidden_at, hidden_from = EXCLUDED.hidden_from,
    hidden_pending = EXCLUDED.hidden_pending`
  })

  /** Only a pending hiding of an alert still hidden is confirmed, once. */
  const confirmHidden = SqlSchema.findAll({
    Request: AlertId,
    Result: Moved,
    execute: (alertId) =>
      sql`
UPDATE alert_moderation m SET hidden_pending = false FROM alerts a
WHERE m.alert_id = ${alertId} AND a.id = m.alert_id AND a.status = 'hidden' AND m.hidden_pending
RETURNING 1 AS one`
  })

  /** The hiding forgotten on restore (the audit log keeps it); the review stays. */
  const clearHidden = SqlSchema.void({
    Request: AlertId,
    execute: (alertId) =>
      sql`
UPDATE alert_moderation
SET hidden_reason = NULL, hidden_details = NULL, hidden_by = NULL, hidden_by_role = NULL, hidden_at = NULL,
    hidden_from = NULL, hidden_pending = false
WHERE alert_id = ${alertId}`
  })

  return ModeratedAlertRepo.of({
    alerts: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : records(ids)).pipe(
        Effect.map((rows) => rows.map(recordOf)),
        mapFailures(),
        Effect.withSpan("PgModeratedAlertRepo.alerts")
      ),
    authors: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : authors(ids)).pipe(
        Effect.map((rows) => rows.map(authorOf)),
        mapFailures(),
        Effect.withSpan("PgModeratedAlertRepo.authors")
      ),
    markReviewed: (alertId, by, at) =>
      markReviewed({ alertId, by, at: DateTime.toDateUtc(at) }).pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgModeratedAlertRepo.markReviewed")
      ),
    setHidden: (alertId, hiding, at) =>
      setHidden({ alertId, hiding, at: DateTime.toDateUtc(at) }).pipe(
        mapFailures(),
        Effect.withSpan("PgModeratedAlertRepo.setHidden")
      ),
    confirmHidden: (alertId) =>
      confirmHidden(alertId).pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgModeratedAlertRepo.confirmHidden")
      ),
    clearHidden: (alertId) =>
      clearHidden(alertId).pipe(mapFailures(), Effect.withSpan("PgModeratedAlertRepo.clearHidden"))
  })
})

export const layer = Layer.effect(ModeratedAlertRepo, make)
