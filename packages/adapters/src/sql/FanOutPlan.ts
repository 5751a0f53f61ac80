import { QUIET_HOURS_TIME_ZONE } from "@vigie/domain/delivery/QuietHoursPolicy"

/** One row per allowed channel of each `recipient`, its destination and `not_before` (quiet hours). */
const plannedCte = `planned AS (
  SELECT r.account_id, ch.channel, ch.destination,
    CASE
      WHEN a.urgency = 'urgent' OR r.quiet_start IS NULL OR r.quiet_start = r.quiet_end THEN a.now
      WHEN (r.quiet_start < r.quiet_end AND a.local_minute >= r.quiet_start AND a.local_minute < r.quiet_end)
        OR (r.quiet_start > r.quiet_end AND (a.local_minute >= r.quiet_start OR a.local_minute < r.quiet_end))
      THEN a.minute_start + ((r.quiet_end - a.local_minute + 1440) % 1440) * interval '1 minute'
      ELSE a.now
    END AS not_before
  FROM recipient r
  CROSS JOIN alert a
  CROSS JOIN LATERAL (VALUES
    ('sms', r.phone,
      (r.sms_preference = 'all' OR (r.sms_preference = 'urgent_only' AND a.urgency = 'urgent'))
      AND r.phone_verified AND r.phone IS NOT NULL AND NOT r.suppressed),
    ('email', r.email,
      (r.email_preference = 'all' OR (r.email_preference = 'urgent_only' AND a.urgency = 'urgent'))
      AND r.email IS NOT NULL),
    ('voice', r.phone,
      r.voice_urgent AND a.urgency = 'urgent' AND r.phone IS NOT NULL
      -- Last, so that it is looked up only for the few who chose voice without a verified phone.
      AND (r.phone_verified OR EXISTS (
        SELECT 1 FROM paper_registrations pr WHERE pr.account_id = r.account_id AND pr.phone_kind = 'landline'
      )))
  ) AS ch (channel, destination, allowed)
  WHERE ch.allowed
)`

/**
 * The `scope` CTE: the audience's community, or the active communities of its commune (all, or the
 * subset), read from the `alert` CTE (see `audienceMessage`).
 */
export const scopeCte = `
scope AS (
  SELECT c.id FROM alert a JOIN communities c ON c.id = a.community_id
  WHERE a.scope_kind = 'community' AND c.status = 'active'
  UNION ALL
  SELECT c.id FROM alert a JOIN communities c ON c.insee = a.insee
  WHERE a.scope_kind = 'commune' AND c.status = 'active'
    AND (a.scope_community_ids IS NULL OR c.id = ANY (a.scope_community_ids))
)`

/** The communities of the `scope` CTE as one uuid[] (`ids`), never NULL: the first step of a fan-out. */
export const scopeIdsSelect = `SELECT coalesce(array_agg(id ORDER BY id), '{}'::uuid[]) AS ids FROM scope`

/**
 * The fan-out rules of the domain's `recipients` (delivery/FanOut.ts) as SQL common table
 * expressions, written once so that a count (a town alert's preview) and an insert (its deliveries)
 * cannot disagree: PgOutbox's `fanOut` and `count` use them.
 * - `alert` (the message, given by the caller, see `audienceMessage`): author_id, urgency, scope_kind,
 *   community_id, insee, scope_community_ids, now, minute_start, local_minute;
 * - `scopeIds` (a SQL expression, a uuid[]): the communities of `scopeCte` for that `alert`, resolved
 *   by an earlier statement (`scopeIdsSelect`). Given as a value rather than joined, because the
 *   planner then estimates the audience from the memberships' statistics (a town alert to 300,000
 *   members is estimated at about 300,000 and hashed; through the CTE it was estimated at 74 and
 *   looped over 300,000 index look-ups, 2.2 s before the first row: OPERATIONS.md);
 * - `recipient`: active accounts with a verified membership in scope, once each, never the author;
 * - `planned`: one row per allowed channel with its destination and `not_before` (quiet hours); `voice`
 *   for urgent messages to those who chose it (`voice_urgent`) with a verified phone, or a landline
 *   attested by a paper registration (phone_kind 'landline': a voice call may reach it, an SMS never).
 */
export const plannedCtes = (scopeIds: string) => `
recipient AS (
  SELECT acc.id AS account_id, acc.phone, acc.email, acc.phone_verified,
         coalesce(p.sms, 'all') AS sms_preference, coalesce(p.email, 'all') AS email_preference,
         coalesce(p.voice_urgent, false) AS voice_urgent,
         p.quiet_start, p.quiet_end, s.phone IS NOT NULL AS suppressed
  FROM accounts acc
  LEFT JOIN notification_preferences p ON p.account_id = acc.id
  LEFT JOIN sms_suppressions s ON s.phone = acc.phone
  WHERE acc.status = 'active'
    AND acc.id <> (SELECT author_id FROM alert)
    AND acc.id IN (
      SELECT m.account_id FROM memberships m WHERE m.community_id = ANY (${scopeIds}) AND m.status = 'verified'
    )
), ${plannedCte}`

/**
 * The `recipient` and `planned` CTEs for the active accounts among `ids` (a SQL expression, a uuid[]),
 * once each, with the `alert` CTE giving the priority and the clock (its audience is not read).
 */
export const chosenCtes = (ids: string) => `
recipient AS (
  SELECT acc.id AS account_id, acc.phone, acc.email, acc.phone_verified,
         coalesce(p.sms, 'all') AS sms_preference, coalesce(p.email, 'all') AS email_preference,
         coalesce(p.voice_urgent, false) AS voice_urgent,
         p.quiet_start, p.quiet_end, s.phone IS NOT NULL AS suppressed
  FROM accounts acc
  LEFT JOIN notification_preferences p ON p.account_id = acc.id
  LEFT JOIN sms_suppressions s ON s.phone = acc.phone
  WHERE acc.status = 'active' AND acc.id = ANY (${ids})
), ${plannedCte}`

const clock = (now: string) => `
  ${now} AS now,
  date_trunc('minute', ${now} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS minute_start,
  (extract(hour FROM ${now} AT TIME ZONE '${QUIET_HOURS_TIME_ZONE}') * 60
    + extract(minute FROM ${now} AT TIME ZONE '${QUIET_HOURS_TIME_ZONE}'))::int AS local_minute`

/**
 * The `alert` CTE of a message to an audience (AudienceMessage): each argument a SQL expression
 * (a parameter). `scopeKind` is 'community' (with `communityId`) or 'commune' (with `insee` and
 * `communityIds`, NULL for every community of the commune).
 */
export const audienceMessage = (p: {
  readonly authorId: string
  readonly urgency: string
  readonly scopeKind: string
  readonly communityId: string
  readonly insee: string
  readonly communityIds: string
  readonly now: string
}) => `
alert AS (
  SELECT ${p.authorId}::uuid AS author_id, ${p.urgency}::text AS urgency,
         ${p.scopeKind}::text AS scope_kind, ${p.communityId}::uuid AS community_id, ${p.insee}::text AS insee,
         ${p.communityIds}::uuid[] AS scope_community_ids, ${clock("t.now")}
  FROM (SELECT ${p.now}::timestamptz AS now) t
)`
