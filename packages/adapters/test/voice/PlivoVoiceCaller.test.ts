import { assert, describe, it } from "@effect/vitest"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import * as PlivoVoiceCaller from "@vigie/adapters/voice/PlivoVoiceCaller"
import { VOICE_ANSWER_PATH, VOICE_HANGUP_PATH } from "@vigie/adapters/voice/VoicePaths"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceCaller, VoiceRejected, VoiceUnavailable } from "@vigie/domain/channels/VoiceCaller"
import type { PhoneE164 } from "@vigie/domain/shared/Text"
import { Context, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as FakePlivo from "../support/fakes/FakePlivo"
import { describeEachDatabase } from "../support/TestDatabase"

/** Nothing listens there: the fake's callbacks are refused at once (this test is about the API call). */
const publicUrl = new URL("http://127.0.0.1:1")
const to = "+33146000001" as PhoneE164

describe("PlivoVoiceCaller.classify", () => {
  it("4xx but 429 refuses for good; 429, 5xx and no status are transient, with Retry-After", () => {
    for (const status of [400, 401, 404, 422]) {
      assert.instanceOf(PlivoVoiceCaller.classify(new Error("x"), { status }), VoiceRejected)
    }
    for (const status of [429, 500, 502, 503]) {
      assert.instanceOf(PlivoVoiceCaller.classify(new Error("x"), { status }), VoiceUnavailable)
    }
    assert.instanceOf(PlivoVoiceCaller.classify("Error: connect ECONNREFUSED", undefined), VoiceUnavailable)
    const slow = PlivoVoiceCaller.classify(new Error("x"), { status: 429, retryAfter: "12" })
    assert.strictEqual((slow as VoiceUnavailable).retryAfterSeconds, 12)
    // A number in the provider's message is never kept whole.
    assert.notInclude(
      PlivoVoiceCaller.classify(new Error("invalid to +33612345678"), { status: 400 }).reason,
      "+33612345678"
    )
  })
})

describeEachDatabase("PlivoVoiceCaller through the real SDK against the fake Plivo", (it) => {
  const callerOn = (fake: FakePlivo.FakePlivo, timeout: Duration.DurationInput = Duration.seconds(3)) =>
    Effect.map(
      Layer.build(
        PlivoVoiceCaller.layerWith({
          authId: fake.authId,
          authToken: Redacted.make(fake.authToken),
          apiUrl: fake.apiUrl,
          from: "+33757000001",
          publicUrl,
          timeout
        }).pipe(Layer.provideMerge(PgVoiceCallLog.layer))
      ),
      (context) => ({ caller: Context.get(context, VoiceCaller), log: Context.get(context, VoiceCallLog) })
    )

  it.scoped("POSTs the Call API at PLIVO_API_URL with the answer and hangup URLs on PUBLIC_URL, and logs the call placed", () =>
    Effect.gen(function*() {
      // Nobody answers, and the fake's hangup callback finds no server: only the API call matters here.
      const fake = yield* FakePlivo.scoped({ callee: () => ({ _tag: "NoAnswer" }) })
      const { caller, log } = yield* callerOn(fake)
      const receipt = yield* caller.call({ to, text: "Alerte urgente.", reference: "delivery:42" })
      const [call] = fake.voiceCalls()
      assert.strictEqual(receipt.providerId, call!.requestUuid)
      assert.strictEqual(call!.answerUrl, `http://127.0.0.1:1${VOICE_ANSWER_PATH}?reference=delivery%3A42`)
      assert.strictEqual(call!.hangupUrl, `http://127.0.0.1:1${VOICE_HANGUP_PATH}?reference=delivery%3A42`)
      assert.strictEqual(fake.unauthorized(), 0)
      const stored = Option.getOrThrow(yield* log.find("delivery:42"))
      assert.deepStrictEqual([stored.status, Option.getOrNull(stored.providerId), stored.text, stored.outbox], [
        "placed",
        call!.requestUuid,
        "Alerte urgente.",
        false
      ])
      yield* Effect.promise(() => fake.settled())
    }))

  it.scoped("a wrong auth token is refused for good; a Plivo that never answers is unavailable within the timeout", () =>
    Effect.gen(function*() {
      const fake = yield* FakePlivo.scoped()
      const wrong = yield* Layer.build(
        PlivoVoiceCaller.layerWith({ authId: fake.authId, authToken: Redacted.make("not-the-token"),
          apiUrl: fake.apiUrl, from: "+33757000001", publicUrl }).pipe(Layer.provide(PgVoiceCallLog.layer))
      )
      const refused = yield* Effect.exit(
        Context.get(wrong, VoiceCaller).call({ to, text: "Alerte.", reference: "delivery:43" })
      )
      assert.isTrue(
        Exit.isFailure(refused) && refused.cause._tag === "Fail" &&
          refused.cause.error instanceof VoiceRejected
      )
      assert.strictEqual(fake.unauthorized(), 1)

      fake.setVoiceFault(() => FakePlivo.Hang)
      const { caller } = yield* callerOn(fake, Duration.millis(300))
      const hung = yield* Effect.exit(caller.call({ to, text: "Alerte.", reference: "delivery:44" }))
      assert.isTrue(Exit.isFailure(hung) && hung.cause._tag === "Fail" && hung.cause.error instanceof VoiceUnavailable)
      assert.strictEqual(PlivoVoiceCaller.pendingCalls(), 0)
    }))
})
