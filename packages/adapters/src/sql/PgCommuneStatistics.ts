import { SqlClient } from "@effect/sql"
import { CommuneStatistics } from "@vigie/domain/mairie/CommuneStatistic"
import { CommuneStatisticsRepo } from "@vigie/domain/mairie/CommuneStatisticsRepo"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const windows = (alias: string) => `
  (count(${alias}.id) FILTER (WHERE ${alias}.created_at > $2::timestamptz - interval '24 hours'))::int AS last24h,
  (count(${alias}.id) FILTER (WHERE ${alias}.created_at > $2::timestamptz - interval '7 days'))::int AS last7d,
  (count(${alias}.id) FILTER (WHERE ${alias}.created_at > $2::timestamptz - interval '30 days'))::int AS last30d`

/** Visible alerts of the last 30 days (residents' and town ones), as counted everywhere below. */
const counted = `a.status IN ('published', 'resolved') AND a.created_at > $2::timestamptz - interval '30 days'
  AND a.created_at <= $2::timestamptz`

const communitiesStatement = `
SELECT c.id AS community_id, c.name,
  (SELECT count(*) FROM memberships m JOIN accounts acc ON acc.id = m.account_id
   WHERE m.community_id = c.id AND m.status = 'verified' AND acc.status = 'active')::int AS verified,
  (SELECT count(*) FROM memberships m WHERE m.community_id = c.id AND m.status = 'pending_verification')::int AS pending,
  ${windows("a")}
FROM communities c
LEFT JOIN alerts a ON ${counted}
  AND ((a.scope_kind = 'community' AND a.community_id = c.id)
       OR (a.scope_kind = 'commune' AND a.insee = c.insee
           AND (a.scope_community_ids IS NULL OR c.id = ANY (a.scope_community_ids))))
WHERE c.insee = $1 AND c.status = 'active'
GROUP BY c.id, c.name
ORDER BY c.name, c.id`

const categoriesStatement = `
SELECT a.category, ${windows("a")}
FROM alerts a
WHERE a.insee = $1 AND ${counted}
GROUP BY a.category
ORDER BY a.category`

const townAlertsStatement = `
SELECT a.id AS alert_id, a.origin, a.category, a.created_at,
  (count(d.id) FILTER (WHERE d.status IN ('pending', 'sending')))::int AS queued,
  (count(d.id) FILTER (WHERE d.status = 'sent'))::int AS sent,
  (count(d.id) FILTER (WHERE d.status = 'delivered'))::int AS delivered,
  (count(d.id) FILTER (WHERE d.status = 'failed'))::int AS failed,
  (count(d.id) FILTER (WHERE d.status = 'dead'))::int AS dead,
  (count(d.id) FILTER (WHERE d.status = 'withheld'))::int AS withheld
FROM alerts a
LEFT JOIN messages msg ON msg.alert_id = a.id AND msg.kind = 'alert'
LEFT JOIN deliveries d ON d.message_id = msg.id
WHERE a.insee = $1 AND a.scope_kind = 'commune' AND a.created_at > $2::timestamptz - interval '30 days'
GROUP BY a.id, a.origin, a.category, a.created_at
ORDER BY a.created_at DESC, a.id DESC
LIMIT 200`

const Windows = { last24h: Schema.Int, last7d: Schema.Int, last30d: Schema.Int }
const CommunityRow = Schema.Struct({ community_id: Schema.String, name: Schema.String, verified: Schema.Int,
  pending: Schema.Int, ...Windows })
const CategoryRow = Schema.Struct({ category: Schema.String, ...Windows })
const TownRow = Schema.Struct({
  alert_id: Schema.String,
  origin: Schema.String,
  category: Schema.String,
  created_at: Schema.DateFromSelf,
  queued: Schema.Int,
  sent: Schema.Int,
  delivered: Schema.Int,
  failed: Schema.Int,
  dead: Schema.Int,
  withheld: Schema.Int
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return CommuneStatisticsRepo.of({
    snapshot: (insee, now) =>
      Effect.gen(function*() {
        const params = [insee, DateTime.toDateUtc(now)]
        const [communities, categories, townAlerts] = yield* Effect.all([
          sql.unsafe(communitiesStatement, params).pipe(
            Effect.flatMap(Schema.decodeUnknown(Schema.Array(CommunityRow)))
          ),
          sql.unsafe(categoriesStatement, params).pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(CategoryRow)))),
          sql.unsafe(townAlertsStatement, params).pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(TownRow))))
        ])
        const windowsOf = (r: { last24h: number; last7d: number; last30d: number }) => ({
          last24h: r.last24h,
          last7d: r.last7d,
          last30d: r.last30d
        })
        return yield* Schema.decodeUnknown(CommuneStatistics)({
          insee,
          generatedAt: DateTime.formatIso(now),
          communities: communities.map((c) => ({
            communityId: c.community_id,
            name: c.name,
            verifiedMembers: c.verified,
            pendingMembers: c.pending,
            alerts: windowsOf(c)
          })),
          categories: categories.map((c) => ({ category: c.category, alerts: windowsOf(c) })),
          townAlerts: townAlerts.map((t) => ({
            alertId: t.alert_id,
            origin: t.origin,
            category: t.category,
            createdAt: t.created_at.toISOString(),
            queued: t.queued,
            sent: t.sent,
            delivered: t.delivered,
            failed: t.failed,
            dead: t.dead,
            withheld: t.withheld
          }))
        })
      }).pipe(mapFailures(), Effect.withSpan("PgCommuneStatistics.snapshot"))
  })
})

export const layer = Layer.effect(CommuneStatisticsRepo, make)
