import { assert } from "@effect/vitest"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { Email } from "@vigie/domain/shared/Text"
import { Effect, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { email, phone, repositories } from "./Fixtures"

const newAccount = (overrides: Partial<Parameters<AccountRepo["Type"]["insert"]>[0]> = {}) => ({
  firstName: "Camille",
  lastName: "Martin",
  email: Option.some(email()),
  phone: Option.some(phone()),
  phoneVerified: false,
  passwordHash: Option.some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"),
  staffRoles: [],
  ...overrides
})

describeEachDatabase("PgAccountRepo", (it) => {
  it.effect("inserts an account with its staff roles and finds it by id, e-mail and phone", () =>
    Effect.gen(function*() {
      const accounts = yield* AccountRepo
      const input = newAccount({
        staffRoles: [{ _tag: "Moderator" }, { _tag: "MairieAgent", insee: "33063" as InseeCode }]
      })
      const account = yield* accounts.insert(input)
      assert.deepStrictEqual(account.email, input.email)
      assert.strictEqual(account.status, "active")
      assert.deepStrictEqual(
        [...account.staffRoles].sort((a, b) => a._tag.localeCompare(b._tag)),
        [{ _tag: "MairieAgent", insee: "33063" as InseeCode }, { _tag: "Moderator" }]
      )
      assert.deepStrictEqual(yield* accounts.findById(account.id), Option.some(account))
      const upper = Option.getOrThrow(input.email).toUpperCase() as Email
      assert.deepStrictEqual(yield* accounts.findByEmail(upper), Option.some(account))
      assert.deepStrictEqual(yield* accounts.findByPhone(Option.getOrThrow(input.phone)), Option.some(account))
      assert.deepStrictEqual(yield* accounts.passwordHash(account.id), input.passwordHash)
    }).pipe(Effect.provide(repositories)))

  it.effect("refuses a second account with the same e-mail (in any case) or phone", () =>
    Effect.gen(function*() {
      const accounts = yield* AccountRepo
      const first = yield* accounts.insert(newAccount())
      const sameEmail = yield* Effect.flip(accounts.insert(newAccount({
        email: Option.map(first.email, (e) => e.toUpperCase() as Email)
      })))
      assert.strictEqual(sameEmail._tag, "EmailAlreadyUsed")
      const samePhone = yield* Effect.flip(accounts.insert(newAccount({ phone: first.phone })))
      assert.strictEqual(samePhone._tag, "PhoneAlreadyUsed")
      // accounts without e-mail or phone do not collide
      yield* accounts.insert(newAccount({ email: Option.none(), phone: Option.none() }))
      yield* accounts.insert(newAccount({ email: Option.none(), phone: Option.none() }))
    }).pipe(Effect.provide(repositories)))

  it.effect("changes status, verifies a phone, and refuses a phone another account holds", () =>
    Effect.gen(function*() {
      const accounts = yield* AccountRepo
      const a = yield* accounts.insert(newAccount({ phone: Option.none() }))
      const b = yield* accounts.insert(newAccount())
      yield* accounts.setStatus(a.id, "suspended")
      const number = phone()
      yield* accounts.setPhoneVerified(a.id, number)
      const found = Option.getOrThrow(yield* accounts.findById(a.id))
      assert.strictEqual(found.status, "suspended")
      assert.deepStrictEqual(found.phone, Option.some(number))
      assert.isTrue(found.phoneVerified)
      const taken = yield* Effect.flip(accounts.setPhoneVerified(a.id, Option.getOrThrow(b.phone)))
      assert.strictEqual(taken._tag, "PhoneAlreadyUsed")
      assert.deepStrictEqual(yield* accounts.findById(crypto.randomUUID() as typeof a.id), Option.none())
    }).pipe(Effect.provide(repositories)))

  it.effect("moves status only from the expected one (a suspension and its lifting)", () =>
    Effect.gen(function*() {
      const accounts = yield* AccountRepo
      const a = yield* accounts.insert(newAccount())
      assert.isTrue(yield* accounts.moveStatus(a.id, "active", "suspended"))
      assert.isFalse(yield* accounts.moveStatus(a.id, "active", "suspended"))
      assert.strictEqual(Option.getOrThrow(yield* accounts.findById(a.id)).status, "suspended")
      assert.isTrue(yield* accounts.moveStatus(a.id, "suspended", "active"))
      assert.strictEqual(Option.getOrThrow(yield* accounts.findById(a.id)).status, "active")
    }).pipe(Effect.provide(repositories)))
})
