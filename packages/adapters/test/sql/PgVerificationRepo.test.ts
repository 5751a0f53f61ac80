import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { VerificationRepo } from "@vigie/domain/verification/VerificationRepo"
import { DateTime, Effect, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { address, bordeaux, email, phone, repositories, square } from "./Fixtures"

const setUp = Effect.gen(function*() {
  const account = yield* (yield* AccountRepo).insert({
    firstName: "Inès",
    lastName: "Moreau",
    email: Option.some(email()),
    phone: Option.none(),
    phoneVerified: false,
    passwordHash: Option.none(),
    staffRoles: []
  })
  const community = yield* (yield* CommunityRepo).insert({ insee: bordeaux, name: "Bastide", perimeter: square })
  const membership = yield* (yield* MembershipRepo).insert({
    accountId: account.id,
    communityId: community.id,
    role: "resident",
    status: "pending_verification",
    address: address()
  })
  return { account, membership }
})

const t0 = DateTime.unsafeMake("2026-05-01T10:00:00.123Z")
const bytes = (...values: Array<number>) => new Uint8Array(values)

describeEachDatabase("PgVerificationRepo", (it) => {
  it.effect("stores letters with their code hash; a new letter supersedes the pending one", () =>
    Effect.gen(function*() {
      const verifications = yield* VerificationRepo
      const { membership } = yield* setUp
      const letter = (at: DateTime.Utc, hash: Uint8Array) =>
        verifications.insertAddress({
          membershipId: membership.id,
          method: "letter",
          codeHash: Option.some(hash),
          status: "pending",
          createdAt: at,
          expiresAt: DateTime.add(at, { days: 30 }),
          vouchedBy: Option.none()
        })
      const first = yield* letter(t0, bytes(1, 2, 3))
      const second = yield* letter(DateTime.add(t0, { days: 1 }), bytes(4, 5, 6))
      assert.deepStrictEqual(second.createdAt, DateTime.add(t0, { days: 1 }))
      const latest = Option.getOrThrow(yield* verifications.latestAddress(membership.id))
      assert.deepStrictEqual(latest.verification, second)
      assert.deepStrictEqual(Option.map(latest.codeHash, (h) => [...h]), Option.some([4, 5, 6]))
      assert.deepStrictEqual(yield* verifications.addressSends(membership.id, t0), [first.createdAt, second.createdAt])
      yield* verifications.recordAddressAttempt(second.id, 2, "pending")
      const after = Option.getOrThrow(yield* verifications.latestAddress(membership.id))
      assert.strictEqual(after.verification.attempts, 2)
      const sql = yield* SqlClient.SqlClient
      const [superseded] = yield* sql<
        { status: string }
      >`SELECT status FROM address_verifications WHERE id = ${first.id}`
      assert.strictEqual(superseded?.status, "superseded")
    }).pipe(Effect.provide(repositories)))

  it.effect("stores SMS codes; a new one supersedes the pending one", () =>
    Effect.gen(function*() {
      const verifications = yield* VerificationRepo
      const { account } = yield* setUp
      const number = phone()
      const code = (at: DateTime.Utc, hash: Uint8Array) =>
        verifications.insertPhone({
          accountId: account.id,
          phone: number,
          codeHash: hash,
          createdAt: at,
          expiresAt: DateTime.add(at, { minutes: 10 })
        })
      yield* code(t0, bytes(9))
      const second = yield* code(DateTime.add(t0, { minutes: 2 }), bytes(8, 7))
      const latest = Option.getOrThrow(yield* verifications.latestPhone(account.id))
      assert.deepStrictEqual(latest.verification, second)
      assert.deepStrictEqual([...latest.codeHash], [8, 7])
      assert.strictEqual((yield* verifications.phoneSends(account.id, t0)).length, 2)
      yield* verifications.recordPhoneAttempt(second.id, 1, "used")
      const used = Option.getOrThrow(yield* verifications.latestPhone(account.id))
      assert.strictEqual(used.verification.status, "used")
    }).pipe(Effect.provide(repositories)))
})
