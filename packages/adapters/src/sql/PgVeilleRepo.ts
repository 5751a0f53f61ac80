import { SqlClient } from "@effect/sql"
import type { Alerted, Outcome, Phase } from "@vigie/domain/checkin/Escalation"
import { VeilleEvent } from "@vigie/domain/checkin/Veille"
import type { CheckInId, VeilleId } from "@vigie/domain/checkin/Veille"
import { VeilleRepo } from "@vigie/domain/checkin/VeilleRepo"
import type { CheckInRow, ClaimedCheckIn, PersonFacts, VeilleRecord } from "@vigie/domain/checkin/VeilleRepo"
import type { Weekday } from "@vigie/domain/checkin/VeilleSchedule"
import type { AccountId, CommunityId, InseeCode } from "@vigie/domain/shared/Ids"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures, type RepoFailure } from "./SqlFailure"

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`

const veilleSelect = `
SELECT v.id, v.person_id, a.first_name || ' ' || a.last_name AS person_name, v.community_id, c.insee, v.days,
       v.local_time, v.channel, v.phone, v.shared_address, v.status, v.consent_method,
       coalesce(cb.first_name || ' ' || cb.last_name, 'Vigie') AS consent_by, ${ms("v.consent_at")} AS consent_ms,
       coalesce((SELECT json_agg(json_build_object('accountId', w.account_id, 'name', wa.first_name || ' ' || wa.last_name,
                                                   'status', w.status) ORDER BY w.invited_at, w.account_id)
                 FROM veilleurs w JOIN accounts wa ON wa.id = w.account_id WHERE w.veille_id = v.id), '[]') AS veilleurs,
       coalesce((SELECT json_agg(json_build_object('id', b.id, 'from', b.from_day::text, 'to', b.to_day::text)
                                 ORDER BY b.from_day)
                 FROM veille_absences b WHERE b.veille_id = v.id), '[]') AS absences
FROM veilles v
JOIN accounts a ON a.id = v.person_id
JOIN communities c ON c.id = v.community_id
LEFT JOIN accounts cb ON cb.id = v.consent_by`

interface VeilleSqlRow {
  readonly id: string
  readonly person_id: string
  readonly person_name: string
  readonly community_id: string
  readonly insee: string
  readonly days: ReadonlyArray<number>
  readonly local_time: string
  readonly channel: "sms" | "voice"
  readonly phone: string
  readonly shared_address: string | null
  readonly status: "pending" | "active" | "stopped"
  readonly consent_method: "web" | "sms" | "paper"
  readonly consent_by: string
  readonly consent_ms: number
  readonly veilleurs: ReadonlyArray<{ accountId: string; name: string; status: "invited" | "accepted" | "withdrawn" }>
  readonly absences: ReadonlyArray<{ id: string; from: string; to: string }>
}

const parsed = <A>(value: A | string): A => typeof value === "string" ? JSON.parse(value) as A : value

const toRecord = (r: VeilleSqlRow): VeilleRecord => ({
  id: r.id as VeilleId,
  personId: r.person_id as AccountId,
  personName: r.person_name,
  communityId: r.community_id as CommunityId,
  insee: r.insee as InseeCode,
  days: r.days.map(Number) as Array<Weekday>,
  time: r.local_time,
  channel: r.channel,
  phone: r.phone,
  address: Option.fromNullable(r.shared_address),
  status: r.status,
  consentMethod: r.consent_method,
  consentBy: r.consent_by,
  consentAt: Number(r.consent_ms),
  veilleurs: parsed(r.veilleurs).map((v) => ({ accountId: v.accountId as AccountId, name: v.name, status: v.status })),
  absences: parsed(r.absences)
})

const checkInSelect = `
SELECT id, veille_id, ${ms("scheduled_at")} AS scheduled_ms, phase, ${ms("since")} AS since_ms,
       ${ms("asked_at")} AS asked_ms, owner_id, alerted_veilleurs, alerted_referent, alerted_ccas, outcome
