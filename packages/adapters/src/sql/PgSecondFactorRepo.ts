import { SqlClient } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { SecondFactorRepo, type SecondFactorState } from "@vigie/domain/accounts/SecondFactorRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures, type RepoFailure } from "./SqlFailure"

interface Row {
  readonly sealed_secret: Uint8Array | null
  readonly pending_sealed_secret: Uint8Array | null
  readonly enrolled_at: Date | null
  readonly last_step: string | number
  readonly failures: number
  readonly last_failure_at: Date | null
}

const bytes = (value: Uint8Array | null) => (value === null ? Option.none() : Option.some(new Uint8Array(value)))

const stateOf = (row: Row): SecondFactorState => ({
  sealedSecret: bytes(row.sealed_secret),
  pendingSealedSecret: bytes(row.pending_sealed_secret),
  enrolled: row.enrolled_at !== null,
  lastStep: Number(row.last_step),
  failures: row.failures,
  lastFailureAt: row.last_failure_at === null ? undefined : DateTime.unsafeMake(row.last_failure_at)
})

const columns = "sealed_secret, pending_sealed_secret, enrolled_at, last_step, failures, last_failure_at"
const date = (at: DateTime.Utc) => new Date(DateTime.toEpochMillis(at))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const span = (name: string) => <A, R>(self: Effect.Effect<A, RepoFailure, R>) =>
    self.pipe(mapFailures(), Effect.withSpan(`PgSecondFactorRepo.${name}`))

  const select = (accountId: AccountId, forUpdate: boolean) =>
    sql<Row>`SELECT ${sql.literal(columns)} FROM second_factors WHERE account_id = ${accountId} ${
      sql.literal(forUpdate ? "FOR UPDATE" : "")
    }`
      .pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), stateOf)))

  return SecondFactorRepo.of({
    isEnrolled: (accountId) =>
      sql<{ n: number }>`SELECT 1 AS n FROM second_factors WHERE account_id = ${accountId} AND enrolled_at IS NOT NULL`
        .pipe(
          Effect.map((rows) => rows.length > 0),
          span("isEnrolled")
        ),
    find: (accountId) => select(accountId, false).pipe(span("find")),
    lock: (accountId) => select(accountId, true).pipe(span("lock")),
    startEnrolment: (accountId, sealedSecret) =>
      sql<{ account_id: string }>`
INSERT INTO second_factors (account_id, pending_sealed_secret) VALUES (${accountId}, ${sealedSecret})
ON CONFLICT (account_id) DO UPDATE SET pending_sealed_secret = excluded.pending_sealed_secret
  WHERE second_factors.enrolled_at IS NULL
RETURNING account_id`.pipe(Effect.map((rows) => rows.length > 0), span("startEnrolment")),
    completeEnrolment: (accountId, { at, recoveryCodeHashes, step }) =>
      Effect.gen(function*() {
        yield* sql`
UPDATE second_factors SET sealed_secret = pending_sealed_secret, pending_sealed_secret = NULL, enrolled_at = ${
          date(at)
        },
  last_step = ${step}, failures = 0, last_failure_at = NULL
WHERE account_id = ${accountId}`
        yield* sql`DELETE FROM recovery_codes WHERE account_id = ${accountId}`
        yield* sql`INSERT INTO recovery_codes ${
          sql.insert(recoveryCodeHashes.map((h) => ({ account_id: accountId, code_hash: h })))
        }`
      }).pipe(span("completeEnrolment")),
    recordFailure: (accountId, at) =>
      sql`UPDATE second_factors SET failures = failures + 1, last_failure_at = ${
        date(at)
      } WHERE account_id = ${accountId}`.pipe(
        Effect.asVoid,
        span("recordFailure")
      ),
    recordSuccess: (accountId, step) =>
      (step === undefined
        ? sql`UPDATE second_factors SET failures = 0, last_failure_at = NULL WHERE account_id = ${accountId}`
        : sql`UPDATE second_factors SET failures = 0, last_failure_at = NULL, last_step = GREATEST(last_step, ${step})
WHERE account_id = ${accountId}`).pipe(Effect.asVoid, span("recordSuccess")),
    useRecoveryCode: (accountId, codeHash, at) =>
      sql<{ account_id: string }>`
UPDATE recovery_codes SET used_at = ${date(at)}
WHERE account_id = ${accountId} AND code_hash = ${codeHash} AND used_at IS NULL
RETURNING account_id`.pipe(Effect.map((rows) => rows.length > 0), span("useRecoveryCode")),
    unusedRecoveryCodes: (accountId) =>
      sql<
        { n: number }
      >`SELECT count(*)::int AS n FROM recovery_codes WHERE account_id = ${accountId} AND used_at IS NULL`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        span("unusedRecoveryCodes")
      ),
    insertChallenge: ({ accountId, expiresAt, tokenHash }) =>
      Effect.gen(function*() {
        // Expired challenges of the account go as a new one comes.
        yield* sql`DELETE FROM sign_in_challenges WHERE account_id = ${accountId} AND expires_at < now()`
        yield* sql`INSERT INTO sign_in_challenges (token_hash, account_id, expires_at) VALUES (${tokenHash}, ${accountId}, ${
          date(expiresAt)
        })`
      }).pipe(span("insertChallenge")),
    findChallenge: (tokenHash) =>
      sql<
        { account_id: AccountId; expires_at: Date }
      >`SELECT account_id, expires_at FROM sign_in_challenges WHERE token_hash = ${tokenHash}`.pipe(
        Effect.map((rows) =>
          Option.map(
            Option.fromNullable(rows[0]),
            (r) => ({ accountId: r.account_id, expiresAt: DateTime.unsafeMake(r.expires_at) })
          )
        ),
        span("findChallenge")
      ),
    deleteChallenge: (tokenHash) =>
      sql`DELETE FROM sign_in_challenges WHERE token_hash = ${tokenHash}`.pipe(Effect.asVoid, span("deleteChallenge"))
  })
})

export const layer = Layer.effect(SecondFactorRepo, make)
