import { SqlClient } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { EmailAlreadyUsed } from "@vigie/domain/accounts/AccountErrors"
import type { LinkStatus, ResetCodeStatus } from "@vigie/domain/accounts/LifecyclePolicy"
import { LifecycleRepo } from "@vigie/domain/accounts/LifecycleRepo"
import type { StoredEmailChange, StoredReset } from "@vigie/domain/accounts/LifecycleRepo"
import type { Email } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Layer, Option } from "effect"
import { mapFailures } from "./SqlFailure"

const at = (t: DateTime.Utc) => new Date(DateTime.toEpochMillis(t))

interface ResetRow {
  readonly id: string
  readonly account_id: string
  readonly status: ResetCodeStatus
  readonly attempts: number
  readonly expires_at: Date
  readonly secret_hash: Uint8Array
}

const toReset = (row: ResetRow): StoredReset => ({
  id: row.id,
  accountId: row.account_id as AccountId,
  status: row.status,
  attempts: row.attempts,
  expiresAt: DateTime.unsafeMake(row.expires_at),
  secretHash: new Uint8Array(row.secret_hash)
})

interface ChangeRow {
  readonly id: string
  readonly account_id: string
  readonly new_email: string
  readonly status: LinkStatus
  readonly expires_at: Date
}

const toChange = (row: ChangeRow): StoredEmailChange => ({
  id: row.id,
  accountId: row.account_id as AccountId,
  newEmail: row.new_email as Email,
  status: row.status,
  expiresAt: DateTime.unsafeMake(row.expires_at)
})

const resetColumns = "r.id, r.account_id, r.status, r.attempts, r.expires_at, r.secret_hash"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  return LifecycleRepo.of({
    /*
     * The quota row is taken by INSERT ... ON CONFLICT DO UPDATE, which locks it and judges its
     * latest committed version: of concurrent requests, each sees the ones before it. Only when the
     * quota gave a row are the older pending resets replaced and the new one stored.
     */
    issueReset: ({ channel, secretHash, createdAt, expiresAt, quota }) => {
      const byChannel = channel._tag === "Email"
        ? "lower(a.email) = lower($1::text)"
        : "a.phone = $1::text AND a.phone_verified"
      const name = channel._tag === "Email" ? "email" : "sms"
      return sql.unsafe<{ account_id: string; first_name: string }>(
        `
WITH target AS (
  SELECT a.id, a.first_name FROM accounts a WHERE a.status <> 'erased' AND ${byChannel} LIMIT 1
), quota AS (
  INSERT INTO account_quotas AS q (account_id, purpose, window_start, used, last_at)
  SELECT t.id, 'password_reset', $3::timestamptz, 1, $3::timestamptz FROM target t
  ON CONFLICT (account_id, purpose) DO UPDATE SET
    window_start = CASE WHEN q.window_start <= $3::timestamptz - $6::double precision * interval '1 millisecond'
                        THEN $3::timestamptz ELSE q.window_start END,
    used = CASE WHEN q.window_start <= $3::timestamptz - $6::double precision * interval '1 millisecond'
                THEN 1 ELSE q.used + 1 END,
    last_at = $3::timestamptz
  WHERE q.last_at <= $3::timestamptz - $7::double precision * interval '1 millisecond'
    AND (q.window_start <= $3::timestamptz - $6::double precision * interval '1 millisecond' OR q.used < $5::int)
  RETURNING q.account_id
), superseded AS (
  UPDATE password_resets r SET status = 'superseded'
  FROM quota WHERE r.account_id = quota.account_id AND r.channel = $8::text AND r.status = 'pending'
  RETURNING r.id
), inserted AS (
  INSERT INTO password_resets (account_id, channel, secret_hash, created_at, expires_at)
  SELECT quota.account_id, $8::text, $2::bytea, $3::timestamptz, $4::timestamptz FROM quota
  RETURNING account_id
)
SELECT i.account_id, t.first_name FROM inserted i JOIN target t ON t.id = i.account_id`,
        [
          channel._tag === "Email" ? channel.email : channel.phone,
          secretHash,
          at(createdAt),
          at(expiresAt),
          quota.max,
          Duration.toMillis(quota.window),
          Duration.toMillis(quota.minInterval),
          name
        ]
      ).pipe(
        Effect.map((rows) =>
          Option.map(
            Option.fromNullable(rows[0]),
            (row) => ({ accountId: row.account_id as AccountId, firstName: row.first_name })
          )
        ),
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.issueReset")
      )
    },
    findLinkReset: (secretHash, lock) =>
      sql.unsafe<ResetRow>(
        `SELECT ${resetColumns} FROM password_resets r WHERE r.channel = 'email' AND r.secret_hash = $1::bytea${
          lock ? " FOR UPDATE" : ""
        }`,
        [secretHash]
      ).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toReset)),
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.findLinkReset")
      ),
    latestCodeReset: (phone) =>
      sql.unsafe<ResetRow>(
        `SELECT ${resetColumns} FROM password_resets r JOIN accounts a ON a.id = r.account_id
WHERE a.phone = $1::text AND a.phone_verified AND a.status <> 'erased' AND r.channel = 'sms'
ORDER BY r.created_at DESC, r.id DESC LIMIT 1 FOR UPDATE OF r`,
        [phone]
      ).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toReset)),
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.latestCodeReset")
      ),
    recordResetAttempt: (id, attempts, status) =>
      sql`UPDATE password_resets SET attempts = ${attempts}, status = ${status} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.recordResetAttempt")
      ),
    useReset: (id, accountId, when) =>
      sql.unsafe(
        `UPDATE password_resets SET status = CASE WHEN id = $1::uuid THEN 'used' ELSE 'superseded' END,
  used_at = CASE WHEN id = $1::uuid THEN $3::timestamptz ELSE used_at END
