import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { pglite } from "@vigie/adapters/test/support/TestDatabase"
import * as OutboxVoiceCaller from "@vigie/adapters/voice/OutboxVoiceCaller"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import type { PhoneE164 } from "@vigie/domain/shared/Text"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import type { DevOutbox } from "../../src/http/DevInbox.js"
import * as Server from "../../src/http/Server.js"
import { platform } from "../support/TestPlatform.js"
import { recordingKeypad } from "./VoiceSupport.js"
import type { Pressed } from "./VoiceSupport.js"

const pressed: Pressed = []

/** The development server with the voice outbox and its signed callbacks (a token made for the run). */
const devServer = Layer.unwrapEffect(
  Effect.map(
    VoiceKeypad,
    (keypad) => Server.layer({ devInbox: true, voice: { authToken: Redacted.make(crypto.randomUUID()), keypad } })
  )
).pipe(
  Layer.provideMerge(platform(pglite)),
  Layer.provideMerge(recordingKeypad(pressed)),
  Layer.provideMerge(NodeHttpServer.layerTest)
)

const get = (path: string) =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (http) =>
      Effect.flatMap(http.execute(HttpClientRequest.get(path)), (r) =>
        Effect.map(r.text, (text) => ({ status: r.status, text })))
  )

layer(devServer, { excludeTestServices: true, timeout: Duration.seconds(120) })("the dev inbox's voice calls", (it) => {
  it.effect("an outbox call shows as « Appel vocal » with its text, and a key pressed on the page reaches the keypad", () =>
    Effect.gen(function*() {
      const caller = yield* VoiceCaller.pipe(Effect.provide(OutboxVoiceCaller.layer))
      const receipt = yield* caller.call({
        to: "+33146000009" as PhoneE164,
        text: "Bonjour Madame <Martin>, appuyez sur 1 si tout va bien, sur 9 si vous avez besoin d’aide.",
        digits: "19",
        reference: "veille:dev-1"
      })
      assert.match(receipt.providerId, /^outbox-voice-/)

      const page = yield* get("/dev")
      assert.strictEqual(page.status, 200)
      assert.include(page.text, "Appel vocal à +33146000009")
      assert.include(page.text, "Bonjour Madame &lt;Martin&gt;, appuyez sur 1")
      assert.include(page.text, `<button type="submit" name="digits" value="9">Appuyer sur 9</button>`)
      const outbox = JSON.parse((yield* get("/dev/outbox")).text) as DevOutbox
      assert.deepStrictEqual(
        outbox.voice.map((c) => [c.reference, c.recipient, c.digits, c.pressed, c.status]),
        [["veille:dev-1", "+33146000009", "19", null, "placed"]]
      )

      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(
        HttpClientRequest.post("/dev/voice").pipe(
          HttpClientRequest.bodyUrlParams({ reference: "veille:dev-1", digits: "9" })
        )
      )
      assert.strictEqual(response.status, 303)
      assert.strictEqual(response.headers["location"], "/dev?voice=200#voice")
      assert.deepStrictEqual(pressed, [["veille:dev-1", "9"]])
      const stored = Option.getOrThrow(yield* (yield* VoiceCallLog).find("veille:dev-1"))
      assert.deepStrictEqual([Option.getOrNull(stored.pressed), stored.outbox], ["9", true])
      assert.include((yield* get("/dev")).text, "touche 9")
    }))
})