FROM veille_checkins`

interface CheckInSqlRow {
  readonly id: string
  readonly veille_id: string
  readonly scheduled_ms: number
  readonly phase: Phase
  readonly since_ms: number
  readonly asked_ms: number | null
  readonly owner_id: string | null
  readonly alerted_veilleurs: boolean
  readonly alerted_referent: boolean
  readonly alerted_ccas: boolean
  readonly outcome: Outcome | null
}

const toCheckIn = (r: CheckInSqlRow): CheckInRow => ({
  id: r.id as CheckInId,
  veilleId: r.veille_id as VeilleId,
  scheduledAt: Number(r.scheduled_ms),
  phase: r.phase,
  since: Number(r.since_ms),
  askedAt: r.asked_ms === null ? undefined : Number(r.asked_ms),
  owner: (r.owner_id ?? undefined) as AccountId | undefined,
  alerted: { veilleurs: r.alerted_veilleurs, referent: r.alerted_referent, ccas: r.alerted_ccas } satisfies Alerted,
  outcome: r.outcome ?? undefined
})

const date = (epoch: number) => new Date(epoch)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const run = <A>(name: string, effect: Effect.Effect<A, RepoFailure>) =>
    effect.pipe(mapFailures(), Effect.withSpan(`PgVeilleRepo.${name}`))

  const records = (where: string, params: ReadonlyArray<unknown>, lock = false) =>
    sql.unsafe<VeilleSqlRow>(`${veilleSelect} ${where}${lock ? "" : ""}`, params).pipe(
      Effect.map((rows) => rows.map(toRecord))
    )

  const one = <A>(rows: ReadonlyArray<A>) => Option.fromNullable(rows[0])

  const checkIns = (where: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe<CheckInSqlRow>(`${checkInSelect} ${where}`, params).pipe(Effect.map((rows) => rows.map(toCheckIn)))

  return VeilleRepo.of({
    person: (accountId) =>
      run(
        "person",
        Effect.gen(function*() {
          const accounts = yield* sql<{
            id: string
            name: string
            phone: string | null
            phone_verified: boolean
            paper_kind: "mobile" | "landline" | null
          }>`
SELECT a.id, a.first_name || ' ' || a.last_name AS name, a.phone, a.phone_verified,
       (SELECT pr.phone_kind FROM paper_registrations pr WHERE pr.account_id = a.id ORDER BY pr.recorded_at DESC LIMIT 1)
         AS paper_kind
FROM accounts a WHERE a.id = ${accountId} AND a.status = 'active'`
          const account = accounts[0]
          if (account === undefined) return Option.none<PersonFacts>()
          const memberships = yield* sql<{
            community_id: string
            insee: string
            role: "resident" | "referent"
            status: string
            address: string
          }>`
SELECT m.community_id, c.insee, m.role, m.status,
       m.address_line1 || coalesce(', ' || m.address_line2, '') || ', ' || m.postcode || ' ' || m.city AS address
FROM memberships m JOIN communities c ON c.id = m.community_id
WHERE m.account_id = ${accountId} AND c.status = 'active'`
          return Option.some<PersonFacts>({
            accountId: account.id as AccountId,
            name: account.name,
            phone: Option.fromNullable(account.phone),
            phoneVerified: account.phone_verified,
            paperPhoneKind: Option.fromNullable(account.paper_kind),
            memberships: memberships.map((m) => ({
              communityId: m.community_id as CommunityId,
              insee: m.insee as InseeCode,
              role: m.role,
              verified: m.status === "verified",
              address: m.address
            }))
          })
        })
      ),
    members: (communityIds) =>
      run(
        "members",
        sql<{ account_id: string; name: string }>`
