import { SqlClient } from "@effect/sql"
import { EmailAlreadyUsed } from "@vigie/domain/accounts/AccountErrors"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { MembershipId } from "@vigie/domain/membership/Membership"
import { PaperRegistrationRepo } from "@vigie/domain/registration/PaperRegistrationRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const date = DateTime.toDateUtc

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

const ClaimLetterRow = Schema.Struct({
  id: Schema.String,
  code_hash: Schema.Uint8ArrayFromSelf,
  status: Schema.Literal("pending", "used", "locked", "superseded"),
  attempts: Schema.NonNegativeInt,
  expires_at: Schema.DateTimeUtcFromDate
})
const decodeClaimLetter = Schema.decodeUnknown(ClaimLetterRow)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return PaperRegistrationRepo.of({
    record: (r) =>
      sql`
INSERT INTO paper_registrations (membership_id, account_id, recorded_by, recorded_at, consent, phone_kind)
VALUES (${r.membershipId}, ${r.accountId}, ${r.recordedBy}, ${date(r.recordedAt)}, true, ${r.phoneKind})`.pipe(
        Effect.zipRight(
          r.voiceUrgent
            ? sql`
INSERT INTO notification_preferences (account_id, voice_urgent) VALUES (${r.accountId}, true)
ON CONFLICT (account_id) DO UPDATE SET voice_urgent = true, updated_at = now()`
            : Effect.void
        ),
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
    unclaimedForLetter: (phone) =>
      sql<{ account_id: AccountId; membership_id: MembershipId }>`
SELECT a.id AS account_id, p.membership_id FROM accounts a
JOIN paper_registrations p ON p.account_id = a.id AND p.claimed_at IS NULL
JOIN memberships m ON m.id = p.membership_id AND m.status = 'verified'
WHERE a.phone = ${phone} AND a.status = 'active' AND a.email IS NULL AND a.password_hash IS NULL
ORDER BY p.recorded_at DESC LIMIT 1`.pipe(
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => ({ accountId: r.account_id, membershipId: r.membership_id }))
        ),
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.unclaimedForLetter")
      ),
    insertClaimLetter: (l) =>
      sql`
WITH superseded AS (
  UPDATE account_claim_letters SET status = 'superseded' WHERE account_id = ${l.accountId} AND status = 'pending'
)
INSERT INTO account_claim_letters (account_id, code_hash, created_at, expires_at)
VALUES (${l.accountId}, ${toBuffer(l.codeHash)}, ${date(l.createdAt)}, ${date(l.expiresAt)})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.insertClaimLetter")
      ),
    latestClaimLetter: (accountId) =>
      sql`
SELECT id::text AS id, code_hash, status, attempts, expires_at FROM account_claim_letters
WHERE account_id = ${accountId} ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.succeed(Option.none())
            : Effect.map(decodeClaimLetter(rows[0]), (r) =>
              Option.some({ id: r.id, codeHash: r.code_hash, status: r.status, attempts: r.attempts,
                expiresAt: r.expires_at }))
        ),
        Effect.catchTag("ParseError", Effect.die),
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.latestClaimLetter")
      ),
    claimLetterSends: (accountId, since) =>
      sql<{ created_at: Date }>`
SELECT created_at FROM account_claim_letters WHERE account_id = ${accountId} AND created_at >= ${date(since)}
ORDER BY created_at`.pipe(
        Effect.map((rows) => rows.map((r) => DateTime.unsafeFromDate(new Date(r.created_at)))),
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.claimLetterSends")
      ),
    recordClaimLetterAttempt: (id, attempts, status) =>
      sql`UPDATE account_claim_letters SET attempts = ${attempts}, status = ${status} WHERE id = ${id}::uuid`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgPaperRegistrations.recordClaimLetterAttempt")
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
