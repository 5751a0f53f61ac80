/**
 * The national seed of `bench:national`, set-based: every step is a few `INSERT … SELECT
 * generate_series` statements (a big step is cut into ranges, one statement each, so the progress bar
 * moves), never a row at a time from the client.
 *
 * Shape at scale 1 (every count × --scale, at least the floors below):
 * - 600 communes: the 600 most populated of @etalab/decoupage-administratif (the official list the
 *   platform checks INSEE codes against), each a Mairie Vigilante with one mairie agent;
 * - 30,000 quartiers: 500 in the largest commune (the statistics' 50,000 members, 100 per quartier),
 *   the rest spread evenly over the 599 others (about 50 each, 8 to 9 members per quartier);
 * - 300,000 members: an account, one home membership (95 % verified, 5 % pending), preferences for
 *   10 % (the others keep the defaults, as in production), STOP for 0.2 % of the phones; 10 % without a
 *   phone, 5 % with an unverified one, 2 % without e-mail, 0.5 % suspended (bench:fanout's mix);
 * - 1,000,000 alerts over 2 years, in time order (as a table fills), their authors members drawn
 *   uniformly (so the largest commune holds a sixth of them), 0.5 % town alerts of the mairies; older
 *   than 30 days: 92 % resolved, 5 % retracted, 3 % still published; the last 30 days: 55 % published,
 *   35 % resolved, 7 % retracted, 3 % held for review (the moderation queue); published residents'
 *   alerts older than 2 days are reviewed (alert_moderation), as a moderation team keeps up;
 * - messages and deliveries for the alerts of the last `deliveryDays` days (90 by default): one
 *   'alert' message each, and a delivery per recipient and channel as the fan-out writes them (the
 *   verified members of the quartier, or of the commune for a town alert; e-mail when there is one,
 *   SMS to verified phones for urgent alerts), ended as delivered or sent (2 % failed). Older
 *   deliveries are left out to keep the seed short: in production the table keeps them (retention
 *   only blanks the destination), which is the case for partitioning (see OPERATIONS.md).
 */
import { SqlClient } from "@effect/sql"
import { loadCommunes } from "@vigie/adapters/communes/EtalabCommunes"
import { Effect } from "effect"

export interface SeedShape {
  readonly communes: number
  readonly quartiers: number
  readonly bigQuartiers: number
  readonly members: number
  readonly bigMembers: number
  readonly alerts: number
  readonly deliveryDays: number
}

export const shapeOf = (scale: number, deliveryDays: number): SeedShape => {
  const communes = Math.max(10, Math.min(600, Math.round(600 * scale)))
  const quartiers = Math.max(communes * 2, Math.round(30_000 * scale))
  const members = Math.max(1_000, Math.round(300_000 * scale))
  return {
    communes,
    quartiers,
    bigQuartiers: Math.max(2, Math.round(500 * scale)),
    members,
    bigMembers: Math.round(members / 6),
    alerts: Math.max(1_000, Math.round(1_000_000 * scale)),
    deliveryDays
  }
}

const resident = ["suspicious_vehicle", "suspicious_person", "burglary", "open_door_or_window",
  "vulnerable_person_without_news", "lost_or_found_animal", "road_danger", "fire_or_smoke", "other"]
const town = ["weather", "roads", "event", "strike", "water_or_power_cut", "public_health"]

/** One line on stderr, redrawn: the step, its bar and its elapsed time. */
const bar = (label: string, done: number, total: number, startedAt: number) => {
  const width = 30
  const filled = Math.round((done / total) * width)
  process.stderr.write(
    `\r  ${label.padEnd(34)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} ` +
      `${((performance.now() - startedAt) / 1000).toFixed(1)} s   `
  )
}

/**
 * A seed step of `parts` statements (`part(i)` for i in 0..parts-1), with its bar; prints its time and
 * the rows it wrote on stdout, and returns its seconds.
 */
const step = <E, R>(
  label: string,
  parts: number,
  part: (i: number) => Effect.Effect<ReadonlyArray<unknown> | void, E, R>,
  rows?: Effect.Effect<number, E, R>
) =>
  Effect.gen(function*() {
    const startedAt = performance.now()
    bar(label, 0, parts, startedAt)
    for (let i = 0; i < parts; i++) {
      yield* part(i)
      bar(label, i + 1, parts, startedAt)
    }
    const seconds = (performance.now() - startedAt) / 1000
    process.stderr.write("\r" + " ".repeat(100) + "\r")
    const count = rows === undefined ? "" : `${(yield* rows).toLocaleString("en-US")} rows, `
    console.log(`  seed ${label.padEnd(34)} ${count}${seconds.toFixed(1)} s`)
    return seconds
  })