SELECT DISTINCT a.id AS account_id, a.first_name || ' ' || a.last_name AS name
FROM memberships m JOIN accounts a ON a.id = m.account_id AND a.status = 'active'
WHERE m.community_id = ANY (${communityIds}::uuid[]) AND m.status = 'verified'
ORDER BY name, account_id`.pipe(
          Effect.map((rows) => rows.map((r) => ({ accountId: r.account_id as AccountId, name: r.name })))
        )
      ),
    paperNeighbours: (communityIds) =>
      run(
        "paperNeighbours",
        sql<
          { account_id: string; name: string; community_id: string; phone_kind: "mobile" | "landline"; has: boolean }
        >`
SELECT a.id AS account_id, a.first_name || ' ' || a.last_name AS name, m.community_id, pr.phone_kind,
       EXISTS (SELECT 1 FROM veilles v WHERE v.person_id = a.id AND v.status <> 'stopped') AS has
FROM paper_registrations pr
JOIN memberships m ON m.id = pr.membership_id AND m.status = 'verified'
JOIN accounts a ON a.id = pr.account_id AND a.status = 'active'
WHERE m.community_id = ANY (${communityIds}::uuid[])
ORDER BY name, account_id`.pipe(
          Effect.map((rows) =>
            rows.map((r) => ({
              accountId: r.account_id as AccountId,
              name: r.name,
              communityId: r.community_id as CommunityId,
              phoneKind: r.phone_kind,
              hasVeille: r.has
            }))
          )
        )
      ),
    communitiesOf: (insees) =>
      run(
        "communitiesOf",
        sql<{ id: string }>`SELECT id FROM communities WHERE insee = ANY (${insees}::text[]) AND status = 'active'`
          .pipe(
            Effect.map((rows) => rows.map((r) => r.id as CommunityId))
          )
      ),
    veilleOf: (personId) =>
      run("veilleOf", Effect.map(records(`WHERE v.person_id = $1 AND v.status <> 'stopped'`, [personId]), one)),
    veille: (id) => run("veille", Effect.map(records(`WHERE v.id = $1`, [id]), one)),
    lockVeille: (id) =>
      run(
        "lockVeille",
        Effect.zipRight(
          sql`SELECT id FROM veilles WHERE id = ${id} FOR UPDATE`,
          Effect.map(records(`WHERE v.id = $1`, [id]), one)
        )
      ),
    watchedBy: (accountId) =>
      run(
        "watchedBy",
        records(
          `WHERE v.id IN (SELECT veille_id FROM veilleurs WHERE account_id = $1 AND status <> 'withdrawn')
           ORDER BY v.created_at`,
          [accountId]
        )
      ),
    insert: (veille, at) =>
      run(
        "insert",
        Effect.gen(function*() {
          yield* sql`
INSERT INTO veilles (id, person_id, community_id, days, local_time, channel, phone, shared_address, status,
                     consent_method, consent_by, consent_at, created_by, created_at)
VALUES (${veille.id}, ${veille.personId}, ${veille.communityId}, ${veille.days}::smallint[], ${veille.time},
        ${veille.channel}, ${veille.phone}, ${Option.getOrNull(veille.address)}, ${veille.status},
        ${veille.consentMethod}, ${veille.consentBy}, ${date(veille.consentAt)}, ${veille.createdBy}, ${date(at)})`
          yield* sql`
