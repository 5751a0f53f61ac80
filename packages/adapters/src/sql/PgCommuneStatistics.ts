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

/**
 * Members are counted once per statement, grouped by quartier, not by two subqueries per quartier
 * (500 quartiers of 100 members: 47,500 account look-ups and 500 scans of memberships). A verified
 * member counts while their account is active: the few accounts that are not (the partial index
 * accounts_not_active, migration 0028) are read once, hashed, and left out.
 */
const communitiesStatement = `
WITH q AS (
  SELECT c.id, c.name, c.insee FROM communities c WHERE c.insee = $1 AND c.status = 'active'
), off AS MATERIALIZED (
  SELECT id FROM accounts WHERE status <> 'active'
), members AS (
  SELECT m.community_id,
    count(*) FILTER (WHERE m.status = 'verified' AND off.id IS NULL) AS verified,
    count(*) FILTER (WHERE m.status = 'pending_verification') AS pending
  FROM memberships m
  JOIN q ON q.id = m.community_id
  LEFT JOIN off ON off.id = m.account_id
  WHERE m.status IN ('verified', 'pending_verification')
  GROUP BY m.community_id
)
SELECT c.id AS community_id, c.name,
  coalesce(max(mb.verified), 0)::int AS verified,
  coalesce(max(mb.pending), 0)::int AS pending,
  ${windows("a")}
FROM q c
LEFT JOIN members mb ON mb.community_id = c.id
LEFT JOIN alerts a ON ${counted}
  AND ((a.scope_kind = 'community' AND a.community_id = c.id)
       OR (a.scope_kind = 'commune' AND a.insee = c.insee
           AND (a.scope_community_ids IS NULL OR c.id = ANY (a.scope_community_ids))))
GROUP BY c.id, c.name
ORDER BY c.name, c.id`

const categoriesStatement = `
SELECT a.category, ${windows("a")}
FROM alerts a
WHERE a.insee = $1 AND ${counted}
GROUP BY a.category
ORDER BY a.category`

/**
 * The town alerts' deliveries are counted per message in a LATERAL subquery (one aggregate per
 * alert), not joined then grouped: a town alert of a large commune has 85,000 deliveries, and the
 * join sorted them all by alert before grouping.
 */
const townAlertsStatement = `
SELECT a.id AS alert_id, a.origin, a.category, a.created_at,
  coalesce(d.queued, 0)::int AS queued, coalesce(d.sent, 0)::int AS sent,
  coalesce(d.delivered, 0)::int AS delivered, coalesce(d.failed, 0)::int AS failed,
  coalesce(d.dead, 0)::int AS dead, coalesce(d.withheld, 0)::int AS withheld
FROM alerts a
LEFT JOIN messages msg ON msg.alert_id = a.id AND msg.kind = 'alert'
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')) AS queued,
    count(*) FILTER (WHERE status = 'sent') AS sent,
    count(*) FILTER (WHERE status = 'delivered') AS delivered,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    count(*) FILTER (WHERE status = 'dead') AS dead,
    count(*) FILTER (WHERE status = 'withheld') AS withheld
  FROM deliveries WHERE message_id = msg.id
) d ON true
WHERE a.insee = $1 AND a.scope_kind = 'commune' AND a.created_at > $2::timestamptz - interval '30 days'
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
          // On three connections at once: the dashboard waits for the slowest, not the sum.
        ], { concurrency: "unbounded" })
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
