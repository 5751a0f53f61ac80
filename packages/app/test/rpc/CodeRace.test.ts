import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { Activation } from "@vigie/domain/verification/Activation"
import { PhoneVerifications } from "@vigie/domain/verification/PhoneVerifications"
import { Array as Arr, Duration, Effect } from "effect"
import { Sent } from "../support/Recorders.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"

const tally = (tags: ReadonlyArray<string>) =>
  Object.fromEntries(Arr.dedupe(tags).map((t) => [t, tags.filter((x) => x === t).length]))

for (const db of databases) {
  describe(`concurrent code guesses [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("row lock", (it) => {
      it.scoped("12 simultaneous wrong activation codes count 5 tries at most, and the locked letter refuses the right code", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`race-letter-${db.name}`)
          const actor = yield* (yield* Sessions).authenticate(world.tokens.pending!)
          const activation = yield* Activation
          const sent = yield* Sent
          yield* activation.requestLetter(actor, world.pendingMembership.id)
          const code = sent.letters[sent.letters.length - 1]!.code
          const wrong = code.startsWith("0") ? "1".repeat(10) : "0".repeat(10)
          const outcomes = yield* Effect.all(
            Arr.makeBy(12, () => Effect.flip(activation.confirmCode(actor, world.pendingMembership.id, wrong))),
            { concurrency: "unbounded" }
          )
          expect(tally(outcomes.map((e) => e._tag))).toStrictEqual({ WrongCode: 4, CodeLocked: 8 })
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<
            { attempts: number; status: string }
          >`SELECT attempts, status FROM address_verifications
            WHERE membership_id = ${world.pendingMembership.id} ORDER BY created_at DESC LIMIT 1`
          expect(row).toStrictEqual({ attempts: 5, status: "locked" })
          const right = yield* Effect.flip(activation.confirmCode(actor, world.pendingMembership.id, code))
          expect(right._tag).toBe("CodeLocked")
        }))

      it.scoped("12 simultaneous wrong phone codes count 5 tries at most, and the locked code refuses the right one", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`race-phone-${db.name}`)
          const actor = yield* (yield* Sessions).authenticate(world.tokens.memberB!)
          const phones = yield* PhoneVerifications
          const sent = yield* Sent
          yield* phones.requestCode(actor, db.name === "pglite" ? "06 39 98 66 01" : "06 39 98 66 02", "192.0.2.1")
          const code = /(\d{6})/.exec(sent.sms[sent.sms.length - 1]!.text)![1]!
          const wrong = code === "000000" ? "111111" : "000000"
          const outcomes = yield* Effect.all(
            Arr.makeBy(12, () => Effect.flip(phones.confirmCode(actor, wrong))),
            { concurrency: "unbounded" }
          )
          expect(tally(outcomes.map((e) => e._tag))).toStrictEqual({ WrongCode: 4, CodeLocked: 8 })
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<
            { attempts: number; status: string }
          >`SELECT attempts, status FROM phone_verifications
            WHERE account_id = ${world.accounts.memberB.id} ORDER BY created_at DESC LIMIT 1`
          expect(row).toStrictEqual({ attempts: 5, status: "locked" })
          expect((yield* Effect.flip(phones.confirmCode(actor, code)))._tag).toBe("CodeLocked")
        }))
    })
  })
}