INSERT INTO veilleurs (veille_id, account_id, status, invited_at)
SELECT ${veille.id}, v, 'invited', ${date(at)} FROM unnest(${veille.veilleurs}::uuid[]) AS v`
        })
      ),
    setStatus: (id, status, at) =>
      run(
        "setStatus",
        sql`UPDATE veilles SET status = ${status},
  stopped_at = CASE WHEN ${status} = 'stopped' THEN ${date(at)}::timestamptz ELSE NULL END WHERE id = ${id}`
      ),
    setConsent: (id, method, by, at) =>
      run(
        "setConsent",
        sql`UPDATE veilles SET consent_method = ${method}, consent_by = ${by}, consent_at = ${
          date(at)
        } WHERE id = ${id}`
      ),
    setVeilleur: (id, accountId, status, at) =>
      run(
        "setVeilleur",
        sql`UPDATE veilleurs SET status = ${status}, answered_at = ${date(at)}
  WHERE veille_id = ${id} AND account_id = ${accountId}`
      ),
    addVeilleur: (id, accountId, at) =>
      run(
        "addVeilleur",
        sql`INSERT INTO veilleurs (veille_id, account_id, status, invited_at) VALUES (${id}, ${accountId}, 'invited', ${
          date(at)
        })
  ON CONFLICT (veille_id, account_id) DO UPDATE SET status = 'invited', invited_at = excluded.invited_at, answered_at = NULL`
      ),
    addAbsence: (id, from, to, by, at) =>
      run(
        "addAbsence",
        sql`INSERT INTO veille_absences (veille_id, from_day, to_day, set_by, created_at)
  VALUES (${id}, ${from}::date, ${to}::date, ${by}, ${date(at)})`
      ),
    record: (event) =>
      run(
        "record",
        sql`INSERT INTO veille_events (veille_id, checkin_id, at, kind, actor_id, actor_label, text)
  VALUES (${event.veilleId}, ${Option.getOrNull(event.checkInId)}, ${date(event.at)}, ${event.kind},
          ${Option.getOrNull(event.actor)}, ${event.actorLabel.slice(0, 200)}, ${event.text.slice(0, 400)})`
      ),
    history: (id) =>
      run(
        "history",
        sql<{ at_ms: number; kind: string; actor_label: string; text: string }>`
SELECT ${sql.literal(ms("at"))} AS at_ms, kind, actor_label, text FROM veille_events
WHERE veille_id = ${id} ORDER BY id DESC LIMIT 500`.pipe(
          Effect.map((rows) =>
            rows.map((r) =>
              new VeilleEvent({
                at: DateTime.unsafeMake(Number(r.at_ms)),
                kind: r.kind,
                actor: r.actor_label,
                text: r.text
              })
            )
          )
        )
      ),
    reschedule: (id, at, now) =>
      run(
        "reschedule",
        Effect.gen(function*() {
          yield* sql`DELETE FROM veille_checkins WHERE veille_id = ${id} AND phase = 'scheduled'`
          if (Option.isSome(at)) {
            yield* sql`
INSERT INTO veille_checkins (veille_id, scheduled_at, phase, since, due_at, updated_at)
VALUES (${id}, ${date(at.value)}, 'scheduled', ${date(at.value)}, ${date(at.value)}, ${date(now)})
ON CONFLICT (veille_id, scheduled_at) DO NOTHING`
          }
        })
      ),
    schedule: (id, at) =>
      run(
        "schedule",
        sql`
INSERT INTO veille_checkins (veille_id, scheduled_at, phase, since, due_at, updated_at)
VALUES (${id}, ${date(at)}, 'scheduled', ${date(at)}, ${date(at)}, ${date(at)})
ON CONFLICT (veille_id, scheduled_at) DO NOTHING`
      ),
    claimDue: (now, limit, leaseUntil) =>
      run(
        "claimDue",
        sql<{ id: string; lease_token: number }>`
WITH due AS (
  SELECT id FROM veille_checkins
  WHERE due_at IS NOT NULL AND due_at <= ${date(now)} AND (lease_expires_at IS NULL OR lease_expires_at <= ${date(now)})
  ORDER BY due_at
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED
)
UPDATE veille_checkins c SET lease_expires_at = ${date(leaseUntil)}, lease_token = c.lease_token + 1
FROM due WHERE c.id = due.id
RETURNING c.id, c.lease_token`.pipe(
          Effect.map((rows) => rows.map((r) => ({ id: r.id as CheckInId, token: Number(r.lease_token) })))
        )
      ),
    lockClaimed: (claim) =>
      run(
        "lockClaimed",
        Effect.map(
          checkIns(
            `WHERE id = $1 AND lease_token = $2 AND due_at IS NOT NULL AND lease_expires_at IS NOT NULL FOR UPDATE`,
            [claim.id, claim.token]
          ),
          one
        )
      ),
    lockClaimedBatch: (claims) =>
      run(
        "lockClaimedBatch",
        Effect.gen(function*() {
          if (claims.length === 0) return []
          const rows = yield* sql<CheckInSqlRow>`${sql.literal(checkInSelect)}
