import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { uniqueViolation } from "@vigie/adapters/sql/SqlFailure"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Effect, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { address, bordeaux, email, repositories, square } from "./Fixtures"

const setUp = Effect.gen(function*() {
  const account = yield* (yield* AccountRepo).insert({
    firstName: "Léa",
    lastName: "Dubois",
    email: Option.some(email()),
    phone: Option.none(),
    phoneVerified: false,
    passwordHash: Option.none(),
    staffRoles: []
  })
  const communities = yield* CommunityRepo
  const one = yield* communities.insert({ insee: bordeaux, name: "Chartrons", perimeter: square })
  const two = yield* communities.insert({ insee: bordeaux, name: "Saint-Michel", perimeter: square })
  return { account, one, two }
})

describeEachDatabase("PgMembershipRepo", (it) => {
  it.effect("makes the first membership the home one, and only that one", () =>
    Effect.gen(function*() {
      const memberships = yield* MembershipRepo
      const { account, one, two } = yield* setUp
      const first = yield* memberships.insert({
        accountId: account.id,
        communityId: one.id,
        role: "resident",
        status: "pending_verification",
        address: address()
      })
      const second = yield* memberships.insert({
        accountId: account.id,
        communityId: two.id,
        role: "referent",
        status: "verified",
        address: address("3 quai des Chartrons")
      })
      assert.isTrue(first.home)
      assert.isFalse(second.home)
      assert.deepStrictEqual(first.address, address())
      assert.isTrue(Option.isNone(first.verifiedAt))
      assert.isTrue(Option.isSome(second.verifiedAt))
      assert.deepStrictEqual(yield* memberships.listByAccount(account.id), [first, second])
      assert.deepStrictEqual(yield* memberships.findById(second.id), Option.some(second))
    }).pipe(Effect.provide(repositories)))

  it.effect("refuses a second membership of the same community, and a second home row", () =>
    Effect.gen(function*() {
      const memberships = yield* MembershipRepo
      const { account, one, two } = yield* setUp
      const input = { accountId: account.id, communityId: one.id, role: "resident" as const,
        status: "verified" as const, address: address() }
      yield* memberships.insert(input)
      const again = yield* Effect.flip(memberships.insert(input))
      assert.deepStrictEqual(again._tag, "AlreadyMember")
      assert.strictEqual(again.communityId, one.id)
      const other = yield* memberships.insert({ ...input, communityId: two.id })
      assert.isFalse(other.home)
      const sql = yield* SqlClient.SqlClient
      const secondHome = yield* Effect.flip(sql`UPDATE memberships SET home = true WHERE id = ${other.id}`)
      assert.strictEqual(uniqueViolation(secondHome), "memberships_one_home")
    }).pipe(Effect.provide(repositories)))

  it.effect("moves status and role; verifying stamps verified_at", () =>
    Effect.gen(function*() {
      const memberships = yield* MembershipRepo
      const { account, one } = yield* setUp
      const m = yield* memberships.insert({
        accountId: account.id,
        communityId: one.id,
        role: "resident",
        status: "pending_verification",
        address: address()
      })
      yield* memberships.setStatus(m.id, "verified")
      yield* memberships.setRole(m.id, "referent")
      const found = Option.getOrThrow(yield* memberships.findById(m.id))
      assert.strictEqual(found.status, "verified")
      assert.strictEqual(found.role, "referent")
      assert.isTrue(Option.isSome(found.verifiedAt))
    }).pipe(Effect.provide(repositories)))

  it.effect("moves status only from the expected one, keeping the verification date (a ban and its lifting)", () =>
    Effect.gen(function*() {
      const memberships = yield* MembershipRepo
      const { account, one } = yield* setUp
      const m = yield* memberships.insert({
        accountId: account.id,
        communityId: one.id,
        role: "resident",
        status: "verified",
        address: address()
      })
      const verifiedAt = Option.getOrThrow(m.verifiedAt)
      assert.isTrue(yield* memberships.moveStatus(m.id, "verified", "banned"))
      assert.isFalse(yield* memberships.moveStatus(m.id, "verified", "banned"))
      assert.isTrue(yield* memberships.moveStatus(m.id, "banned", "verified"))
      const found = Option.getOrThrow(yield* memberships.findById(m.id))
      assert.strictEqual(found.status, "verified")
      assert.deepStrictEqual(found.verifiedAt, Option.some(verifiedAt))
    }).pipe(Effect.provide(repositories)))

  it.effect("ends the pending and verified memberships named, in that community only, with the reason", () =>
    Effect.gen(function*() {
      const memberships = yield* MembershipRepo
      const sql = yield* SqlClient.SqlClient
      const { account, one, two } = yield* setUp
      const home = yield* memberships.insert({ accountId: account.id, communityId: one.id, role: "referent",
        status: "verified", address: address() })
      const elsewhere = yield* memberships.insert({ accountId: account.id, communityId: two.id, role: "resident",
        status: "verified", address: address() })
      // A membership of another community is not ended through this one.
      assert.deepStrictEqual(yield* memberships.endForCommunity(one.id, [home.id, elsewhere.id], "perimeter_redrawn"), [
        home.id
      ])
      assert.deepStrictEqual(yield* memberships.endForCommunity(one.id, [home.id], "perimeter_redrawn"), [])
      assert.deepStrictEqual(yield* memberships.endForCommunity(one.id, [], "perimeter_redrawn"), [])
      const ended = Option.getOrThrow(yield* memberships.findById(home.id))
      assert.deepStrictEqual([ended.status, ended.role, ended.home], ["left", "resident", false])
      const [row] = yield* sql<{ left_reason: string }>`SELECT left_reason FROM memberships WHERE id = ${home.id}`
      assert.strictEqual(row!.left_reason, "perimeter_redrawn")
      assert.strictEqual(Option.getOrThrow(yield* memberships.findById(elsewhere.id)).status, "verified")
    }).pipe(Effect.provide(repositories)))
})
