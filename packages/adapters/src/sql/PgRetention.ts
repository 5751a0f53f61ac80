import { SqlClient } from "@effect/sql"
import type { Statement } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { RetentionRepo } from "@vigie/domain/accounts/RetentionRepo"
import type { RetentionCutoffs } from "@vigie/domain/accounts/Retention"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Exit, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

/** The advisory lock's key for a job: one bigint derived from its name, in SQL (hashtext). */
const lockOf = (job: string) => `vigie.retention.${job}`

const CandidateRow = Schema.Struct({
  id: AccountId,
  email: Schema.NullOr(Email),
  first_name: Schema.String,
  last_active_at: Schema.DateTimeUtcFromDate,
  warned_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  staff: Schema.Boolean
})

const date = (d: DateTime.Utc) => DateTime.toDate(d)

/**
 * Rows per statement of the large retention updates and deletes. Each batch is its own short
 * transaction, so no statement holds row locks or piles up WAL for long, autovacuum can reclaim
 * between batches, and the job can stop between two batches. Measured on a synthetic million
 * deliveries (infra/OPERATIONS.md, "Personal data (GDPR)").
 */
export const defaultBatchSize = 5_000

export interface Options {
  readonly batchSize: number
}

/**
 * Runs `batch` (at most `size` rows, from the key position it is given) until one comes back short;
 * returns the rows done in all. `batch` returns how many rows it did and the key of its last row, from
 * which the next batch starts (a keyset: for the deliveries and inbound SMS, every batch is a range
 * scan of an index from where the last stopped). The deletes ignore it: the rows they did are gone.
 */
const inBatches = <E, R>(
  size: number,
  first: string,
  batch: (from: string) => Effect.Effect<{ readonly n: number; readonly last: string | null }, E, R>
): Effect.Effect<number, E, R> =>
  Effect.gen(function*() {
    let total = 0
    let from = first
    for (;;) {
      const done = yield* batch(from)
      total += done.n
      if (done.n < size || done.last === null) return total
      from = done.last
    }
  })

/**
 * The retention job's statements. `exclusively` claims the run in one short transaction: it takes
 * `pg_try_advisory_xact_lock`, reads the job's last run in `retention_runs` and, when it is due,
 * records this run at once and commits. A process that does not get the lock skips the run, and one
 * that gets it after that commit sees the run recorded and skips too (on embedded PostgreSQL, one
 * backend, the second claim waits for the first transaction and then skips the same way). The work
 * then runs outside any long transaction, its large statements in batches (`inBatches`): if it fails
 * or is interrupted, the claim is taken back so that the next tick runs the job again; if the process
 * dies, the next period's run finishes the work (every statement only touches rows still due).
 *
 * Tables added later with personal data to age out add a method here and a line in RetentionJob.
 */