WHERE due_at IS NOT NULL AND lease_expires_at IS NOT NULL
  AND (id, lease_token) IN (SELECT * FROM unnest(${claims.map((c) => c.id)}::uuid[], ${
            claims.map((c) => c.token)
          }::int[]))
ORDER BY scheduled_at, id
FOR UPDATE`.pipe(Effect.map((rows) => rows.map(toCheckIn)))
          if (rows.length === 0) return []
          const veilleIds = [...new Set(rows.map((r) => r.veilleId))]
          const veilles = yield* sql<VeilleSqlRow>`${sql.literal(veilleSelect)} WHERE v.id = ANY (${veilleIds}::uuid[])`
            .pipe(Effect.map((rs) => new Map(rs.map((r) => [r.id, toRecord(r)]))))
          const previous = yield* sql<{ veille_id: string; scheduled_ms: number }>`
SELECT DISTINCT ON (veille_id) veille_id, ${sql.literal(ms("scheduled_at"))} AS scheduled_ms
FROM veille_checkins WHERE veille_id = ANY (${veilleIds}::uuid[]) AND phase <> 'scheduled'
ORDER BY veille_id, scheduled_at DESC`.pipe(
            Effect.map((rs) => new Map(rs.map((r) => [r.veille_id, Number(r.scheduled_ms)])))
          )
          const insees = [...new Set([...veilles.values()].map((v) => v.insee))]
          const ccas = yield* sql<{ insee: string }>`
SELECT insee FROM vigilant_communes WHERE insee = ANY (${insees}::text[]) AND ccas_email IS NOT NULL`.pipe(
            Effect.map((rs) => new Set(rs.map((r) => r.insee)))
          )
          return rows.map((row): ClaimedCheckIn => {
            const veille = Option.fromNullable(veilles.get(row.veilleId))
            return {
              row,
              veille,
              previousAt: previous.get(row.veilleId),
              hasCcas: Option.exists(veille, (v) => ccas.has(v.insee))
            }
          })
        })
      ),
    saveSteps: (steps, at) =>
      run(
        "saveSteps",
        Effect.gen(function*() {
          if (steps.length === 0) return
          const now = date(at)
          const sms = steps.flatMap((s) => s.sms.map((m) => ({ ...m, veilleId: s.veilleId })))
          if (sms.length > 0) {
            yield* sql`