WHERE account_id = $2::uuid AND (id = $1::uuid OR status = 'pending')`,
        [id, accountId, at(when)]
      ).pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgLifecycleRepo.useReset")),
    supersedeResets: (accountId) =>
      sql`UPDATE password_resets SET status = 'superseded' WHERE account_id = ${accountId} AND status = 'pending'`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.supersedeResets")
      ),
    setPasswordHash: (accountId, hash) =>
      sql`UPDATE accounts SET password_hash = ${hash} WHERE id = ${accountId}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.setPasswordHash")
      ),
    endSessions: (accountId, keep) =>
      sql.unsafe(
        `DELETE FROM sessions WHERE account_id = $1::uuid AND ($2::uuid IS NULL OR id <> $2::uuid)`,
        [accountId, Option.getOrNull(keep)]
      ).pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgLifecycleRepo.endSessions")),
    lockAccount: (accountId, purpose) =>
      sql`INSERT INTO account_locks (account_id, purpose) VALUES (${accountId}, ${purpose})
ON CONFLICT (account_id, purpose) DO UPDATE SET purpose = excluded.purpose`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.lockAccount")
      ),
    emailChangeSends: (accountId, since) =>
      sql<
        { created_at: Date }
      >`SELECT created_at FROM email_changes WHERE account_id = ${accountId} AND created_at >= ${
        at(since)
      } ORDER BY created_at`.pipe(
        Effect.map((rows) => rows.map((row) => DateTime.unsafeMake(row.created_at))),
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.emailChangeSends")
      ),
    insertEmailChange: (change) =>
      sql.unsafe(
        `WITH replaced AS (
  UPDATE email_changes SET status = 'superseded' WHERE account_id = $1::uuid AND status = 'pending' RETURNING id
)
INSERT INTO email_changes (account_id, new_email, token_hash, status, created_at, expires_at)
VALUES ($1::uuid, $2::text, $3::bytea, CASE WHEN $3::bytea IS NULL THEN 'superseded' ELSE 'pending' END,
  $4::timestamptz, $5::timestamptz)`,
        [change.accountId, change.newEmail, Option.getOrNull(change.tokenHash), at(change.createdAt),
          at(change.expiresAt)]
      ).pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgLifecycleRepo.insertEmailChange")),
    findEmailChange: (tokenHash) =>
      sql.unsafe<ChangeRow>(
        `SELECT id, account_id, new_email, status, expires_at FROM email_changes WHERE token_hash = $1::bytea FOR UPDATE`,
        [tokenHash]
      ).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toChange)),
        mapFailures(),
        Effect.withSpan("PgLifecycleRepo.findEmailChange")
      ),
    applyEmailChange: (change, when) =>
      Effect.gen(function*() {
        yield* sql`UPDATE accounts SET email = ${change.newEmail} WHERE id = ${change.accountId}`
        yield* sql.unsafe(
          `UPDATE email_changes SET status = CASE WHEN id = $1::uuid THEN 'used' ELSE 'superseded' END,
  used_at = CASE WHEN id = $1::uuid THEN $3::timestamptz ELSE used_at END
WHERE account_id = $2::uuid AND (id = $1::uuid OR status = 'pending')`,
          [change.id, change.accountId, at(when)]
        )
      }).pipe(
        mapFailures({ accounts_email_key: () => new EmailAlreadyUsed() }),
        Effect.withSpan("PgLifecycleRepo.applyEmailChange")
      )
  })
})

export const layer = Layer.effect(LifecycleRepo, make)
