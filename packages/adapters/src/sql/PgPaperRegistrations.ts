import { SqlClient } from "@effect/sql"
import { EmailAlreadyUsed } from "@vigie/domain/accounts/AccountErrors"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { PaperRegistrationRepo } from "@vigie/domain/registration/PaperRegistrationRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures } from "./SqlFailure"

const date = DateTime.toDateUtc

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return PaperRegistrationRepo.of({
    record: (r) =>
      sql`
INSERT INTO paper_registrations (membership_id, account_id, recorded_by, recorded_at, consent, phone_kind)
VALUES (${r.membershipId}, ${r.accountId}, ${r.recordedBy}, ${date(r.recordedAt)}, true, ${r.phoneKind})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.record")
      ),
    unclaimedByPhone: (phone) =>
      sql<{ id: AccountId }>`
SELECT a.id FROM accounts a
WHERE a.phone = ${phone} AND a.phone_verified AND a.status = 'active' AND a.email IS NULL
  AND a.password_hash IS NULL
  AND EXISTS (SELECT 1 FROM paper_registrations p WHERE p.account_id = a.id AND p.claimed_at IS NULL)`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => r.id)),
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.unclaimedByPhone")
      ),
    claim: (accountId, email, passwordHash, at) =>
      sql<{ id: AccountId }>`
WITH claimed AS (
  UPDATE accounts SET email = ${email}, password_hash = ${passwordHash}
  WHERE id = ${accountId} AND status = 'active' AND email IS NULL AND password_hash IS NULL
  RETURNING id
), marked AS (
  UPDATE paper_registrations SET claimed_at = ${date(at)}
  WHERE account_id IN (SELECT id FROM claimed) AND claimed_at IS NULL
)
SELECT id FROM claimed`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures({ accounts_email_key: () => new EmailAlreadyUsed() }),
        Effect.withSpan("PgPaperRegistrations.claim")
      )
  })
})

export const layer = Layer.effect(PaperRegistrationRepo, make)
