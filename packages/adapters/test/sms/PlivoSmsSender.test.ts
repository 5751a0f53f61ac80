import { assert, describe, it, layer } from "@effect/vitest"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import { SmsRejected, SmsSender, SmsUnavailable } from "@vigie/domain/channels/SmsSender"
import { Duration, Effect, Exit, Layer, Redacted } from "effect"
import * as FakePlivo from "../support/fakes/FakePlivo"
import { FakePlivoServer } from "../support/fakes/FakePlivo"
import { frenchText, phones, smsSenderContract } from "./SmsSenderContract"

const from = "+33757000000"

const senderOn = (options: { readonly timeout?: Duration.DurationInput; readonly authToken?: string } = {}) =>
  Layer.unwrapEffect(
    Effect.map(FakePlivoServer, (fake) =>
      PlivoSmsSender.layerWith({
        authId: fake.authId,
        authToken: Redacted.make(options.authToken ?? fake.authToken),
        apiUrl: fake.apiUrl,
        from,
        timeout: options.timeout ?? Duration.seconds(5)
      }))
  )

const withFake = (options: { readonly timeout?: Duration.DurationInput; readonly authToken?: string } = {}) =>
  Layer.provideMerge(senderOn(options), FakePlivo.layer())

smsSenderContract(
  "PlivoSmsSender + FakePlivo",
  withFake(),
  Effect.map(FakePlivoServer, (fake) => ({
    sent: (providerId: string) =>
      Effect.sync(() => {
        const message = fake.accepted().find((m) => m.messageUuid === providerId)
        return message && { destination: message.destination, text: message.text }
      }),
    count: Effect.sync(() => fake.calls().length)
  }))
)

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (failure === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
  return failure
}

layer(withFake({ timeout: Duration.millis(300) }), { excludeTestServices: true })("PlivoSmsSender", (it) => {
  const sendOne = Effect.flatMap(SmsSender, (sender) => sender.send({ text: "Test", destinations: phones(2, "+3365") }))
  const withFault = (fault: FakePlivo.PlivoFault) =>
    Effect.flatMap(FakePlivoServer, (fake) =>
      Effect.sync(() => {
        fake.reset()
        fake.setFault(() => fault)
      }))

  it.effect("sends one call from our number with the destinations joined by <", () =>
    Effect.gen(function*() {
      const fake = yield* FakePlivoServer
      yield* withFault(FakePlivo.Ok)
      const sender = yield* SmsSender
      const destinations = phones(3, "+3366")
      yield* sender.send({ text: frenchText, destinations })
      assert.deepStrictEqual(fake.calls().map((c) => [c.src, c.destinations, c.text]), [[from, destinations,
        frenchText]])
      assert.strictEqual(fake.unauthorized(), 0)
      assert.deepStrictEqual([...fake.countsByDestination().values()], [1, 1, 1])
    }))

  it.effect("maps a 500 to SmsUnavailable", () =>
    Effect.gen(function*() {
      yield* withFault(FakePlivo.ServerError)
      const error = failureOf(yield* Effect.exit(sendOne))
      assert.instanceOf(error, SmsUnavailable)
      assert.strictEqual(error.retryAfterSeconds, undefined)
    }))

  it.effect("maps a 503 to SmsUnavailable", () =>
    Effect.gen(function*() {
      yield* withFault({ _tag: "ServerError", status: 503 })
      assert.instanceOf(failureOf(yield* Effect.exit(sendOne)), SmsUnavailable)
    }))

  it.effect("maps a 429 with Retry-After to SmsUnavailable carrying the delay", () =>
    Effect.gen(function*() {
      yield* withFault(FakePlivo.TooManyRequests("42"))
      const error = failureOf(yield* Effect.exit(sendOne))
      assert.instanceOf(error, SmsUnavailable)
      assert.strictEqual(error.retryAfterSeconds, 42)
      assert.strictEqual(PlivoSmsSender.pendingFailures(), 0)
    }))

  it.effect("maps a 429 without Retry-After to SmsUnavailable without a delay", () =>
    Effect.gen(function*() {
      yield* withFault(FakePlivo.TooManyRequests())
      const error = failureOf(yield* Effect.exit(sendOne))
      assert.instanceOf(error, SmsUnavailable)
      assert.strictEqual(error.retryAfterSeconds, undefined)
    }))

  it.effect("maps a 400 (invalid destination) to SmsRejected", () =>
    Effect.gen(function*() {
      yield* withFault(FakePlivo.InvalidDestination)
      const error = failureOf(yield* Effect.exit(sendOne))
      assert.instanceOf(error, SmsRejected)
      assert.include(error.reason, "invalid dst")
    }))

  it.effect("gives up on a server that never answers, with SmsUnavailable", () =>
    Effect.gen(function*() {
      yield* withFault(FakePlivo.Hang)
      const error = failureOf(yield* Effect.exit(sendOne))
      assert.instanceOf(error, SmsUnavailable)
      assert.strictEqual(PlivoSmsSender.pendingFailures(), 0)
    }))

  it.effect("counts a retried batch twice: the fake shows duplicates per destination", () =>
    Effect.gen(function*() {
      const fake = yield* FakePlivoServer
      yield* withFault(FakePlivo.Ok)
      const sender = yield* SmsSender
      const destinations = phones(2, "+3367")
      yield* sender.send({ text: "un", destinations })
      yield* sender.send({ text: "un", destinations })
      assert.deepStrictEqual([...fake.countsByDestination().values()], [2, 2])
    }))
})

layer(withFake({ authToken: "not-the-token" }), { excludeTestServices: true })("PlivoSmsSender, wrong token", (it) => {
  it.effect("is refused with SmsRejected, and the fake saw the credentials in Basic auth", () =>
    Effect.gen(function*() {
      const fake = yield* FakePlivoServer
      const sender = yield* SmsSender
      const exit = yield* Effect.exit(sender.send({ text: "x", destinations: phones(1) }))
      assert.instanceOf(failureOf(exit), SmsRejected)
      assert.strictEqual(fake.unauthorized(), 1)
      assert.strictEqual(fake.accepted().length, 0)
    }))
})

describe("PlivoSmsSender, unreachable", () => {
  it.live("maps a refused connection to SmsUnavailable", () =>
    Effect.gen(function*() {
      const fake = yield* Effect.promise(() => FakePlivo.start())
      yield* Effect.promise(() => fake.close())
      const sender = yield* PlivoSmsSender.make({
        authId: fake.authId,
        authToken: Redacted.make(fake.authToken),
        apiUrl: fake.apiUrl,
        from
      })
      const exit = yield* Effect.exit(sender.send({ text: "x", destinations: phones(1) }))
      assert.instanceOf(failureOf(exit), SmsUnavailable)
    }))

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-22T10:00:00Z")
    assert.strictEqual(PlivoSmsSender.parseRetryAfter("120", now), 120)
    assert.strictEqual(PlivoSmsSender.parseRetryAfter("Sun, 22 Nov 2026 10:01:30 GMT", now), 90)
    assert.strictEqual(PlivoSmsSender.parseRetryAfter("soon", now), undefined)
  })
})
