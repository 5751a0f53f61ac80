import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { MembershipId } from "@vigie/domain/membership/Membership"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import {
  AddressVerification,
  AddressVerificationId,
  AddressVerificationStatus,
  VerificationMethod
} from "@vigie/domain/verification/AddressVerification"
import {
  PhoneVerification,
  PhoneVerificationId,
  PhoneVerificationStatus
} from "@vigie/domain/verification/PhoneVerification"
import { VerificationRepo } from "@vigie/domain/verification/VerificationRepo"
import type { NewAddressVerification } from "@vigie/domain/verification/VerificationRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const CodeHash = Schema.Uint8ArrayFromSelf

const AddressRow = Schema.Struct({
  id: AddressVerificationId,
  membership_id: MembershipId,
  method: VerificationMethod,
  code_hash: Schema.OptionFromNullOr(CodeHash),
  status: AddressVerificationStatus,
  attempts: Schema.NonNegativeInt,
  created_at: Schema.DateTimeUtcFromDate,
  expires_at: Schema.DateTimeUtcFromDate,
  vouched_by: Schema.OptionFromNullOr(AccountId)
})

/** A letter (or vouch) row: the verification, and its code hash beside it (never inside the entity). */
const AddressWithHash = Schema.transform(
  AddressRow,
  Schema.Struct({ verification: Schema.typeSchema(AddressVerification), codeHash: Schema.OptionFromSelf(CodeHash) }),
  {
    strict: true,
    decode: (row) => ({
      verification: new AddressVerification({
        id: row.id,
        membershipId: row.membership_id,
        method: row.method,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        vouchedBy: row.vouched_by
      }, true),
      codeHash: row.code_hash
    }),
    encode: ({ codeHash, verification: v }) => ({
      id: v.id,
      membership_id: v.membershipId,
      method: v.method,
      code_hash: codeHash,
      status: v.status,
      attempts: v.attempts,
      created_at: v.createdAt,
      expires_at: v.expiresAt,
      vouched_by: v.vouchedBy
    })
  }
)

const PhoneRow = Schema.Struct({
  id: PhoneVerificationId,
  account_id: AccountId,
  phone: PhoneE164,
  code_hash: CodeHash,
  status: PhoneVerificationStatus,
  attempts: Schema.NonNegativeInt,
  created_at: Schema.DateTimeUtcFromDate,
  expires_at: Schema.DateTimeUtcFromDate
})

const PhoneWithHash = Schema.transform(
  PhoneRow,
  Schema.Struct({ verification: Schema.typeSchema(PhoneVerification), codeHash: CodeHash }),
  {
    strict: true,
    decode: (row) => ({
      verification: new PhoneVerification({
        id: row.id,
        accountId: row.account_id,
        phone: row.phone,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at,
        expiresAt: row.expires_at
      }, true),
      codeHash: row.code_hash
    }),
    encode: ({ codeHash, verification: v }) => ({
      id: v.id,
      account_id: v.accountId,
      phone: v.phone,
      code_hash: codeHash,
      status: v.status,
      attempts: v.attempts,
      created_at: v.createdAt,
      expires_at: v.expiresAt
    })
  }
)

const SentAt = Schema.Struct({ created_at: Schema.DateTimeUtcFromDate })

const addressColumns = "id, membership_id, method, code_hash, status, attempts, created_at, expires_at, vouched_by"
const phoneColumns = "id, account_id, phone, code_hash, status, attempts, created_at, expires_at"