/** [lo, hi] of range `i` of `parts` over 1..n. */
const range = (n: number, parts: number, i: number) =>
  [Math.floor((n * i) / parts) + 1, Math.floor((n * (i + 1)) / parts)] as const

/** Seeds an empty (migrated) database; returns the seconds it took. */
export const seed = (shape: SeedShape) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const started = performance.now()
    const count = (table: string) =>
      Effect.map(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(table)}`, (r) => r[0]!.n)
    const { alerts: A, bigMembers: big, bigQuartiers: bigQ, communes: C, members: M, quartiers: Q } = shape

    // The helper tables name what the seed drew, for the measurements; bench_ tables are no part of the schema.
    yield* sql`CREATE TABLE bench_communes (k int PRIMARY KEY, insee text NOT NULL, name text NOT NULL, agent_id uuid)`
    yield* sql`CREATE TABLE bench_quartiers (k int PRIMARY KEY, id uuid NOT NULL, insee text NOT NULL)`
    yield* sql`CREATE TABLE bench_members (n int PRIMARY KEY, account_id uuid NOT NULL, k int NOT NULL)`

    const official = [...loadCommunes()].sort((a, b) => b.population - a.population).slice(0, C)
    yield* step("communes (official, vigilant)", 1, () =>
      Effect.gen(function*() {
        yield* sql`
INSERT INTO bench_communes (k, insee, name)
SELECT * FROM unnest(${official.map((_, k) => k)}::int[], ${official.map((c) => c.insee)}::text[],
  ${official.map((c) => c.name)}::text[])`
        yield* sql`
WITH agents AS (
  INSERT INTO accounts (first_name, last_name, email, password_hash)
  SELECT 'Agent', 'Mairie ' || k, 'mairie' || k || '@example.fr', 'not-a-hash' FROM bench_communes
  RETURNING id, substr(last_name, 8)::int AS k)
UPDATE bench_communes c SET agent_id = agents.id FROM agents WHERE agents.k = c.k`
        yield* sql`INSERT INTO staff_roles (account_id, role, insee) SELECT agent_id, 'mairie_agent', insee FROM bench_communes`
        yield* sql`INSERT INTO vigilant_communes (insee) SELECT insee FROM bench_communes`
        const [moderator] = yield* sql<{ id: string }>`
INSERT INTO accounts (first_name, last_name, email) VALUES ('Modératrice', 'Nationale', 'moderation@example.fr') RETURNING id`
        yield* sql`INSERT INTO staff_roles (account_id, role) VALUES (${moderator!.id}, 'moderator')`
      }), count("vigilant_communes"))

    // Quartier k: the largest commune's for k < bigQ, else the others' in turn.
    yield* step("quartiers (communities)", 4, (i) => {
      const [lo, hi] = range(Q, 4, i)
      return sql`
WITH q AS (
  INSERT INTO communities (insee, name, perimeter)
  SELECT c.insee, 'Quartier ' || (g - 1),
    jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
      jsonb_build_array(2.30 + (g % 100) * 0.001, 48.80 + (g / 100 % 100) * 0.001),
      jsonb_build_array(2.301 + (g % 100) * 0.001, 48.80 + (g / 100 % 100) * 0.001),
      jsonb_build_array(2.301 + (g % 100) * 0.001, 48.801 + (g / 100 % 100) * 0.001),
      jsonb_build_array(2.30 + (g % 100) * 0.001, 48.80 + (g / 100 % 100) * 0.001))))
  FROM generate_series(${lo}::int, ${hi}::int) g
  JOIN bench_communes c ON c.k = CASE WHEN g - 1 < ${bigQ}::int THEN 0 ELSE 1 + (g - 1 - ${bigQ}::int) % (${C}::int - 1) END
  RETURNING id, insee, substr(name, 10)::int AS k)
