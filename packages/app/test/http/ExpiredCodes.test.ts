import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Duration, Effect } from "effect"
import { rpcClient, serverLayer } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { makeWorld } from "../support/World.js"

for (const db of databases) {
  describe(`expired codes [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over real HTTP", (it) => {
      it.scoped("the right activation code after its 30 days: CodeExpired, the membership stays pending, the try is not counted", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`expired-letter-${db.name}`)
          const sql = yield* SqlClient.SqlClient
          const sent = yield* Sent
          const client = yield* rpcClient(`vigie_session=${world.tokens.pending}`)
          const membershipId = world.pendingMembership.id
          yield* client.RequestActivationLetter({ membershipId })
          const code = sent.letters[sent.letters.length - 1]!.code
          // The letter was posted 31 days ago: the use case reads the clock, the row says when it expired.
          yield* sql`UPDATE address_verifications
            SET created_at = created_at - interval '31 days', expires_at = expires_at - interval '31 days'
            WHERE membership_id = ${membershipId}`

          const error = yield* Effect.flip(client.ConfirmActivationCode({ membershipId, code }))
          expect(error._tag).toBe("CodeExpired")
          const me = yield* client.WhoAmI({})
          expect(me.memberships.find((m) => m.membership.id === membershipId)?.membership.status).toBe(
            "pending_verification"
          )
          const rows = yield* sql<
            { attempts: number; status: string }
          >`SELECT attempts, status FROM address_verifications
            WHERE membership_id = ${membershipId}`
          expect(rows).toStrictEqual([{ attempts: 0, status: "pending" }])
        }))

      it.scoped("the right phone code after its 10 minutes: CodeExpired, the phone stays unverified, the try is not counted", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`expired-phone-${db.name}`)
          const sql = yield* SqlClient.SqlClient
          const sent = yield* Sent
          const client = yield* rpcClient(`vigie_session=${world.tokens.memberB}`)
          const accountId = world.accounts.memberB.id
          yield* client.RequestPhoneCode({ phone: "06 39 98 77 01" })
          const code = /(\d{6})/.exec(sent.sms[sent.sms.length - 1]!.text)![1]!
          yield* sql`UPDATE phone_verifications
            SET created_at = created_at - interval '11 minutes', expires_at = expires_at - interval '11 minutes'
            WHERE account_id = ${accountId}`

          const error = yield* Effect.flip(client.ConfirmPhoneCode({ code }))
          expect(error._tag).toBe("CodeExpired")
          const me = yield* client.WhoAmI({})
          expect(me.account.phoneVerified).toBe(false)
          const [account] = yield* sql<{ phone: string | null; phone_verified: boolean }>`SELECT phone, phone_verified
            FROM accounts WHERE id = ${accountId}`
          expect(account).toStrictEqual({ phone: null, phone_verified: false })
          const rows = yield* sql<{ attempts: number; status: string }>`SELECT attempts, status FROM phone_verifications
            WHERE account_id = ${accountId}`
          expect(rows).toStrictEqual([{ attempts: 0, status: "pending" }])
        }))
    })
  })
}