const toDate = DateTime.toDateUtc
const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /** One statement: the pending letters of the membership are superseded and the new one inserted. */
  const insertAddress = SqlSchema.single({
    Request: Schema.Any,
    Result: AddressWithHash,
    execute: (v: NewAddressVerification) =>
      sql`
WITH superseded AS (
  UPDATE address_verifications SET status = 'superseded'
  WHERE membership_id = ${v.membershipId} AND status = 'pending'
)
INSERT INTO address_verifications (membership_id, method, code_hash, status, created_at, expires_at, vouched_by)
VALUES (${v.membershipId}, ${v.method}, ${Option.getOrNull(Option.map(v.codeHash, toBuffer))}, ${v.status},
        ${toDate(v.createdAt)}, ${toDate(v.expiresAt)}, ${Option.getOrNull(v.vouchedBy)})
RETURNING ${sql.literal(addressColumns)}`
  })

  const latestAddress = SqlSchema.findOne({
    Request: MembershipId,
    Result: AddressWithHash,
    execute: (membershipId) =>
      sql`SELECT ${sql.literal(addressColumns)} FROM address_verifications WHERE membership_id = ${membershipId}
          ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`
  })

  const addressSends = SqlSchema.findAll({
    Request: Schema.Struct({ membershipId: MembershipId, since: Schema.DateTimeUtcFromDate }),
    Result: SentAt,
    execute: ({ membershipId, since }) =>
      sql`SELECT created_at FROM address_verifications
          WHERE membership_id = ${membershipId} AND method = 'letter' AND created_at >= ${since}
          ORDER BY created_at`
  })

  /** One statement: the pending codes of the account are superseded and the new one inserted. */
  const insertPhone = SqlSchema.single({
    Request: Schema.Struct({
      accountId: AccountId,
      phone: PhoneE164,
      codeHash: CodeHash,
      createdAt: Schema.DateTimeUtcFromDate,
      expiresAt: Schema.DateTimeUtcFromDate
    }),
    Result: PhoneWithHash,
    execute: (v) =>
      sql`
WITH superseded AS (
  UPDATE phone_verifications SET status = 'superseded' WHERE account_id = ${v.accountId} AND status = 'pending'
)
INSERT INTO phone_verifications (account_id, phone, code_hash, status, created_at, expires_at)
VALUES (${v.accountId}, ${v.phone}, ${toBuffer(v.codeHash)}, 'pending', ${v.createdAt}, ${v.expiresAt})
RETURNING ${sql.literal(phoneColumns)}`
  })

  const latestPhone = SqlSchema.findOne({
    Request: AccountId,
    Result: PhoneWithHash,
    execute: (accountId) =>
      sql`SELECT ${sql.literal(phoneColumns)} FROM phone_verifications WHERE account_id = ${accountId}
          ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`
  })

  const phoneSends = SqlSchema.findAll({
    Request: Schema.Struct({ accountId: AccountId, since: Schema.DateTimeUtcFromDate }),
    Result: SentAt,
    execute: ({ accountId, since }) =>
      sql`SELECT created_at FROM phone_verifications WHERE account_id = ${accountId} AND created_at >= ${since}
          ORDER BY created_at`
  })

  return VerificationRepo.of({
    insertAddress: (v) =>
      insertAddress(v).pipe(
        Effect.map((row) => row.verification),
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.insertAddress")
      ),
    latestAddress: (membershipId) =>
      latestAddress(membershipId).pipe(mapFailures(), Effect.withSpan("PgVerificationRepo.latestAddress")),
    addressSends: (membershipId, since) =>
      addressSends({ membershipId, since }).pipe(
        Effect.map((rows) => rows.map((row) => row.created_at)),
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.addressSends")
      ),
    recordAddressAttempt: (id, attempts, status) =>
      sql`UPDATE address_verifications SET attempts = ${attempts}, status = ${status} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.recordAddressAttempt")
      ),
    insertPhone: (v) =>
      insertPhone(v).pipe(
        Effect.map((row) => row.verification),
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.insertPhone")
      ),
    latestPhone: (accountId) =>
      latestPhone(accountId).pipe(mapFailures(), Effect.withSpan("PgVerificationRepo.latestPhone")),
    phoneSends: (accountId, since) =>
      phoneSends({ accountId, since }).pipe(
        Effect.map((rows) => rows.map((row) => row.created_at)),
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.phoneSends")
      ),
    recordPhoneAttempt: (id, attempts, status) =>
      sql`UPDATE phone_verifications SET attempts = ${attempts}, status = ${status} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgVerificationRepo.recordPhoneAttempt")
      )
  })
})

export const layer = Layer.effect(VerificationRepo, make)