INSERT INTO bench_quartiers (k, id, insee) SELECT k, id, insee FROM q`
    }, count("communities"))

    // Member n: the largest commune's for n ≤ big (100 per quartier), else a quartier of the others.
    yield* step("members (accounts)", 10, (i) => {
      const [lo, hi] = range(M, 10, i)
      return sql`
WITH a AS (
  INSERT INTO accounts (first_name, last_name, email, phone, phone_verified, status, created_at, last_active_at)
  SELECT 'Voisin', 'N' || g,
    CASE WHEN g % 50 = 0 THEN NULL ELSE 'voisin' || g || '@example.fr' END,
    CASE WHEN g % 10 = 0 THEN NULL ELSE '+336' || lpad(g::text, 8, '0') END,
    g % 10 <> 0 AND g % 20 <> 1,
    CASE WHEN g % 200 = 0 THEN 'suspended' ELSE 'active' END,
    now() - interval '2 years' + (g % 700) * interval '1 day', now() - (g % 60) * interval '1 day'
  FROM generate_series(${lo}::int, ${hi}::int) g
  RETURNING id, substr(last_name, 2)::int AS n)
INSERT INTO bench_members (n, account_id, k)
SELECT n, id, CASE WHEN n <= ${big}::int THEN n % ${bigQ}::int ELSE ${bigQ}::int + n % (${Q}::int - ${bigQ}::int) END FROM a`
    }, count("accounts"))

    yield* step("memberships (home, 95 % verified)", 10, (i) => {
      const [lo, hi] = range(M, 10, i)
      return sql`
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, postcode, city, created_at, verified_at)
SELECT m.account_id, q.id, 'resident', CASE WHEN m.n % 20 = 3 THEN 'pending_verification' ELSE 'verified' END,
  true, m.n || ' rue de la République', '75001', c.name, now() - interval '1 year',
  CASE WHEN m.n % 20 = 3 THEN NULL ELSE now() - interval '300 days' END
FROM bench_members m JOIN bench_quartiers q ON q.k = m.k JOIN bench_communes c ON c.insee = q.insee
WHERE m.n BETWEEN ${lo}::int AND ${hi}::int`
    }, count("memberships"))

    yield* step("preferences, STOP list", 1, () =>
      Effect.gen(function*() {
        yield* sql`
INSERT INTO sms_suppressions (phone, reason)
SELECT phone, 'stop_keyword' FROM accounts WHERE phone IS NOT NULL AND right(phone, 3)::int % 500 = 7`
        yield* sql`
INSERT INTO notification_preferences (account_id, sms, email, quiet_start, quiet_end)
SELECT account_id, CASE WHEN n / 10 % 10 IN (1, 2) THEN 'none' ELSE 'urgent_only' END,
  CASE WHEN n / 10 % 10 = 3 THEN 'none' ELSE 'all' END, 1320, 420
FROM bench_members WHERE n % 10 = 5`
      }), count("notification_preferences"))

    // Alert i (1 = oldest) at now - (A - i)/A × 730 days; its author member n drawn by a multiplicative hash.
    const parts = Math.max(1, Math.min(20, Math.round(A / 10_000)))
    yield* step("alerts (2 years)", parts, (i) => {
      const [lo, hi] = range(A, parts, i)
      return sql`
INSERT INTO alerts (scope_kind, community_id, insee, author_id, origin, category, urgency, text, status, created_at,
  closed_at, first_published_at)
SELECT s.scope_kind, s.community_id, s.insee, s.author_id, s.origin, s.category,
  CASE WHEN s.g % 10 < 3 THEN 'urgent' ELSE 'info' END,
  'Alerte de démonstration n° ' || s.g, s.status, s.at,
  CASE WHEN s.status IN ('resolved', 'retracted') THEN least(s.at + interval '1 day', now()) END,
  CASE WHEN s.status IN ('published', 'resolved', 'retracted') THEN s.at END
