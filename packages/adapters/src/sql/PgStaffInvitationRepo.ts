import { SqlClient } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { StaffInvitationRepo } from "@vigie/domain/accounts/StaffInvitationRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures } from "./SqlFailure"

const date = (at: DateTime.Utc) => new Date(DateTime.toEpochMillis(at))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return StaffInvitationRepo.of({
    insert: ({ accountId, createdAt, expiresAt, tokenHash }) =>
      sql`
INSERT INTO staff_invitations (token_hash, account_id, created_at, expires_at)
VALUES (${tokenHash}, ${accountId}, ${date(createdAt)}, ${date(expiresAt)})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgStaffInvitationRepo.insert")
      ),
    find: (tokenHash) =>
      sql<{ account_id: AccountId; expires_at: Date; used: boolean }>`
SELECT account_id, expires_at, used_at IS NOT NULL AS used FROM staff_invitations WHERE token_hash = ${tokenHash}`.pipe(
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => ({
            accountId: r.account_id,
            expiresAt: DateTime.unsafeMake(r.expires_at),
            used: r.used
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgStaffInvitationRepo.find")
      ),
    accept: (tokenHash, passwordHash, at) =>
      sql<{ id: AccountId }>`
WITH used AS (
  UPDATE staff_invitations SET used_at = ${date(at)}
  WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${date(at)}
  RETURNING account_id
)
UPDATE accounts SET password_hash = ${passwordHash} FROM used WHERE accounts.id = used.account_id
RETURNING accounts.id`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => r.id)),
        mapFailures(),
        Effect.withSpan("PgStaffInvitationRepo.accept")
      )
  })
})

export const layer = Layer.effect(StaffInvitationRepo, make)
