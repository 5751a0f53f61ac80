import { createServer } from "node:http"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import { databases, type TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import * as PlivoVoiceCaller from "@vigie/adapters/voice/PlivoVoiceCaller"
import { VOICE_ANSWER_PATH } from "@vigie/adapters/voice/VoicePaths"
import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Clock, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as Server from "../../src/http/Server.js"
import * as Keypads from "../../src/voice/Keypads.js"
import { actorOf } from "../support/Actors.js"
import { platformWith } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"
import { nextCheckInOf, paperPerson, setupFor, textsTo } from "./Support.js"

const HOUR = 3_600_000
const authToken = "veille-voice-auth-token"
const from = "+33757000009"
/**
 * The phone picks up at once, without ringing: the harshest case. The veille places its call after the
 * transaction that settles the check-in commits (Veilles.settleLocked), so the answer URL, fetched the
 * moment the fake answers, finds the call's log row (a call placed inside the transaction once heard
 * "unknown call" here on the real server).
 */
const RING_MS = 0

/**
 * One clock for the test's fibers and the server's: the keys pressed during a call reach the veille
 * through the HTTP server, at the same "now" as the worker that placed the call.
 */
let now = Date.now()
const realClock = Clock.make()
const movableClock: Clock.Clock = {
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => now,
  currentTimeMillis: Effect.sync(() => now),
  unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
  currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
  sleep: realClock.sleep
}
const at = (ms: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    now = ms
    return effect
  })

class VoiceFake extends Context.Tag("test/VeilleVoiceFake")<VoiceFake, {
  readonly fake: FakePlivo.FakePlivo
  readonly base: string
}>() {}

/**
 * The whole server on a local port (its address is PUBLIC_URL, which Plivo signs), the platform with
 * the real PlivoVoiceCaller (the plivo SDK) aimed at a fake Plivo, which calls back the signed answer,
 * digits and hangup URLs; the keys go through Keypads to the veille.
 */
