import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import { describeEachDatabase } from "@vigie/adapters/test/support/TestDatabase"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { NO_KEY_TEXT } from "@vigie/adapters/voice/PlivoVoiceXml"
import * as PlivoVoiceCaller from "@vigie/adapters/voice/PlivoVoiceCaller"
import { VOICE_ANSWER_PATH, VOICE_DIGITS_PATH, VOICE_HANGUP_PATH } from "@vigie/adapters/voice/VoicePaths"
import { VoiceRejected, VoiceUnavailable } from "@vigie/domain/channels/VoiceCaller"
import type { PhoneE164 } from "@vigie/domain/shared/Text"
import { Effect, Exit, Option } from "effect"
import { THANKS_TEXT, UNKNOWN_CALL_TEXT } from "../../src/http/PlivoVoiceWebhook.js"
import { callback, from, recordingKeypad, settled, voiceWorld } from "./VoiceSupport.js"
import type { Pressed } from "./VoiceSupport.js"

const checkIn = "Bonjour Madame Martin, c’est Vigie. Appuyez sur 1 si tout va bien, sur 9 si vous avez besoin d’aide."
const to = "+33146000001" as PhoneE164

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a typed failure")
  return exit.cause.error
}

const clean = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`TRUNCATE voice_calls`)

describeEachDatabase("Plivo voice: PlivoVoiceCaller through the SDK, the fake's callbacks, our webhooks", (it) => {
  it.scoped("the fake rings, fetches the signed answer URL, hears the French text, presses 9 and hears the keypad", () =>
    Effect.gen(function*() {
      yield* clean
      const pressed: Pressed = []
      const { fake, caller, log } = yield* voiceWorld(recordingKeypad(pressed), {
        callee: () => ({ _tag: "Answer", press: "9" })
      })
      const receipt = yield* caller.call({ to, text: checkIn, digits: "19", reference: "veille:step-1" })
      yield* settled(fake)

      const [call, ...others] = fake.voiceCalls()
      assert.strictEqual(others.length, 0)
      assert.strictEqual(receipt.providerId, call!.requestUuid)
      assert.deepStrictEqual([call!.from, call!.to, call!.answerMethod], [from, to, "POST"])
      assert.include(call!.answerUrl, `${VOICE_ANSWER_PATH}?reference=veille%3Astep-1`)
      assert.strictEqual(call!.answerStatus, 200)
      assert.include(call!.answerXml!, "<GetDigits")
      assert.include(call!.answerXml!, "validDigits=\"19\"")
      assert.include(call!.answerXml!, "language=\"fr-FR\"")
      assert.deepStrictEqual(call!.spoken, [checkIn, NO_KEY_TEXT])
      assert.deepStrictEqual([call!.pressed, call!.digitsStatus, call!.digitsReply], ["9", 200, [
        "Nous prévenons vos voisins veilleurs."
      ]])
      assert.strictEqual(call!.hangupStatus, 200)
      assert.deepStrictEqual(pressed, [["veille:step-1", "9"]])

      const stored = Option.getOrThrow(yield* log.find("veille:step-1"))
      assert.deepStrictEqual(
        [stored.status, Option.getOrNull(stored.pressed), Option.getOrNull(stored.providerId), stored.outbox],
        ["completed", "9", call!.requestUuid, false]
      )
      assert.strictEqual(PlivoVoiceCaller.pendingCalls(), 0)
    }))

  it.scoped("a message without keys is read twice, offers no keypad, and a call nobody answers ends unanswered", () =>
    Effect.gen(function*() {
      yield* clean
      const pressed: Pressed = []
      const { fake, caller, log } = yield* voiceWorld(recordingKeypad(pressed), {
        callee: (number) => number.endsWith("2") ? { _tag: "NoAnswer" } : { _tag: "Answer", press: "1" }
      })
      yield* caller.call({ to, text: "Alerte urgente à Bordeaux.", reference: "delivery:1" })
      yield* caller.call({ to: "+33146000002" as PhoneE164, text: "Alerte.", reference: "delivery:2" })
      yield* settled(fake)
      const answered = fake.voiceCalls().find((c) => c.to === to)!
      assert.notInclude(answered.answerXml!, "GetDigits")
      assert.include(answered.answerXml!, "loop=\"2\"")
      assert.strictEqual(answered.pressed, undefined)
      assert.deepStrictEqual(pressed, [])
      assert.strictEqual(Option.getOrThrow(yield* log.find("delivery:1")).status, "completed")
      assert.strictEqual(Option.getOrThrow(yield* log.find("delivery:2")).status, "unanswered")
    }))

  it.scoped("unsigned, forged or wrongly signed callbacks get 403 with no body, and change nothing", () =>
    Effect.gen(function*() {
      yield* clean
      const pressed: Pressed = []
      const { base, caller, fake, log } = yield* voiceWorld(recordingKeypad(pressed), {
        callee: () => ({ _tag: "NoAnswer" })
      })
      yield* caller.call({ to, text: checkIn, digits: "19", reference: "veille:step-2" })
      yield* settled(fake)
      const before = Option.getOrThrow(yield* log.find("veille:step-2"))
      const query = "?reference=veille%3Astep-2"
      for (const sign of ["none", "forged", "other-token"] as const) {
        for (const method of ["GET", "POST"] as const) {
          const answer = yield* callback(base, VOICE_ANSWER_PATH + query, { CallStatus: "in-progress" }, { sign,
            method })
          assert.deepStrictEqual(answer, { status: 403, body: "" })
        }
        const digits = yield* callback(base, VOICE_DIGITS_PATH + query, { Digits: "9" }, { sign })
        assert.deepStrictEqual(digits, { status: 403, body: "" })
        const hangup = yield* callback(base, VOICE_HANGUP_PATH + query, { CallStatus: "completed" }, { sign })
        assert.deepStrictEqual(hangup, { status: 403, body: "" })
      }
      // Signed for another reference than the one asked: the query is part of what is signed.
      const moved = yield* Effect.promise(async () => {
        const { signV3 } = await import("@vigie/adapters/sms/PlivoSignature")
        const nonce = "12345"
        const params = { Digits: "9" }
        const signature = signV3("voice-test-auth-token", { method: "POST",
          url: `${base}${VOICE_DIGITS_PATH}?reference=other`, nonce, params })
        const response = await fetch(`${base}${VOICE_DIGITS_PATH}${query}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-plivo-signature-v3": signature,
            "x-plivo-signature-v3-nonce": nonce },
          body: new URLSearchParams(params).toString()
        })
        return response.status
      })
      assert.strictEqual(moved, 403)
      assert.deepStrictEqual(pressed, [])
      assert.deepStrictEqual(Option.getOrThrow(yield* log.find("veille:step-2")), before)
    }))

  it.scoped("unknown references: a goodbye, a thank-you, no keypad; keys not offered are only thanked", () =>
    Effect.gen(function*() {
      yield* clean
      const pressed: Pressed = []
      const { base, caller, fake, log } = yield* voiceWorld(recordingKeypad(pressed), {
        callee: () => ({ _tag: "NoAnswer" })
      })
      const unknown = "?reference=veille%3Anever-called"
      const answer = yield* callback(base, VOICE_ANSWER_PATH + unknown, {}, { method: "GET" })
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(FakePlivo.speakTexts(answer.body), [UNKNOWN_CALL_TEXT])
      const digits = yield* callback(base, VOICE_DIGITS_PATH + unknown, { Digits: "9" })
      assert.deepStrictEqual([digits.status, FakePlivo.speakTexts(digits.body)], [200, [THANKS_TEXT]])
      assert.strictEqual((yield* callback(base, VOICE_HANGUP_PATH + unknown, { CallStatus: "completed" })).status, 200)
      assert.strictEqual((yield* callback(base, VOICE_ANSWER_PATH, {})).status, 400)
      assert.strictEqual(Option.isNone(yield* log.find("veille:never-called")), true)

      yield* caller.call({ to, text: checkIn, digits: "19", reference: "veille:step-3" })
      yield* settled(fake)
      const notOffered = yield* callback(base, VOICE_DIGITS_PATH + "?reference=veille%3Astep-3", { Digits: "5" })
      assert.deepStrictEqual(FakePlivo.speakTexts(notOffered.body), [THANKS_TEXT])
      assert.deepStrictEqual(pressed, [])
      const get = yield* callback(base, VOICE_ANSWER_PATH + "?reference=veille%3Astep-3", {}, { method: "GET" })
      assert.deepStrictEqual(FakePlivo.speakTexts(get.body), [checkIn, NO_KEY_TEXT])
    }))

  it.scoped("provider errors: 4xx is VoiceRejected, 5xx and 429 VoiceUnavailable (with Retry-After); the log says failed", () =>
    Effect.gen(function*() {
      yield* clean
      const { caller, fake, log } = yield* voiceWorld(recordingKeypad([]))
      const attempt = (fault: FakePlivo.PlivoFault, reference: string) =>
        Effect.gen(function*() {
          fake.setVoiceFault(() => fault)
          return failureOf(yield* Effect.exit(caller.call({ to, text: "Alerte.", reference })))
        })

      const invalid = yield* attempt(FakePlivo.InvalidDestination, "delivery:10")
      assert.instanceOf(invalid, VoiceRejected)
      assert.include(invalid.reason, "400")
      const stored = Option.getOrThrow(yield* log.find("delivery:10"))
      assert.strictEqual(stored.status, "failed")

      const before = fake.voiceRequests()
      const down = yield* attempt(FakePlivo.ServerError, "delivery:11")
      assert.instanceOf(down, VoiceUnavailable)
      // plivo 4.79.0 retries a 5xx twice by itself before giving up.
      assert.strictEqual(fake.voiceRequests() - before, 3)
      assert.instanceOf(yield* attempt({ _tag: "ServerError", status: 503 }, "delivery:12"), VoiceUnavailable)

      const slow = yield* attempt(FakePlivo.TooManyRequests("7"), "delivery:13")
      assert.instanceOf(slow, VoiceUnavailable)
      assert.strictEqual((slow as VoiceUnavailable).retryAfterSeconds, 7)
      assert.strictEqual(Option.getOrThrow(yield* log.find("delivery:13")).status, "failed")
      assert.strictEqual(fake.voiceCalls().length, 0)
      assert.strictEqual(PlivoVoiceCaller.pendingCalls(), 0)

      // Called again once Plivo is back: the same reference is placed anew.
      fake.setVoiceFault(() => FakePlivo.Ok)
      fake.setCallee(() => ({ _tag: "NoAnswer" }))
      yield* caller.call({ to, text: "Alerte.", reference: "delivery:13" })
      yield* settled(fake)
      assert.strictEqual(Option.getOrThrow(yield* log.find("delivery:13")).status, "unanswered")
    }))
})
