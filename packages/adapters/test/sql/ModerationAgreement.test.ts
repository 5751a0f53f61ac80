import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgModeratedAlertRepo from "@vigie/adapters/sql/PgModeratedAlertRepo"
import * as PgModerationQueueRepo from "@vigie/adapters/sql/PgModerationQueueRepo"
import * as PgNotices from "@vigie/adapters/sql/PgNotices"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { AuditEntryId } from "@vigie/domain/moderation/AuditEntry"
import { authorCounts, heldNow } from "@vigie/domain/moderation/HeldCounts"
import type { QueueItemKind } from "@vigie/domain/moderation/ModeratedAlert"
import { Notices } from "@vigie/domain/delivery/Notices"
import { ModeratedAlertRepo } from "@vigie/domain/moderation/ModeratedAlertRepo"
import { ModerationQueueRepo } from "@vigie/domain/moderation/ModerationQueueRepo"
import type { QueueEntry } from "@vigie/domain/moderation/ModerationQueueRepo"
import { noticeDeliveries } from "@vigie/domain/moderation/NoticeRecipients"
import { QUEUE_SECTIONS, queueCounts, queueEntries } from "@vigie/domain/moderation/QueueEligibility"
import { countsCaseArb, noticeCaseArb, queueCaseArb } from "@vigie/domain/test/moderation/ModerationWorldArbitrary"
import type { CountsCase, NoticeCase, QueueCase } from "@vigie/domain/test/moderation/ModerationWorldArbitrary"
import { DateTime, Effect, FastCheck as fc, Layer, Option } from "effect"
import { agree } from "../support/Agreement.js"
import { describeEachDatabase } from "../support/TestDatabase"
import { bordeaux, repositories, square } from "./Fixtures"

/**
 * The moderation SQL (PgModerationQueueRepo `queue`, `queueCounts`; PgModeratedAlertRepo `authors`; PgNotices `notify`) agrees with the
 * domain's pure rules (QueueEligibility, HeldCounts, NoticeRecipients) on generated worlds.
 */

const COMMUNITY = "00000000-0000-4000-a000-0000000000c2" as CommunityId
const AUTHOR = "00000000-0000-4000-c000-0000000000a2" as AccountId
const MODERATOR = "00000000-0000-4000-c000-0000000000f0" as AccountId
const flagger = (i: number) => `00000000-0000-4000-c000-0000000001${String(i).padStart(2, "0")}` as AccountId

const layer = Layer.mergeAll(repositories, PgModerationQueueRepo.layer, PgModeratedAlertRepo.layer, PgNotices.layer)
type Services = SqlClient.SqlClient | ModerationQueueRepo | ModeratedAlertRepo | Notices

const person = (id: string, status = "active") => ({ id, first_name: "Camille", last_name: "Martin", status })

/** Empties the tables and writes the community and the moderator everybody's rows point at. */
const fresh = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The audit log refuses DELETE: TRUNCATE it with what points at it (messages, deliveries), then DELETE the few
  // small tables written here, far cheaper on a real server than Fixtures' TRUNCATE ... CASCADE of every table.
  yield* sql`TRUNCATE moderation_audit, messages, deliveries`
  yield* Effect.forEach(
    ["moderation_flags", "moderation_appeals", "alerts", "sms_suppressions", "accounts", "communities"],
    (table) => sql`DELETE FROM ${sql(table)}`,
    { discard: true }
  )
  yield* sql`INSERT INTO communities ${
    sql.insert({ id: COMMUNITY, insee: bordeaux, name: "Quartier", perimeter: JSON.stringify(square) })
  }`
  yield* sql`INSERT INTO accounts ${sql.insert(person(MODERATOR))}`
})

const alertRow = (a: { id: string; authorId: string; status: string; origin: string; createdAt: DateTime.Utc }) => ({
  id: a.id,
  scope_kind: "community",
  community_id: COMMUNITY,
  insee: bordeaux,
  author_id: a.authorId,
  origin: a.origin,
  category: "other",
  urgency: "info",
  text: "Une voiture tourne dans le quartier",
  status: a.status,
  created_at: DateTime.toDateUtc(a.createdAt)
})

