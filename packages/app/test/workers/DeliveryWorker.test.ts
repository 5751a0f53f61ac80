import { assert } from "@effect/vitest"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { describeEachDatabase } from "@vigie/adapters/test/support/TestDatabase"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import { DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import { SmsRejected, SmsUnavailable } from "@vigie/domain/channels/SmsSender"
import { Clock, DateTime, Deferred, Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { seedDeliveries, statusCounts } from "../support/DeliverySeed.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import type { DeliveryWorkerConfig } from "../../src/workers/DeliveryWorker.js"
import { plainRenderer } from "../../src/workers/PlainTexts.js"
import { recordingSenders } from "./Senders.js"
import { drained, rows, truncateDeliveries, until } from "./Support.js"

const fast: DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  lease: Duration.seconds(5),
  poll: Duration.millis(50),
  retry: { baseDelay: Duration.millis(5), maxDelay: Duration.millis(50), maxAttempts: 3 },
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

describeEachDatabase("DeliveryWorker", (it) => {
  const infrastructure = Layer.mergeAll(
    PgDeliveryRepo.layer,
    PgPacer.layer,
    PgAlertRepo.layer,
    PgReferentBulletins.layer,
    PgGazetteDigestRepo.layer,
    PgGazetteImmediateRepo.layer,
    PubSubDeliveryWakeup.layer
  )

  it.effect("drains every due delivery exactly once: SMS of one text per call, up to 1,000; e-mail up to 50", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      yield* seedDeliveries({ sms: 2_500, email: 120, text: "Alerte A" })
      yield* seedDeliveries({ sms: 10, email: 0, offset: 5_000, text: "Alerte B" })
      const senders = recordingSenders()
      yield* Effect.forkScoped(DeliveryWorker.run(yield* plainRenderer, fast).pipe(Effect.provide(senders.layer)))
      yield* drained()
      assert.deepStrictEqual(yield* statusCounts, { sent: 2_630 })
      assert.strictEqual(senders.smsCounts.size, 2_510)
      assert.isTrue([...senders.smsCounts.values()].every((n) => n === 1))
      assert.strictEqual(senders.emailCounts.size, 120)
      assert.isTrue([...senders.emailCounts.values()].every((n) => n === 1))
      assert.isTrue(senders.smsCalls.every((c) => c.destinations.length <= 1000))
      assert.isTrue(senders.smsCalls.some((c) => c.destinations.length === 1000))
      assert.isTrue(senders.emailCalls.every((c) => c.length <= 50))
      assert.isTrue(senders.smsCalls.every((c) => c.text.startsWith("Vigie: Alerte ")))
      const sent = yield* rows
      assert.isTrue(sent.every((r) => r.provider_id !== null && r.attempts === 1))
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect("retries transient failures with backoff, dead after the last attempt with the reason; refusals fail at once", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      yield* seedDeliveries({ sms: 30, email: 0, text: "Transitoire" })
      yield* seedDeliveries({ sms: 20, email: 0, offset: 1_000, text: "Refus" })
      yield* seedDeliveries({ sms: 0, email: 10, offset: 2_000 })
      const senders = recordingSenders()
      senders.smsFault = (batch) =>
        batch.text.includes("Transitoire")
          ? Effect.fail(new SmsUnavailable({ reason: "HTTP 503" }))
          : batch.text.includes("Refus")
          ? Effect.fail(new SmsRejected({ reason: "HTTP 400: invalid dst" }))
          : Effect.void
      senders.emailOutcome = (m) =>
        m.to.startsWith("voisin2001@")
          ? { _tag: "Refused", to: m.to, reason: "MessageRejected" }
          : { _tag: "Accepted", to: m.to, providerId: `e-${m.to}` }
      yield* Effect.forkScoped(DeliveryWorker.run(yield* plainRenderer, fast).pipe(Effect.provide(senders.layer)))
      yield* drained()
      const all = yield* rows
      const transient = all.filter((r) => r.channel === "sms" && r.destination < "+33600001000")
      const refused = all.filter((r) => r.channel === "sms" && r.destination >= "+33600001000")
      assert.isTrue(
        transient.every((r) =>
          r.status === "dead" && r.attempts === 3 && r.last_error === "3 attempts, last: SmsUnavailable: HTTP 503"
        )
      )
      assert.isTrue(
        refused.every((r) =>
          r.status === "failed" && r.attempts === 1 && r.last_error === "SmsRejected: HTTP 400: invalid dst"
        )
      )
      const emails = all.filter((r) => r.channel === "email")
      assert.deepStrictEqual(emails.filter((r) => r.status === "failed").map((r) => r.destination), [
        "voisin2001@example.fr"
      ])
      assert.strictEqual(emails.filter((r) => r.status === "sent").length, 9)
      // Three calls per transient batch, one per refused one: no retry of a refusal.
      assert.strictEqual(senders.smsCalls.filter((c) => c.text.includes("Transitoire")).length, 3)
      assert.strictEqual(senders.smsCalls.filter((c) => c.text.includes("Refus")).length, 1)
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect("a wake-up starts sending at once: nothing waits for the poll", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      const senders = recordingSenders()
      const hourly = { ...fast, poll: Duration.hours(1) }
      yield* Effect.forkScoped(DeliveryWorker.run(yield* plainRenderer, hourly).pipe(Effect.provide(senders.layer)))
      yield* Effect.sleep(Duration.millis(300))
      yield* seedDeliveries({ sms: 5, email: 5 })
      yield* (yield* DeliveryWakeup).wake({ channels: ["sms", "email"] })
      yield* drained(Duration.seconds(20))
      assert.strictEqual(senders.smsCounts.size, 5)
      assert.strictEqual(senders.emailCounts.size, 5)
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect("a graceful stop finishes the claim in flight and leaves nothing half-done", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      yield* seedDeliveries({ sms: 1_000, email: 0 })
      const senders = recordingSenders()
      senders.smsFault = () => Effect.sleep(Duration.millis(300))
      const config = { ...fast, sms: { ...fast.sms, claimLimit: 100 } }
      const fiber = yield* Effect.fork(
        Effect.scoped(DeliveryWorker.run(yield* plainRenderer, config)).pipe(Effect.provide(senders.layer))
      )
      yield* until(() => senders.smsCalls.length >= 2)
      yield* Fiber.interrupt(fiber)
      const counts = yield* statusCounts
      assert.strictEqual(counts["sending"], undefined)
      assert.strictEqual(counts["sent"], senders.smsCalls.length * 100)
      assert.strictEqual(counts["pending"], 1_000 - senders.smsCalls.length * 100)
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect("takes back the rows of a worker that died once their lease expired", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      yield* seedDeliveries({ sms: 50, email: 0 })
      const repo = yield* DeliveryRepo
      const now = yield* DateTime.now
      // A worker claims, then dies without a word.
      const orphaned = yield* repo.claim("sms", 50, now, DateTime.add(now, { millis: 700 }))
      assert.strictEqual(orphaned.length, 50)
      const senders = recordingSenders()
      yield* Effect.forkScoped(DeliveryWorker.run(yield* plainRenderer, fast).pipe(Effect.provide(senders.layer)))
      yield* drained(Duration.seconds(20))
      const all = yield* rows
      assert.isTrue(all.every((r) => r.status === "sent" && r.attempts === 2))
      assert.strictEqual(senders.smsCounts.size, 50)
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect("a claim that sends for longer than its lease renews it: a second worker never takes its rows back", () =>
    Effect.gen(function*() {
      yield* truncateDeliveries
      yield* seedDeliveries({ sms: 20, email: 0 })
      const senders = recordingSenders()
      // The first provider call takes almost three leases; the heartbeat must keep the claim alive.
      senders.smsFault = () => (senders.smsCalls.length === 1 ? Effect.sleep(Duration.millis(2_500)) : Effect.void)
      const config: DeliveryWorkerConfig = { ...fast, lease: Duration.millis(900),
        sms: { ...fast.sms, claimLimit: 20 } }
      const worker = DeliveryWorker.run(yield* plainRenderer, config).pipe(Effect.provide(senders.layer))
      yield* Effect.forkScoped(worker)
      yield* until(() => senders.smsCalls.length >= 1)
      yield* Effect.forkScoped(worker)
      yield* drained(Duration.seconds(20))
      assert.strictEqual(senders.smsCalls.length, 1, "only the first worker's call")
      assert.strictEqual(senders.smsCounts.size, 20)
      assert.isTrue([...senders.smsCounts.values()].every((n) => n === 1))
      assert.isTrue((yield* rows).every((r) => r.status === "sent" && r.attempts === 1))
    }).pipe(Effect.provide(infrastructure), Effect.scoped))

  it.effect(
    "a worker that stops renewing mid call (frozen): its rows are taken back after the lease, and it sends no further batch",
    () =>
      Effect.gen(function*() {
        yield* truncateDeliveries
        yield* seedDeliveries({ sms: 10, email: 0, text: "Alerte A" })
        yield* seedDeliveries({ sms: 10, email: 0, offset: 1_000, text: "Alerte B" })
        const gate = yield* Deferred.make<void>()
        const senders = recordingSenders()
        senders.smsFault = () => (senders.smsCalls.length === 1 ? Deferred.await(gate) : Effect.void)
        const config: DeliveryWorkerConfig = {
          ...fast,
          lease: Duration.millis(900),
          sendConcurrency: 1,
          sms: { ...fast.sms, claimLimit: 20 }
        }
        // The first worker's time runs but its sleeps never end: its heartbeat never beats, as in a
        // process frozen (or killed) while its provider call is in flight.
        const live = yield* Effect.clock
        const sleepless: Clock.Clock = {
          [Clock.ClockTypeId]: Clock.ClockTypeId,
          unsafeCurrentTimeMillis: () => live.unsafeCurrentTimeMillis(),
          currentTimeMillis: live.currentTimeMillis,
          unsafeCurrentTimeNanos: () => live.unsafeCurrentTimeNanos(),
          currentTimeNanos: live.currentTimeNanos,
          sleep: () => Effect.never
        }
        const worker = DeliveryWorker.run(yield* plainRenderer, config).pipe(Effect.provide(senders.layer))
        yield* Effect.forkScoped(Effect.withClock(worker, sleepless))
        yield* until(() => senders.smsCalls.length >= 1)
        const inFlight = new Set<string>(senders.smsCalls[0]!.destinations)
        assert.strictEqual(inFlight.size, 10, "one text per call: the first batch is in flight, the second waits")
        yield* Effect.forkScoped(worker)
        yield* until(() => senders.smsCounts.size === 20, Duration.seconds(20))
        // The frozen call returns now, long after its lease: its second batch must not go out.
        yield* Deferred.succeed(gate, undefined)
        yield* drained(Duration.seconds(20))
        yield* Effect.sleep(Duration.millis(300))
        assert.strictEqual(senders.smsCalls.length, 3, "the frozen worker's call, then the second worker's two")
        for (const [destination, n] of senders.smsCounts) {
          // The call in flight at the freeze is the one bounded duplicate; nothing else twice.
          assert.strictEqual(n, inFlight.has(destination) ? 2 : 1, destination)
        }
        assert.isTrue((yield* rows).every((r) => r.status === "sent" && r.attempts === 2))
      }).pipe(Effect.provide(infrastructure), Effect.scoped)
  )

  it.effect(
    "through the real Plivo SDK, a fake Plivo failing 30 % of calls (5xx, 429, timeouts): every delivery ends sent or dead, none dropped, none twice",
    () =>
      Effect.gen(function*() {
        yield* truncateDeliveries
        yield* seedDeliveries({ sms: 1_000, email: 0 })
        // Exactly 3 calls in every 10 fail, in turn 500, 429, a hang and 502: 30 % of calls, never by luck fewer.
        let call = 0
        let draw = 0
        const faults = [FakePlivo.ServerError, FakePlivo.TooManyRequests("0"), FakePlivo.Hang,
          { _tag: "ServerError", status: 502 } as const]
        const fake = yield* FakePlivo.scoped({
          fault: () => ([1, 4, 7].includes(call++ % 10) ? faults[draw++ % faults.length]! : FakePlivo.Ok)
        })
        const plivo = PlivoSmsSender.layerWith({
          authId: fake.authId,
          authToken: Redacted.make(fake.authToken),
          apiUrl: fake.apiUrl,
          from: "+33612345678",
          timeout: Duration.millis(300)
        })
        const senders = recordingSenders()
        const config: DeliveryWorkerConfig = {
          ...fast,
          retry: { baseDelay: Duration.millis(10), maxDelay: Duration.millis(200), maxAttempts: 8 },
          sms: { ...fast.sms, claimLimit: 40 }
        }
        yield* Effect.forkScoped(
          DeliveryWorker.run(yield* plainRenderer, config).pipe(Effect.provide(Layer.merge(senders.layer, plivo)))
        )
        yield* drained(Duration.seconds(90))
        const all = yield* rows
        const sent = all.filter((r) => r.status === "sent")
        const dead = all.filter((r) => r.status === "dead")
        assert.strictEqual(sent.length + dead.length, 1_000)
        assert.isTrue(
          dead.every((r) => r.attempts === 8 && (r.last_error ?? "").startsWith("8 attempts, last: SmsUnavailable"))
        )
        // Counted at the provider: exactly the sent ones, each once, under the ids recorded.
        const accepted = fake.accepted()
        assert.strictEqual(accepted.length, sent.length)
        assert.isTrue([...fake.countsByDestination().values()].every((n) => n === 1))
        assert.deepStrictEqual(new Set(sent.map((r) => r.provider_id)), new Set(accepted.map((a) => a.messageUuid)))
        const calls = fake.calls().length
        assert.isAbove(calls, 25 + 5, "faults happened and were retried")
        assert.isAbove(sent.filter((r) => r.attempts > 1).length, 0)
      }).pipe(Effect.provide(infrastructure), Effect.scoped),
    120_000
  )
}, { timeout: "120 seconds" })