WITH input AS (
  SELECT i.* FROM unnest(${sms.map((m) => m.veilleId)}::uuid[], ${sms.map((m) => m.accountId)}::uuid[],
                         ${sms.map((m) => m.destination)}::text[], ${sms.map((m) => m.body)}::text[])
    WITH ORDINALITY AS i(veille_id, account_id, destination, body, ord)
), kept AS MATERIALIZED (
  SELECT gen_random_uuid() AS message_id, i.* FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = i.destination)
), message AS (
  INSERT INTO messages (id, kind, veille_id, body, created_at)
  SELECT message_id, 'veille_notice', veille_id, body, ${now}::timestamptz FROM kept ORDER BY ord
)
INSERT INTO deliveries (message_id, veille_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
SELECT message_id, veille_id, account_id, 'sms', destination, least(${now}::timestamptz, now()), ${now}::timestamptz,
       ${now}::timestamptz
FROM kept ORDER BY ord`
          }
          const events = steps.flatMap((s) =>
            s.events.map((e) => ({ ...e, veilleId: s.veilleId, checkInId: s.checkInId }))
          )
          if (events.length > 0) {
            yield* sql`
INSERT INTO veille_events (veille_id, checkin_id, at, kind, actor_id, actor_label, text)
SELECT e.veille_id, e.checkin_id, ${now}::timestamptz, e.kind, NULL, 'Vigie', left(e.text, 400)
FROM unnest(${events.map((e) => e.veilleId)}::uuid[], ${events.map((e) => e.checkInId)}::uuid[],
            ${events.map((e) => e.kind)}::text[], ${events.map((e) => e.text)}::text[])
  WITH ORDINALITY AS e(veille_id, checkin_id, kind, text, ord)
ORDER BY e.ord`
          }
          yield* sql`
UPDATE veille_checkins c SET phase = u.phase, since = to_timestamp(u.since_ms / 1000.0),
  asked_at = to_timestamp(u.asked_ms / 1000.0), due_at = to_timestamp(u.due_ms / 1000.0),
  lease_expires_at = NULL, updated_at = ${now}::timestamptz
FROM unnest(${steps.map((s) => s.checkInId)}::uuid[], ${steps.map((s) => s.phase)}::text[],
            ${steps.map((s) => s.since)}::float8[], ${steps.map((s) => s.askedAt ?? null)}::float8[],
            ${steps.map((s) => s.dueAt)}::float8[]) AS u(id, phase, since_ms, asked_ms, due_ms)
WHERE c.id = u.id`
          const next = steps.flatMap((s) => s.next === undefined ? [] : [{ veilleId: s.veilleId, at: s.next }])
          if (next.length > 0) {
            yield* sql`
INSERT INTO veille_checkins (veille_id, scheduled_at, phase, since, due_at, updated_at)
SELECT n.veille_id, n.t, 'scheduled', n.t, n.t, ${now}::timestamptz
FROM (SELECT veille_id, to_timestamp(ms / 1000.0) AS t
      FROM unnest(${next.map((n) => n.veilleId)}::uuid[], ${next.map((n) => n.at)}::float8[]) AS x(veille_id, ms)) n
ON CONFLICT (veille_id, scheduled_at) DO NOTHING`
          }
        })
      ),
    lockCheckIn: (id) => run("lockCheckIn", Effect.map(checkIns(`WHERE id = $1 FOR UPDATE`, [id]), one)),
    lockOpen: (id) =>
      run(
        "lockOpen",
        checkIns(`WHERE veille_id = $1 AND phase NOT IN ('scheduled', 'closed') ORDER BY scheduled_at FOR UPDATE`, [id])
      ),
    save: (row, dueAt, at) =>
      run(
        "save",
        sql`
UPDATE veille_checkins SET phase = ${row.phase}, since = ${date(row.since)},
  asked_at = ${row.askedAt === undefined ? null : date(row.askedAt)}, owner_id = ${row.owner ?? null},
  alerted_veilleurs = ${row.alerted.veilleurs}, alerted_referent = ${row.alerted.referent},
  alerted_ccas = ${row.alerted.ccas}, outcome = ${row.outcome ?? null},
  due_at = ${Option.match(dueAt, { onNone: () => null, onSome: date })}, lease_expires_at = NULL,
  updated_at = ${date(at)}
WHERE id = ${row.id}`
      ),
    lastCheckIn: (id) =>
      run(
        "lastCheckIn",
        Effect.map(
          checkIns(`WHERE veille_id = $1 AND phase <> 'scheduled' ORDER BY scheduled_at DESC LIMIT 1`, [id]),
          one
        )
      ),
    nextCheckIn: (id) =>
      run(
        "nextCheckIn",
        Effect.map(
          checkIns(`WHERE veille_id = $1 AND phase = 'scheduled' ORDER BY scheduled_at LIMIT 1`, [id]),
          (rows) => Option.map(one(rows), (r) => r.scheduledAt)
        )
      ),
    contacts: (ids) =>
      run(
        "contacts",
        sql<{ id: string; name: string; phone: string | null; email: string | null }>`
SELECT id, first_name || ' ' || last_name AS name, CASE WHEN phone_verified THEN phone END AS phone, email
FROM accounts WHERE id = ANY (${ids}::uuid[]) AND status = 'active'`.pipe(
          Effect.map((rows) =>
            rows.map((r) => ({
              accountId: r.id as AccountId,
              name: r.name,
              phone: Option.fromNullable(r.phone),
              email: Option.fromNullable(r.email)
            }))
          )
        )
      ),
    referents: (communityId) =>
      run(
        "referents",
        sql<{ account_id: string }>`
SELECT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id AND a.status = 'active'
WHERE m.community_id = ${communityId} AND m.role = 'referent' AND m.status = 'verified'
ORDER BY m.account_id`.pipe(Effect.map((rows) => rows.map((r) => r.account_id as AccountId)))
      ),
    ccas: (insee) =>
      run(
        "ccas",
        sql<{ ccas_email: string | null }>`SELECT ccas_email FROM vigilant_communes WHERE insee = ${insee}`.pipe(
          Effect.map((rows) => Option.fromNullable(rows[0]?.ccas_email))
        )
      ),
    setCcas: (insee, email) =>
      run(
        "setCcas",
        sql`UPDATE vigilant_communes SET ccas_email = ${Option.getOrNull(email)} WHERE insee = ${insee}`
      ),
    send: (id, body, targets, at) =>
      run(
        "send",
        sql<{ sms: number; email: number }>`
WITH dest AS (
  SELECT DISTINCT ON (d.account_id, d.channel) d.account_id, d.channel, d.destination
  FROM unnest(${targets.map((t) => t.accountId)}::uuid[], ${targets.map((t) => t.channel)}::text[],
              ${targets.map((t) => t.destination)}::text[]) AS d(account_id, channel, destination)
  WHERE NOT (d.channel = 'sms' AND EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = d.destination))
), message AS (
  INSERT INTO messages (kind, veille_id, body, created_at)
  SELECT 'veille_notice', ${id}::uuid, ${body}::text, ${date(at)}::timestamptz WHERE EXISTS (SELECT 1 FROM dest)
  RETURNING id
), inserted AS (
  INSERT INTO deliveries (message_id, veille_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT message.id, ${id}::uuid, d.account_id, d.channel, d.destination, least(${date(at)}::timestamptz, now()),
         ${date(at)}::timestamptz, ${date(at)}::timestamptz
  FROM dest d CROSS JOIN message
  RETURNING channel
)
SELECT count(*) FILTER (WHERE channel = 'sms')::int AS sms, count(*) FILTER (WHERE channel = 'email')::int AS email
FROM inserted`.pipe(Effect.map((rows) => rows[0] ?? { sms: 0, email: 0 }))
      ),
    counts: (insee, since) =>
      run(
        "counts",
        sql<{ active: number; veilleurs: number; checkins: number; escalations: number }>`
WITH v AS (
  SELECT v.id, v.status FROM veilles v JOIN communities c ON c.id = v.community_id WHERE c.insee = ${insee}
)
SELECT (SELECT count(*) FROM v WHERE status = 'active')::int AS active,
       (SELECT count(*) FROM veilleurs w JOIN v ON v.id = w.veille_id
        WHERE v.status = 'active' AND w.status = 'accepted')::int AS veilleurs,
       (SELECT count(*) FROM veille_checkins k JOIN v ON v.id = k.veille_id
        WHERE k.asked_at >= ${date(since)})::int AS checkins,
       (SELECT count(*) FROM veille_checkins k JOIN v ON v.id = k.veille_id
        WHERE k.asked_at >= ${date(since)} AND (k.alerted_veilleurs OR k.alerted_referent))::int AS escalations`.pipe(
          Effect.map((rows) => {
            const r = rows[0]!
            return { active: r.active, veilleurs: r.veilleurs, checkIns: r.checkins, escalations: r.escalations }
          })
        )
      )
  })
})

export const layer = Layer.effect(VeilleRepo, make)