export const makeWith = (options: Options) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const size = options.batchSize

    const affected = (rows: ReadonlyArray<unknown>) => rows.length

    /** Deletes the rows of `table` matching `where` by `size` at a time (by ctid: any table, no key needed). */
    const deleteInBatches = (table: string, where: Statement.Fragment) =>
      inBatches(size, "", () =>
        sql<{ n: number }>`
WITH done AS (
  DELETE FROM ${sql(table)} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${sql(table)} WHERE ${where} LIMIT ${size}))
  RETURNING 1
)
SELECT count(*)::int AS n FROM done`.pipe(Effect.map(([r]) => ({ n: r?.n ?? 0, last: "" }))))

    return RetentionRepo.of({
      exclusively: (job, now, isDue, work) =>
        Effect.gen(function*() {
          const claim = yield* sql.withTransaction(Effect.gen(function*() {
            const [lock] = yield* sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${
              lockOf(job)
            })) AS locked`
            if (lock?.locked !== true) return Option.none()
            const [last] = yield* sql<
              { last_run_at: Date }
            >`SELECT last_run_at FROM retention_runs WHERE job = ${job} FOR UPDATE`
            const previous = Option.map(Option.fromNullable(last), (l) => l.last_run_at)
            if (!isDue(Option.map(previous, (d) => DateTime.unsafeMake(d)))) return Option.none()
            yield* sql`
INSERT INTO retention_runs (job, last_run_at) VALUES (${job}, ${date(now)})
ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at`
            return Option.some(previous)
          })).pipe(mapFailures())
          if (Option.isNone(claim)) return Option.none()
          // Taken back unless the work succeeds, so that a failed or interrupted run is retried at the
          // next tick rather than a period later (only if no other run has been recorded since).
          const release = Option.match(claim.value, {
            onNone: () => sql`DELETE FROM retention_runs WHERE job = ${job} AND last_run_at = ${date(now)}`,
            onSome: (previous) =>
              sql`UPDATE retention_runs SET last_run_at = ${previous} WHERE job = ${job} AND last_run_at = ${date(now)}`
          }).pipe(
            Effect.catchAllCause((cause) => Effect.logWarning("retention: could not take back the run's claim", cause))
          )
          const result = yield* work.pipe(Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : release))
          return Option.some(result)
        }).pipe(Effect.withSpan("PgRetention.exclusively")) as Effect.Effect<Option.Option<never>, never, never>,

      deleteEndedSessions: (c: RetentionCutoffs) =>
        Effect.gen(function*() {
          yield* sql`
UPDATE accounts a SET last_active_at = s.seen
FROM (SELECT account_id, max(last_seen_at) AS seen FROM sessions GROUP BY account_id) s
WHERE s.account_id = a.id AND (a.last_active_at IS NULL OR a.last_active_at < s.seen)`
          return yield* deleteInBatches(
            "sessions",
            sql`expires_at <= ${date(c.now)} OR last_seen_at < ${date(c.sessionsIdleBefore)}`
          )
        }).pipe(mapFailures(), Effect.withSpan("PgRetention.deleteEndedSessions")),

      deleteOldLoginFailures: (c) =>
        deleteInBatches("login_failures", sql`last_failure_at < ${date(c.loginFailuresBefore)}`).pipe(
          mapFailures(),
          Effect.withSpan("PgRetention.deleteOldLoginFailures")
        ),

      anonymiseDeliveries: (c) =>
        Effect.gen(function*() {
          const before = date(c.deliveriesBefore)
          // Ordered by created_at from where the last batch stopped: a range scan of the partial index
          // deliveries_created (destination <> ''), which the rows done leave.
          const n = yield* inBatches(size, "-infinity", (from) =>
            sql<{ n: number; last: string | null }>`
WITH batch AS (
  SELECT id FROM deliveries
  WHERE created_at >= ${from}::timestamptz AND created_at < ${before} AND destination <> ''
    AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')
  ORDER BY created_at LIMIT ${size}
), done AS (
  UPDATE deliveries d SET destination = '', last_error = NULL FROM batch WHERE d.id = batch.id
  RETURNING d.created_at
)
SELECT count(*)::int AS n, max(created_at)::text AS last FROM done`.pipe(Effect.map(([r]) => r!)))
          // The outboxes stand for the providers in development: their copies age out the same way.
          yield* inBatches(size, "0", (from) =>
            sql<{ n: number; last: string | null }>`
WITH done AS (
  UPDATE sms_outbox SET destination = '', text = '' WHERE id IN (
    SELECT id FROM sms_outbox WHERE id > ${from}::bigint AND created_at < ${before} AND destination <> ''
    ORDER BY id LIMIT ${size})
  RETURNING id
)
SELECT count(*)::int AS n, max(id)::text AS last FROM done`.pipe(Effect.map(([r]) => r!)))
          yield* inBatches(size, "0", (from) =>
            sql<{ n: number; last: string | null }>`
WITH done AS (
  UPDATE email_outbox SET destination = '', text = '', html = '' WHERE id IN (
    SELECT id FROM email_outbox WHERE id > ${from}::bigint AND created_at < ${before} AND destination <> ''
    ORDER BY id LIMIT ${size})
  RETURNING id
)
SELECT count(*)::int AS n, max(id)::text AS last FROM done`.pipe(Effect.map(([r]) => r!)))
          // Voice calls (the number, the text read, the key pressed) are the calls' own copy: deleted
          // after the same period (the contexts that placed them keep their own history).
          yield* deleteInBatches("voice_calls", sql`updated_at < ${before}`)
          return n
        }).pipe(mapFailures(), Effect.withSpan("PgRetention.anonymiseDeliveries")),

      anonymiseInboundSms: (c) =>
        // By received_at: a range scan of inbound_sms_received (anonymised_at IS NULL).
        inBatches(size, "-infinity", (from) =>
          sql<{ n: number; last: string | null }>`
WITH batch AS (
  SELECT message_uuid FROM inbound_sms
  WHERE received_at >= ${from}::timestamptz AND received_at < ${date(c.inboundSmsBefore)} AND anonymised_at IS NULL
    AND handling IN ('handled', 'dead') AND (reply_status IS NULL OR reply_status NOT IN ('pending', 'sending'))
  ORDER BY received_at LIMIT ${size}
), done AS (
  UPDATE inbound_sms i SET from_number = '', sender = '', text = '', reply_to = NULL, reply_text = NULL,
    anonymised_at = ${date(c.now)}
  FROM batch WHERE i.message_uuid = batch.message_uuid
  RETURNING i.received_at
)
SELECT count(*)::int AS n, max(received_at)::text AS last FROM done`.pipe(Effect.map(([r]) => r!))).pipe(
            mapFailures(),
            Effect.withSpan("PgRetention.anonymiseInboundSms")
          ),

      deleteOldLetters: (c) =>
        sql<{ file_path: string }>`DELETE FROM postal_outbox WHERE created_at < ${
          date(c.lettersBefore)
        } RETURNING file_path`.pipe(
          Effect.map((rows) => rows.map((r) => r.file_path)),
          mapFailures(),
          Effect.withSpan("PgRetention.deleteOldLetters")
        ),

      deleteUnusedLoginDevices: (c) =>
        deleteInBatches("login_devices", sql`last_used_at < ${date(c.loginDevicesBefore)}`).pipe(
          mapFailures(),
          Effect.withSpan("PgRetention.deleteUnusedLoginDevices")
        ),

      deleteOldVerificationSms: (c) =>
        deleteInBatches(
          "verification_sms",
          sql`created_at < ${date(c.verificationSmsBefore)}
  AND NOT (purpose = 'phone_code' AND account_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM memberships m WHERE m.account_id = verification_sms.account_id AND m.status = 'verified'))`
        ).pipe(mapFailures(), Effect.withSpan("PgRetention.deleteOldVerificationSms")),

      deleteExpiredLinks: (c) =>
        Effect.gen(function*() {
          const before = date(c.linksExpiredBefore)
          const resets = yield* sql`DELETE FROM password_resets WHERE expires_at < ${before} RETURNING 1 AS one`
          const changes = yield* sql`DELETE FROM email_changes WHERE expires_at < ${before} RETURNING 1 AS one`
          const challenges = yield* sql`DELETE FROM sign_in_challenges WHERE expires_at < ${before} RETURNING 1 AS one`
          const invitations = yield* sql`DELETE FROM staff_invitations WHERE expires_at < ${before} RETURNING 1 AS one`
          return affected(resets) + affected(changes) + affected(challenges) + affected(invitations)
        }).pipe(mapFailures(), Effect.withSpan("PgRetention.deleteExpiredLinks")),

      deleteEndedRateCounters: (c) =>
        deleteInBatches("rate_counters", sql`expires_at < ${date(c.now)}`).pipe(
          mapFailures(),
          Effect.withSpan("PgRetention.deleteEndedRateCounters")
        ),

      deleteOldVeilleHistory: (c) =>
        Effect.zipWith(
          deleteInBatches("veille_events", sql`at < ${date(c.veilleHistoryBefore)}`),
          deleteInBatches(
            "veille_checkins",
            sql`phase = 'closed' AND scheduled_at < ${date(c.veilleHistoryBefore)}`
          ),
          (events, checkIns) => events + checkIns
        ).pipe(mapFailures(), Effect.withSpan("PgRetention.deleteOldVeilleHistory")),

      inactiveCandidates: (c) =>
        sql`
SELECT id, email, first_name, last_active_at, warned_at, staff FROM (
  SELECT a.id, a.email, a.first_name, a.inactivity_warned_at AS warned_at,
    greatest(a.created_at, a.last_active_at,
      (SELECT max(s.last_seen_at) FROM sessions s WHERE s.account_id = a.id),
      (SELECT max(al.created_at) FROM alerts al WHERE al.author_id = a.id)) AS last_active_at,
    EXISTS (SELECT 1 FROM staff_roles r WHERE r.account_id = a.id) AS staff
  FROM accounts a
  WHERE a.status <> 'erased' AND coalesce(a.last_active_at, a.created_at) < ${date(c.warnInactiveBefore)}
) x WHERE last_active_at < ${date(c.warnInactiveBefore)}
ORDER BY id`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(CandidateRow))),
          Effect.map((rows) =>
            rows.map((r) => ({
              accountId: r.id,
              email: Option.fromNullable(r.email),
              firstName: r.first_name,
              lastActiveAt: r.last_active_at,
              warnedAt: Option.fromNullable(r.warned_at),
              staff: r.staff
            }))
          ),
          mapFailures(),
          Effect.withSpan("PgRetention.inactiveCandidates")
        ),

      markWarned: (ids, at) =>
        ids.length === 0
          ? Effect.void
          : sql`UPDATE accounts SET inactivity_warned_at = ${
            Option.getOrNull(Option.map(at, date))
          } WHERE id = ANY (${ids}::uuid[])`.pipe(
            Effect.asVoid,
            mapFailures(),
            Effect.withSpan("PgRetention.markWarned")
          )
    })
  })

export const make = makeWith({ batchSize: defaultBatchSize })

export const layerWith = (options: Options) => Layer.effect(RetentionRepo, makeWith(options))

export const layer = layerWith({ batchSize: defaultBatchSize })