const voiceServer = (db: TestDatabase) =>
  Layer.scopedContext(Effect.withClock(
    Effect.gen(function*() {
      const fake = yield* FakePlivo.scoped({ authToken })
      const listening = yield* Layer.build(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" }))
        .pipe(Effect.orDie)
      const address = Context.get(listening, HttpServer.HttpServer).address
      if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
      const base = `http://127.0.0.1:${address.port}`
      const publicUrl = new URL(base)
      const caller = PlivoVoiceCaller.layerWith({
        authId: fake.authId,
        authToken: Redacted.make(authToken),
        apiUrl: fake.apiUrl,
        from,
        publicUrl,
        timeout: Duration.seconds(5)
      }).pipe(Layer.provide(PgVoiceCallLog.layer))
      const services = yield* Layer.build(Keypads.layer.pipe(Layer.provideMerge(platformWith(db, publicUrl, caller))))
      yield* Layer.build(
        Server.layer({ voice: { authToken: Redacted.make(authToken), keypad: Context.get(services, VoiceKeypad) } })
          .pipe(Layer.provide(Layer.succeedContext(Context.merge(services, listening))))
      )
      return Context.add(services, VoiceFake, { fake, base })
    }),
    movableClock
  ))

/** A neighbour with a landline, their veille by voice, both veilleurs accepted; the next check-in's time. */
const voiceVeille = (tag: string) =>
  Effect.gen(function*() {
    now = Date.now()
    const world = yield* makeWorld(tag)
    const v = yield* paperPerson(world, tag.replace(/[^A-Za-z]/g, ""), true)
    const veilles = yield* Veilles
    const referent = actorOf(world.accounts.referentA)
    const view = yield* veilles.setup(referent, setupFor(world, v, { channel: "voice" }))
    for (const w of v.veilleurs) yield* veilles.answerInvitation(actorOf(w), view.id, true)
    const ten = yield* nextCheckInOf(world.accounts.referentA, v.person.id)
    return { world, v, view, ten, veilles, referent }
  })

const settled = Effect.flatMap(VoiceFake, ({ fake }) => Effect.promise(() => fake.settled()))

const callsTo = (to: string) => Effect.map(VoiceFake, ({ fake }) => fake.voiceCalls().filter((c) => c.to === to))

for (const db of databases) {
  describe(`la veille by voice, through the plivo SDK, the fake Plivo and the server [${db.name}]`, () => {
    layer(voiceServer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over HTTP", (it) => {
      it.effect("the call reads the French check-in with keys 1 and 9; 1 closes it and the history says so", () =>
        Effect.withClock(
          Effect.gen(function*() {
            const { fake } = yield* VoiceFake
            fake.setCallee(() => ({ _tag: "Answer", press: "1", ringMs: RING_MS }))
            const { v, view, ten, veilles, referent } = yield* voiceVeille(`veille-voix-un-${db.name}`)
            const run = yield* at(ten)(veilles.runDue(10))
            expect(run.claimed).toBeGreaterThanOrEqual(1)
            yield* settled
            const [call, ...others] = yield* callsTo(v.personPhone)
            expect(others).toEqual([])
            expect(call!.from).toBe(from)
            expect(call!.answerUrl).toContain(`${VOICE_ANSWER_PATH}?reference=veille%3A`)
            expect(call!.answerStatus).toBe(200)
            expect(call!.answerXml).toContain("<GetDigits")
            expect(call!.answerXml).toContain("validDigits=\"19\"")
            expect(call!.answerXml).toContain("language=\"fr-FR\"")
            expect(call!.spoken[0]).toBe(
              `Bonjour ${v.person.firstName} ${v.person.lastName}, tout va bien ? ` +
                "Appuyez sur 1 si tout va bien, sur 9 si vous avez besoin d'aide."
            )
            expect([call!.pressed, call!.digitsStatus]).toEqual(["1", 200])
            expect(call!.digitsReply).toEqual(["Merci, bonne journée !"])
            expect(call!.hangupStatus).toBe(200)

            const history = yield* veilles.history(referent, view.id)
            expect(history[0]?.text).toBe("Veille close : tout va bien")
            expect(history.map((e) => e.text)).toContain("Message de veille envoyé")
            const stored = Option.getOrThrow(
              yield* (yield* VoiceCallLog).find(call!.answerUrl.split("reference=")[1]!
                .replace("%3A", ":"))
            )
            expect([stored.status, Option.getOrNull(stored.pressed)]).toEqual(["completed", "1"])
            // Closed: an hour later nobody is reminded, two hours later no veilleur is alerted.
            yield* at(ten + HOUR)(veilles.runDue(10))
            yield* at(ten + 2 * HOUR)(veilles.runDue(10))
            yield* settled
            expect((yield* callsTo(v.personPhone)).length).toBe(1)
            for (const w of v.veilleurs) {
              expect(yield* textsTo(Option.getOrThrow(w.phone))).not.toContainEqual(
                expect.stringContaining("Pas de nouvelles")
              )
            }
          }),
          movableClock
        ))

      it.effect("9 starts the escalation at once: the veilleurs are alerted", () =>
        Effect.withClock(
          Effect.gen(function*() {
            const { fake } = yield* VoiceFake
            fake.setCallee(() => ({ _tag: "Answer", press: "9", ringMs: RING_MS }))
            const { v, view, ten, veilles, referent } = yield* voiceVeille(`veille-voix-neuf-${db.name}`)
            yield* at(ten)(veilles.runDue(10))
            yield* settled
            const [call] = yield* callsTo(v.personPhone)
            expect(call!.pressed).toBe("9")
            expect(call!.digitsStatus).toBe(200)
            expect(call!.digitsReply!.join(" ")).toContain("veilleurs")
            const name = `${v.person.firstName} ${v.person.lastName}`
            for (const w of v.veilleurs) {
              expect((yield* textsTo(Option.getOrThrow(w.phone))).at(-1)).toBe(
                `Vigie : ${name} demande de l'aide (veille de 10 h). Pouvez-vous passer la voir ? Répondez J'Y VAIS.`
              )
            }
            const history = (yield* veilles.history(referent, view.id)).map((e) => e.text)
            expect(history).toContain("Voisins veilleurs prévenus")
          }),
          movableClock
        ))

      it.effect("picked up, no key, hung up: the window runs as for SMS (a second call after 1 h, the veilleurs after 2 h)", () =>
        Effect.withClock(
          Effect.gen(function*() {
            const { fake } = yield* VoiceFake
            fake.setCallee(() => ({ _tag: "Answer", ringMs: RING_MS }))
            const { v, view, ten, veilles, referent } = yield* voiceVeille(`veille-voix-rien-${db.name}`)
            yield* at(ten)(veilles.runDue(10))
            yield* settled
            const [call] = yield* callsTo(v.personPhone)
            expect(call!.pressed).toBeUndefined()
            expect(call!.hangupStatus).toBe(200)
            const [paul] = v.veilleurs as [typeof v.veilleurs[0]]
            const before = yield* textsTo(Option.getOrThrow(paul.phone))
            // Half an hour later: nothing yet.
            yield* at(ten + HOUR / 2)(veilles.runDue(10))
            yield* settled
            expect((yield* callsTo(v.personPhone)).length).toBe(1)
            // The reminder is a second call.
            yield* at(ten + HOUR)(veilles.runDue(10))
            yield* settled
            expect((yield* callsTo(v.personPhone)).length).toBe(2)
            // Two hours without an answer: the veilleurs are alerted.
            yield* at(ten + 2 * HOUR)(veilles.runDue(10))
            yield* settled
            const name = `${v.person.firstName} ${v.person.lastName}`
            expect((yield* textsTo(Option.getOrThrow(paul.phone))).slice(before.length)).toEqual([
              `Vigie : pas de nouvelles de ${name} depuis 10 h. Pouvez-vous passer la voir ? Répondez J'Y VAIS.`
            ])
            const history = (yield* veilles.history(referent, view.id)).map((e) => e.text)
            expect(history).toContain("Voisins veilleurs prévenus")
            expect(history).not.toContain("Veille close : tout va bien")
          }),
          movableClock
        ))
    })
  })
}