const seedQueue = ({ world }: QueueCase) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* fresh
    const people = [AUTHOR, ...Array.from({ length: 6 }, (_, i) => flagger(i))]
    yield* sql`INSERT INTO accounts ${sql.insert(people.map((id) => person(id)))}`
    if (world.alerts.length === 0) return
    yield* sql`INSERT INTO alerts ${sql.insert(world.alerts.map((a) => alertRow({ ...a, authorId: AUTHOR })))}`
    // Moderation's own rows: the reviewed alerts', and an empty one (a hiding cleared by a restore) for every other
    // unreviewed alert, which leaves it unreviewed.
    const rows = world.alerts.filter((a, i) => a.reviewed || i % 2 === 0)
    if (rows.length > 0) {
      yield* sql`INSERT INTO alert_moderation ${
        sql.insert(rows.map((a) => ({
          alert_id: a.id,
          reviewed_at: a.reviewed ? DateTime.toDateUtc(a.createdAt) : null,
          reviewed_by: a.reviewed ? MODERATOR : null
        })))
      }`
    }
    if (world.flags.length > 0) {
      yield* sql`INSERT INTO moderation_flags ${
        sql.insert(world.flags.map((f) => ({
          target_kind: "alert",
          target_id: f.alertId,
          alert_id: f.alertId,
          community_id: COMMUNITY,
          flagged_by: flagger(f.flagger),
          reason: "other",
          status: f.status,
          created_at: DateTime.toDateUtc(f.createdAt),
          closed_at: f.status === "open" ? null : DateTime.toDateUtc(f.createdAt),
          closed_by: f.status === "open" ? null : MODERATOR
        })))
      }`
    }
    if (world.appeals.length > 0) {
      yield* sql`INSERT INTO moderation_appeals ${
        sql.insert(world.appeals.map((p) => ({
          id: p.id,
          alert_id: p.alertId,
          author_id: AUTHOR,
          text: "Mon alerte était exacte.",
          created_at: DateTime.toDateUtc(p.createdAt),
          status: p.status,
          decided_by: p.status === "pending" ? null : MODERATOR,
          decided_at: p.status === "pending" ? null : DateTime.toDateUtc(p.createdAt),
          decision_reason: p.status === "pending" ? null : "Décision de la modération."
        })))
      }`
    }
  })

const plain = (entries: ReadonlyArray<QueueEntry>) =>
  entries.map((e) => `${e.kind} ${e.alertId} ${DateTime.formatIso(e.since)} ${Option.getOrElse(e.appealId, () => "-")}`)

interface QueuePage {
  readonly c: QueueCase
  readonly kind: Option.Option<QueueItemKind>
  readonly offset: number
  readonly limit: number
}

const queueAgreement = ({ c, kind, limit, offset }: QueuePage) =>
  Effect.gen(function*() {
    const repo = yield* ModerationQueueRepo
    yield* seedQueue(c)
    const all = yield* repo.queue({ kind: Option.none(), offset: 0, limit: 1000 })
    assert.deepStrictEqual(plain(all), plain(queueEntries(c.world)))
    const page = yield* repo.queue({ kind, offset, limit })
    assert.deepStrictEqual(plain(page), plain(queueEntries(c.world, kind).slice(offset, offset + limit)))
    const counts = yield* repo.queueCounts
    assert.deepStrictEqual({ ...counts }, { ...queueCounts(c.world) })
  })

const queueCase = fc.record({
  c: queueCaseArb,
  kind: fc.option(fc.constantFrom(...QUEUE_SECTIONS), { nil: undefined }).map(Option.fromNullable),
  offset: fc.nat({ max: 4 }),
  limit: fc.integer({ min: 1, max: 6 })
})

