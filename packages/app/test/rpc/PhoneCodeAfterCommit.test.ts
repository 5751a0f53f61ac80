import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import { databasesWithPool } from "@vigie/adapters/test/support/TestDatabase"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { SmsSender } from "@vigie/domain/channels/SmsSender"
import { PhoneVerifications } from "@vigie/domain/verification/PhoneVerifications"
import { Context, Deferred, Duration, Effect, Fiber, Layer } from "effect"
import * as Platform from "../../src/Platform.js"
import * as Recorders from "../support/Recorders.js"
import { mediaPorts, testSecrets } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"

/** What the slow SMS sender saw: the transaction id of its connection when `send` began, and its pacing gates. */
class SlowSms extends Context.Tag("@vigie/app/test/SlowSms")<
  SlowSms,
  {
    readonly txids: Array<string | null>
    readonly sending: Deferred.Deferred<void>
    readonly release: Deferred.Deferred<void>
  }
>() {}

/**
 * An SmsSender that asks the database, through the fiber's own SqlClient (inside the caller's
 * transaction, if there is one), whether a transaction with writes is open, then says it is sending
 * and waits to be released: a provider that takes its time.
 */
const slowSms = Layer.effectContext(Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const probe = {
    txids: [] as Array<string | null>,
    sending: yield* Deferred.make<void>(),
    release: yield* Deferred.make<void>()
  }
  return Context.make(SlowSms, probe).pipe(Context.add(
    SmsSender,
    SmsSender.of({
      send: (batch) =>
        Effect.gen(function*() {
          const [row] = yield* sql<{ txid: string | null }>`SELECT txid_current_if_assigned()::text AS txid`.pipe(
            Effect.orDie
          )
          probe.txids.push(row?.txid ?? null)
          yield* Deferred.succeed(probe.sending, undefined)
          yield* Deferred.await(probe.release)
          return { accepted: batch.destinations.map((destination) => ({ destination, providerId: "slow-1" })) }
        })
    })
  ))
}))

for (const db of databasesWithPool(1)) {
  const platform = Platform.useCases.pipe(
    Layer.provideMerge(slowSms),
    Layer.provideMerge(Layer.mergeAll(
      Platform.repositories,
      Platform.localServices,
      PubSubLiveEvents.layer,
      PubSubDeliveryWakeup.layer,
      Recorders.layer,
      testSecrets,
      mediaPorts
    )),
    Layer.provideMerge(db.layer)
  )
  describe(`phone code sent after the commit [${db.name}, pool of 1]`, () => {
    layer(platform, { excludeTestServices: true, timeout: Duration.seconds(120) })("slow SMS provider", (it) => {
      it.scoped("sends outside any transaction, with the code already committed, and holds no connection while sending", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`after-commit-${db.name}`)
          const actor = yield* (yield* Sessions).authenticate(world.tokens.memberB!)
          const phones = yield* PhoneVerifications
          const probe = yield* SlowSms
          const sql = yield* SqlClient.SqlClient

          const request = yield* Effect.fork(phones.requestCode(actor, "06 39 98 55 01", "192.0.2.1"))
          yield* Deferred.await(probe.sending)
          // The only connection of the pool is free while the provider works, and the code is committed.
          const [stored] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM phone_verifications
            WHERE account_id = ${world.accounts.memberB.id}`.pipe(Effect.timeout(Duration.seconds(20)))
          expect(stored?.n).toBe(1)
          yield* Deferred.succeed(probe.release, undefined)
          const sent = yield* Fiber.join(request)
          expect(sent.phone).toBe("+33639985501")
          expect(probe.txids).toStrictEqual([null])
        }))
    })
  })
}
