import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { AccountId } from "@vigie/domain/accounts/Account"
import { RetentionRepo } from "@vigie/domain/accounts/RetentionRepo"
import type { RetentionCutoffs } from "@vigie/domain/accounts/Retention"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
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
 * The retention job's statements. `exclusively` takes `pg_try_advisory_xact_lock` in its
 * transaction (released by the commit): a process that does not get it skips the run, and one that
 * gets it after another's commit sees that run in `retention_runs` and skips too. On embedded
 * PostgreSQL (one backend) the second run waits for the first transaction and then skips the same
 * way.
 *
 * Tables added later with personal data to age out add a method here and a line in RetentionJob.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const affected = (rows: ReadonlyArray<unknown>) => rows.length

  return RetentionRepo.of({
    exclusively: (job, now, isDue, work) =>
      sql.withTransaction(Effect.gen(function*() {
        const [lock] = yield* sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${
          lockOf(job)
        })) AS locked`.pipe(mapFailures())
        if (lock?.locked !== true) return Option.none()
        const [last] = yield* sql<
          { last_run_at: Date }
        >`SELECT last_run_at FROM retention_runs WHERE job = ${job} FOR UPDATE`.pipe(mapFailures())
        if (!isDue(Option.map(Option.fromNullable(last), (l) => DateTime.unsafeMake(l.last_run_at)))) {
          return Option.none()
        }
        const result = yield* work
        yield* sql`
INSERT INTO retention_runs (job, last_run_at) VALUES (${job}, ${date(now)})
ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at`.pipe(mapFailures())
        return Option.some(result)
      })).pipe(
        Effect.catchIf((error): error is SqlError => error instanceof SqlError, Effect.die),
        Effect.withSpan("PgRetention.exclusively")
      ) as Effect.Effect<Option.Option<never>, never, never>,

    deleteEndedSessions: (c: RetentionCutoffs) =>
      Effect.gen(function*() {
        yield* sql`
UPDATE accounts a SET last_active_at = s.seen
FROM (SELECT account_id, max(last_seen_at) AS seen FROM sessions GROUP BY account_id) s
WHERE s.account_id = a.id AND (a.last_active_at IS NULL OR a.last_active_at < s.seen)`
        return affected(
          yield* sql`
DELETE FROM sessions WHERE expires_at <= ${date(c.now)} OR last_seen_at < ${
            date(c.sessionsIdleBefore)
          } RETURNING 1 AS one`
        )
      }).pipe(mapFailures(), Effect.withSpan("PgRetention.deleteEndedSessions")),

    deleteOldLoginFailures: (c) =>
      sql`DELETE FROM login_failures WHERE last_failure_at < ${date(c.loginFailuresBefore)} RETURNING 1 AS one`.pipe(
        Effect.map(affected),
        mapFailures(),
        Effect.withSpan("PgRetention.deleteOldLoginFailures")
      ),

    anonymiseDeliveries: (c) =>
      Effect.gen(function*() {
        const n = affected(
          yield* sql`
UPDATE deliveries SET destination = '', last_error = NULL
WHERE created_at < ${date(c.deliveriesBefore)} AND destination <> ''
  AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')
RETURNING 1 AS one`
        )
        // The outboxes stand for the providers in development: their copies age out the same way.
        yield* sql`UPDATE sms_outbox SET destination = '', text = '' WHERE created_at < ${
          date(c.deliveriesBefore)
        } AND destination <> ''`
        yield* sql`UPDATE email_outbox SET destination = '', text = '', html = '' WHERE created_at < ${
          date(c.deliveriesBefore)
        } AND destination <> ''`
        return n
      }).pipe(mapFailures(), Effect.withSpan("PgRetention.anonymiseDeliveries")),

    anonymiseInboundSms: (c) =>
      sql`
UPDATE inbound_sms SET from_number = '', sender = '', text = '', reply_to = NULL, reply_text = NULL,
  anonymised_at = ${date(c.now)}
WHERE received_at < ${date(c.inboundSmsBefore)} AND anonymised_at IS NULL
  AND handling IN ('handled', 'dead') AND (reply_status IS NULL OR reply_status NOT IN ('pending', 'sending'))
RETURNING 1 AS one`.pipe(Effect.map(affected), mapFailures(), Effect.withSpan("PgRetention.anonymiseInboundSms")),

    deleteOldLetters: (c) =>
      sql<{ file_path: string }>`DELETE FROM postal_outbox WHERE created_at < ${
        date(c.lettersBefore)
      } RETURNING file_path`.pipe(
        Effect.map((rows) => rows.map((r) => r.file_path)),
        mapFailures(),
        Effect.withSpan("PgRetention.deleteOldLetters")
      ),

    deleteUnusedLoginDevices: (c) =>
      sql`DELETE FROM login_devices WHERE last_used_at < ${date(c.loginDevicesBefore)} RETURNING 1 AS one`.pipe(
        Effect.map(affected),
        mapFailures(),
        Effect.withSpan("PgRetention.deleteUnusedLoginDevices")
      ),

    deleteOldVerificationSms: (c) =>
      sql`
DELETE FROM verification_sms v WHERE v.created_at < ${date(c.verificationSmsBefore)}
  AND NOT (v.purpose = 'phone_code' AND v.account_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM memberships m WHERE m.account_id = v.account_id AND m.status = 'verified'))
RETURNING 1 AS one`.pipe(Effect.map(affected), mapFailures(), Effect.withSpan("PgRetention.deleteOldVerificationSms")),

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
      sql`DELETE FROM rate_counters WHERE expires_at < ${date(c.now)} RETURNING 1 AS one`.pipe(
        Effect.map(affected),
        mapFailures(),
        Effect.withSpan("PgRetention.deleteEndedRateCounters")
      ),

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

export const layer = Layer.effect(RetentionRepo, make)
