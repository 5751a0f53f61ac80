import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { AlertPlace, AlertText, TownCategory, Urgency } from "@vigie/domain/alerts/Alert"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import { AuthorityOrigin, PreviewToken, type StoredPreview } from "@vigie/domain/mairie/TownAlert"
import { TownAlertRepo } from "@vigie/domain/mairie/TownAlertRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { AlertFromRow } from "./PgAlertRepo"
import { mapFailures } from "./SqlFailure"

const PreviewRow = Schema.Struct({
  id: PreviewToken,
  account_id: AccountId,
  insee: InseeCode,
  origin: AuthorityOrigin,
  scope_community_ids: Schema.NullOr(Schema.NonEmptyArray(CommunityId)),
  category: TownCategory,
  urgency: Urgency,
  text: AlertText,
  place: Schema.NullOr(AlertPlace),
  sms_count: Schema.NonNegativeInt,
  email_count: Schema.NonNegativeInt,
  sms_segments: Schema.Int,
  expires_at: Schema.DateFromSelf
})

const toStored = (row: typeof PreviewRow.Type): StoredPreview => ({
  id: row.id,
  accountId: row.account_id,
  origin: row.origin,
  draft: {
    insee: row.insee,
    communityIds: Option.fromNullable(row.scope_community_ids),
    category: row.category,
    urgency: row.urgency,
    text: row.text,
    place: Option.fromNullable(row.place)
  },
  sms: row.sms_count,
  email: row.email_count,
  smsSegments: row.sms_segments,
  expiresAt: row.expires_at
})

/** The first instant of `now`'s month in Europe/Paris, where communes count their budget. */
const monthStart = (now: string) =>
  `(date_trunc('month', ${now}::timestamptz AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris')`

const alertColumns = `id, scope_kind, community_id, insee, scope_community_ids, author_id, origin, category, urgency,
  text, place, shared_with_authorities, status, created_at, closed_at`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const at = (now: DateTime.Utc) => DateTime.toDateUtc(now)

  const BudgetRow = Schema.Struct({ monthly_sms_segments: Schema.NullOr(Schema.Int), used: Schema.Int })
  const budgetOf = (insee: InseeCode, now: DateTime.Utc, lock: boolean) =>
    Effect.gen(function*() {
      if (lock) {
        yield* sql`INSERT INTO commune_budgets (insee) VALUES (${insee}) ON CONFLICT (insee) DO NOTHING`
        yield* sql`SELECT insee FROM commune_budgets WHERE insee = ${insee} FOR UPDATE`
      }
      const rows = yield* sql.unsafe(
        `SELECT (SELECT monthly_sms_segments FROM commune_budgets WHERE insee = $1) AS monthly_sms_segments,
                (coalesce((SELECT sum(billed_segments) FROM town_alerts
                           WHERE insee = $1 AND created_at >= ${monthStart("$2")}), 0)
                 + coalesce((SELECT sum(billed_segments) FROM referent_bulletins
                           WHERE insee = $1 AND created_at >= ${monthStart("$2")}), 0))::int AS used`,
        [insee, at(now)]
      )
      const row = yield* Schema.decodeUnknown(BudgetRow)(rows[0])
      return { monthlySegments: Option.fromNullable(row.monthly_sms_segments), usedSegments: row.used }
    })

  const openPreview = SqlSchema.findOne({
    Request: Schema.Struct({ id: PreviewToken, accountId: AccountId, now: Schema.DateTimeUtcFromDate }),
    Result: PreviewRow,
    execute: ({ accountId, id, now }) =>
      sql`
SELECT id, account_id, insee, origin, scope_community_ids, category, urgency, text, place, sms_count, email_count,
       sms_segments, expires_at
FROM town_alert_previews
WHERE id = ${id} AND account_id = ${accountId} AND confirmed_alert_id IS NULL AND expires_at > ${now}
FOR UPDATE`
  })

  const insertAlert = SqlSchema.single({
    Request: Schema.Any,
    Result: AlertFromRow,
    execute: ({ now, preview }: { readonly preview: StoredPreview; readonly now: Date }) =>
      sql`
INSERT INTO alerts (scope_kind, insee, scope_community_ids, author_id, origin, category, urgency, text, place,
  shared_with_authorities, status, created_at)
VALUES ('commune', ${preview.draft.insee}, ${Option.getOrNull(preview.draft.communityIds)}::uuid[],
  ${preview.accountId}, ${preview.origin}, ${preview.draft.category}, ${preview.draft.urgency}, ${preview.draft.text},
  ${Option.getOrNull(preview.draft.place)}, false, 'published', ${now})
RETURNING ${sql.literal(alertColumns)}`
  })

  return TownAlertRepo.of({
    budget: (insee, now) => budgetOf(insee, now, false).pipe(mapFailures(), Effect.withSpan("PgTownAlerts.budget")),
    lockBudget: (insee, now) =>
      budgetOf(insee, now, true).pipe(mapFailures(), Effect.withSpan("PgTownAlerts.lockBudget")),
    setBudget: (insee, monthlySegments) =>
      sql`
INSERT INTO commune_budgets (insee, monthly_sms_segments, updated_at)
VALUES (${insee}, ${Option.getOrNull(monthlySegments)}, now())
ON CONFLICT (insee) DO UPDATE SET monthly_sms_segments = excluded.monthly_sms_segments, updated_at = now()`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgTownAlerts.setBudget")
      ),
    savePreview: (preview, now) =>
      sql<{ id: PreviewToken }>`
INSERT INTO town_alert_previews (account_id, insee, origin, scope_community_ids, category, urgency, text, place,
  sms_count, email_count, sms_segments, created_at, expires_at)
VALUES (${preview.accountId}, ${preview.draft.insee}, ${preview.origin}, ${
        Option.getOrNull(preview.draft.communityIds)
      }::uuid[],
  ${preview.draft.category}, ${preview.draft.urgency}, ${preview.draft.text}, ${Option.getOrNull(preview.draft.place)},
  ${preview.sms}, ${preview.email}, ${preview.smsSegments}, ${at(now)}, ${preview.expiresAt})
RETURNING id`.pipe(
        Effect.map((rows) => rows[0]!.id),
        mapFailures(),
        Effect.withSpan("PgTownAlerts.savePreview")
      ),
    openPreview: (id, accountId, now) =>
      openPreview({ id, accountId, now }).pipe(
        Effect.map(Option.map(toStored)),
        mapFailures(),
        Effect.withSpan("PgTownAlerts.openPreview")
      ),
    insert: (preview, now) =>
      insertAlert({ preview, now: at(now) }).pipe(mapFailures(), Effect.withSpan("PgTownAlerts.insert")),
    record: (preview, alertId, channels, written, now) =>
      Effect.gen(function*() {
        yield* sql`
INSERT INTO town_alerts (alert_id, insee, preview_id, sms_count, email_count, sms_segments, billed_segments, email_only, created_at)
VALUES (${alertId}, ${preview.draft.insee}, ${preview.id}, ${written.sms}, ${written.email}, ${preview.smsSegments},
  ${written.sms * preview.smsSegments}, ${!channels.includes("sms")}, ${at(now)})`
        yield* sql`UPDATE town_alert_previews SET confirmed_alert_id = ${alertId} WHERE id = ${preview.id}`
      }).pipe(mapFailures(), Effect.withSpan("PgTownAlerts.record"))
  })
})

export const layer = Layer.effect(TownAlertRepo, make)
