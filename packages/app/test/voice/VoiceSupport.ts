import { createServer } from "node:http"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { signV3 } from "@vigie/adapters/sms/PlivoSignature"
import * as PgDeliveryReceipts from "@vigie/adapters/sql/PgDeliveryReceipts"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import * as PlivoVoiceCaller from "@vigie/adapters/voice/PlivoVoiceCaller"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import { Context, Duration, Effect, Layer, Redacted } from "effect"
import type { Scope } from "effect"
import { plivoVoiceRoutes } from "../../src/http/PlivoVoiceWebhook.js"

export const authToken = "voice-test-auth-token"
export const from = "+33757000001"

/** What the test keypad heard: (reference, digits) in order. */
export type Pressed = Array<readonly [string, string]>

/** A keypad that records every key and answers "1" and "9" as a check-in would. */
export const recordingKeypad = (pressed: Pressed) =>
  Layer.succeed(VoiceKeypad, {
    answer: (reference, digits) =>
      Effect.sync(() => {
        pressed.push([reference, digits])
        return { speak: digits === "9" ? "Nous prévenons vos voisins veilleurs." : "Merci, bonne journée." }
      })
  })

export interface VoiceWorld {
  /** The server's address, also its PUBLIC_URL (what Plivo signs). */
  readonly base: string
  readonly fake: FakePlivo.FakePlivo
  readonly caller: VoiceCaller["Type"]
  readonly log: VoiceCallLog["Type"]
}

/**
 * The voice routes on a random local port over the suite's database (PgVoiceCallLog, receipts), a
 * fake Plivo, and PlivoVoiceCaller through the real SDK pointed at the fake, with PUBLIC_URL the
 * server's own address.
 */
export const voiceWorld = (
  keypad: Layer.Layer<VoiceKeypad>,
  options: FakePlivo.FakePlivoOptions = {}
): Effect.Effect<VoiceWorld, never, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function*() {
    const fake = yield* FakePlivo.scoped({ authToken, ...options })
    const listening = yield* Layer.build(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" }))
      .pipe(Effect.orDie)
    const address = Context.get(listening, HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
    const base = `http://127.0.0.1:${address.port}`
    const publicUrl = new URL(base)
    const logLayer = PgVoiceCallLog.layer
    const app = HttpRouter.empty.pipe(plivoVoiceRoutes({
      publicUrl,
      authToken: Redacted.make(authToken),
      keypad: Context.get(yield* Layer.build(keypad), VoiceKeypad)
    }))
    yield* Layer.build(
      HttpServer.serve(app).pipe(
        Layer.provide(Layer.succeedContext(listening)),
        Layer.provide(Layer.mergeAll(logLayer, PgDeliveryReceipts.layer))
      )
    )
    const services = yield* Layer.build(
      PlivoVoiceCaller.layerWith({
        authId: fake.authId,
        authToken: Redacted.make(authToken),
        apiUrl: fake.apiUrl,
        from,
        publicUrl,
        timeout: Duration.seconds(3)
      }).pipe(Layer.provideMerge(logLayer))
    )
    return { base, fake, caller: Context.get(services, VoiceCaller), log: Context.get(services, VoiceCallLog) }
  })

/** Calls one of the voice routes as Plivo would (signed V3 over PUBLIC_URL + path), or forged. */
export const callback = (
  base: string,
  pathAndQuery: string,
  fields: Record<string, string> | undefined,
  options: { readonly sign?: "ok" | "none" | "forged" | "other-token"; readonly method?: "GET" | "POST" } = {}
) =>
  Effect.promise(async () => {
    const method = options.method ?? "POST"
    const nonce = String(Math.floor(Math.random() * 1e15))
    const params = method === "GET" ? {} : fields ?? {}
    const sign = options.sign ?? "ok"
    const signature = sign === "forged"
      ? "Zm9yZ2VkLXNpZ25hdHVyZS1mb3JnZWQtc2lnbmF0dXJlLWZvcmc="
      : signV3(sign === "other-token" ? "not-our-token" : authToken, { method, url: base + pathAndQuery, nonce,
        params })
    const response = await fetch(base + pathAndQuery, {
      method,
      headers: {
        ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...(sign === "none" ? {} : { "x-plivo-signature-v3": signature, "x-plivo-signature-v3-nonce": nonce })
      },
      ...(method === "POST" ? { body: new URLSearchParams(params).toString() } : {})
    })
    return { status: response.status, body: await response.text() }
  })

/** Waits until the fake made every callback of the calls it took. */
export const settled = (fake: FakePlivo.FakePlivo) => Effect.promise(() => fake.settled())
