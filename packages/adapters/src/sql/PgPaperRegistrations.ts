import { SqlClient } from "@effect/sql"
import { EmailAlreadyUsed } from "@vigie/domain/accounts/AccountErrors"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { PhoneKind } from "@vigie/domain/channels/PhoneNumbers"
import type { MembershipId } from "@vigie/domain/membership/Membership"
import { PaperRegistrationRecord } from "@vigie/domain/registration/PaperRegistration"
import { PaperRegistrationRepo } from "@vigie/domain/registration/PaperRegistrationRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures } from "./SqlFailure"

const date = DateTime.toDateUtc

interface RecordRow {
  readonly membership_id: MembershipId
  readonly recorded_by: AccountId | null
  readonly recorded_by_name: string | null
  readonly recorded_at: Date
  readonly consent: boolean
  readonly phone_kind: PhoneKind
  readonly claimed_at: Date | null
}

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
      ),
    ofAccount: (accountId) =>
      sql<RecordRow>`
SELECT p.membership_id, p.recorded_by, r.first_name || ' ' || r.last_name AS recorded_by_name, p.recorded_at,
       p.consent, p.phone_kind, p.claimed_at
FROM paper_registrations p LEFT JOIN accounts r ON r.id = p.recorded_by
WHERE p.account_id = ${accountId} ORDER BY p.recorded_at`.pipe(
        Effect.map((rows) =>
          rows.map((row) =>
            new PaperRegistrationRecord({
              membershipId: row.membership_id,
              recordedBy: Option.fromNullable(row.recorded_by),
              recordedByName: Option.fromNullable(row.recorded_by_name),
              recordedAt: DateTime.unsafeMake(row.recorded_at),
              consent: row.consent,
              phoneKind: row.phone_kind,
              claimedAt: Option.map(Option.fromNullable(row.claimed_at), DateTime.unsafeMake)
            })
          )
        ),
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.ofAccount")
      )
  })
})

export const layer = Layer.effect(PaperRegistrationRepo, make)