FROM (
  SELECT g, at,
    CASE WHEN town THEN 'commune' ELSE 'community' END AS scope_kind,
    CASE WHEN town THEN NULL ELSE q.id END AS community_id,
    CASE WHEN town THEN c.insee ELSE q.insee END AS insee,
    CASE WHEN town THEN c.agent_id ELSE m.account_id END AS author_id,
    CASE WHEN town THEN 'mairie' WHEN g % 7 = 0 THEN 'sms' ELSE 'web' END AS origin,
    CASE WHEN town THEN (${town}::text[])[1 + g % ${town.length}::int]
         ELSE (${resident}::text[])[1 + g % ${resident.length}::int] END AS category,
    CASE
      WHEN town THEN CASE WHEN at > now() - interval '30 days' THEN 'published' ELSE 'resolved' END
      WHEN at > now() - interval '30 days' THEN
        CASE WHEN g % 100 < 55 THEN 'published' WHEN g % 100 < 90 THEN 'resolved'
             WHEN g % 100 < 97 THEN 'retracted' ELSE 'held_for_review' END
      ELSE CASE WHEN g % 100 < 92 THEN 'resolved' WHEN g % 100 < 97 THEN 'retracted' ELSE 'published' END
    END AS status
  FROM (
    SELECT g, g % 200 = 0 AS town,
      now() - ((${A}::int - g)::double precision / ${A}::int) * interval '730 days' - interval '1 minute' AS at
    FROM generate_series(${lo}::int, ${hi}::int) g
  ) t
  JOIN bench_members m ON m.n = 1 + (g::bigint * 2654435761 % ${M}::int)::int
  JOIN bench_quartiers q ON q.k = m.k
  JOIN bench_communes c ON c.k = (g / 200) % ${C}::int
) s`
    }, count("alerts"))

    yield* step(
      "moderation (reviewed)",
      1,
      () =>
        sql`
INSERT INTO alert_moderation (alert_id, reviewed_at, reviewed_by)
SELECT a.id, a.created_at + interval '1 hour', (SELECT account_id FROM staff_roles WHERE role = 'moderator' LIMIT 1)
FROM alerts a WHERE a.status = 'published' AND a.origin IN ('web', 'sms') AND a.created_at < now() - interval '2 days'`,
      count("alert_moderation")
    )

    const days = shape.deliveryDays
    const dayParts = Math.max(1, Math.ceil(days / 5))
    yield* step(`messages, deliveries (${days} days)`, dayParts, (i) =>
      Effect.gen(function*() {
        const from = days - (i + 1) * (days / dayParts)
        const to = days - i * (days / dayParts)
        yield* sql`
INSERT INTO messages (alert_id, kind, created_at)
SELECT id, 'alert', created_at FROM alerts
WHERE status <> 'held_for_review'
  AND created_at > now() - ${to}::double precision * interval '1 day'
  AND created_at <= now() - ${from}::double precision * interval '1 day'`
        yield* sql`
INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, status, attempts, next_attempt_at,
  created_at, updated_at)
SELECT msg.id, a.id, acc.id, ch.channel, ch.destination,
  CASE WHEN hashtext(acc.id::text || a.id::text) % 50 = 0 THEN 'failed'
       WHEN ch.channel = 'sms' THEN 'delivered' ELSE 'sent' END,
  1, a.created_at, a.created_at, a.created_at + interval '1 minute'
FROM messages msg
JOIN alerts a ON a.id = msg.alert_id
JOIN communities c ON (a.scope_kind = 'community' AND c.id = a.community_id)
  OR (a.scope_kind = 'commune' AND c.insee = a.insee)
JOIN memberships mb ON mb.community_id = c.id AND mb.status = 'verified'
JOIN accounts acc ON acc.id = mb.account_id AND acc.status = 'active' AND acc.id <> a.author_id
CROSS JOIN LATERAL (VALUES ('email', acc.email), ('sms', CASE WHEN acc.phone_verified AND a.urgency = 'urgent' THEN acc.phone END))
  AS ch (channel, destination)
WHERE ch.destination IS NOT NULL
  AND msg.created_at > now() - ${to}::double precision * interval '1 day'
  AND msg.created_at <= now() - ${from}::double precision * interval '1 day'`
      }), count("deliveries"))

    // As autovacuum leaves a table that has lived for years: statistics, and the visibility map that
    // index-only scans need (without it the moderation queue reads 20,000 heap pages).
    yield* step("VACUUM (ANALYZE)", 1, () => sql`VACUUM (ANALYZE)`)
    const seconds = (performance.now() - started) / 1000
    yield* sql`CREATE TABLE bench_national_seed (shape jsonb NOT NULL, seconds double precision NOT NULL)`
    yield* sql`INSERT INTO bench_national_seed VALUES (${JSON.stringify(shape)}::jsonb, ${seconds})`
    return seconds
  })