const countsAgreement = (c: CountsCase) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* ModerationQueueRepo
    yield* fresh
    yield* sql`INSERT INTO accounts ${sql.insert(c.authors.map((id) => person(id)))}`
    const base = DateTime.unsafeMake("2025-06-01T08:00:00Z")
    if (c.alerts.length > 0) {
      yield* sql`INSERT INTO alerts ${
        sql.insert(c.alerts.map((a, i) => ({
          ...alertRow({
            id: crypto.randomUUID(),
            authorId: a.authorId,
            status: a.status,
            origin: "web",
            createdAt: DateTime.add(base, { minutes: i })
          }),
          hold_reasons: [...a.holdReasons]
        })))
      }`
    }
    if (c.audit.length > 0) {
      yield* sql`INSERT INTO moderation_audit ${
        sql.insert(c.audit.map((e, i) => ({
          at: DateTime.toDateUtc(DateTime.add(base, { minutes: i })),
          actor_id: MODERATOR,
          actor_role: "moderator",
          action: e.action,
          target_kind: "account",
          target_id: e.accountId ?? MODERATOR,
          account_id: e.accountId ?? null
        })))
      }`
    }
    const records = yield* (yield* ModeratedAlertRepo).authors(c.authors)
    assert.strictEqual(records.length, c.authors.length)
    for (const r of records) {
      const twin = authorCounts(r.author.accountId, c.alerts, c.audit)
      assert.deepStrictEqual({
        posted: r.alertsPosted,
        held: r.alertsHeld,
        hidden: r.alertsHidden,
        warnings: r.warnings,
        suspensions: r.suspensions
      }, twin)
    }
    assert.strictEqual((yield* repo.queueCounts).held, heldNow(c.alerts))
  })

const noticeAgreement = (c: NoticeCase) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const notices = yield* Notices
    yield* fresh
    const a = c.account
    yield* sql`INSERT INTO accounts ${
      sql.insert({
        ...person(a.id, a.status),
        email: Option.getOrNull(a.email),
        phone: Option.getOrNull(a.phone),
        phone_verified: a.phoneVerified
      })
    }`
    if (c.suppressedPhones.length > 0) {
      const stops = c.suppressedPhones.map((phone) => ({ phone, reason: "stop_keyword" }))
      yield* sql`INSERT INTO sms_suppressions ${sql.insert(stops)}`
    }
    const [audit] = yield* sql<{ id: AuditEntryId }>`
      INSERT INTO moderation_audit (at, actor_id, actor_role, action, target_kind, target_id, account_id)
      VALUES (${DateTime.toDateUtc(c.now)}, ${MODERATOR}, 'moderator', 'warn', 'account', ${a.id}, ${a.id})
      RETURNING id`
    const auditId = audit!.id
    const body = "Vigie : vous avez reçu un avertissement."
    const result = yield* notices.notify({ decisionId: auditId, accountIds: [a.id], body, channels: c.channels }, c.now)
    const rows = yield* sql<{ account_id: string; channel: string; destination: string; next_attempt_at: Date }>`
      SELECT account_id, channel, destination, next_attempt_at FROM deliveries WHERE audit_id = ${auditId}`
    const key = (d: { accountId: string; channel: string; destination: string; at: number }) =>
      `${d.accountId}|${d.channel}|${d.destination}|${new Date(d.at).toISOString()}`
    const twin = noticeDeliveries({ channels: c.channels }, a, c.suppressedPhones, c.now)
    assert.deepStrictEqual(
      rows.map((r) => key({ ...r, accountId: r.account_id, at: r.next_attempt_at.getTime() })).sort(),
      twin.map((p) => key({ ...p, at: DateTime.toEpochMillis(p.notBefore) })).sort()
    )
    assert.deepStrictEqual(result, {
      sms: twin.filter((p) => p.channel === "sms").length,
      email: twin.filter((p) => p.channel === "email").length
    })
    const [messages] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM messages WHERE audit_id = ${auditId}`
    assert.strictEqual(messages?.n, twin.length > 0 ? 1 : 0)
  })

/** Runs `check` on `runs` generated cases, each on the suite's database. */
/** `agree` over the repositories of this file. */
const agreeOver = <A>(
  arbitrary: fc.Arbitrary<A>,
  check: (a: A) => Effect.Effect<void, unknown, Services>,
  runs: number
) => agree(arbitrary, check, runs).pipe(Effect.provide(layer))

describeEachDatabase("SQL moderation rules agree with the domain's queue, held counts and notice recipients", (it) => {
  it.effect(
    "the queue: sections, order, one section, pages, counts",
    () => agreeOver(queueCase, queueAgreement, 30),
    120_000
  )
  it.effect(
    "authors' records (posted, held, hidden, warnings, suspensions) and the held count",
    () => agreeOver(countsCaseArb, countsAgreement, 25),
    120_000
  )
  it.effect(
    "notices: channels, STOP, erased and suspended accounts, sent at once",
    () => agreeOver(noticeCaseArb, noticeAgreement, 30),
    120_000
  )
})
