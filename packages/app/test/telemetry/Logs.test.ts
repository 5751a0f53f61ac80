import { describe, expect, it, layer } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import { pglite } from "@vigie/adapters/test/support/TestDatabase"
import { unpaced } from "@vigie/domain/delivery/Pacing"
import { maskPhoneNumbers } from "@vigie/domain/shared/Redaction"
import { formatActivationCode } from "@vigie/domain/verification/ActivationCode"
import { Duration, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import * as Logging from "../../src/telemetry/Logging.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { plainRenderer } from "../../src/workers/PlainTexts.js"
import { postRaw, requestLine, rpcClient, serverLayer } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { homeAddress, makeWorld, PASSWORD } from "../support/World.js"
import { recordingSenders } from "../workers/Senders.js"

/** The secrets of a journey found in log lines: each secret with the first line that holds it. */
export const leaks = (lines: ReadonlyArray<string>, secrets: ReadonlyArray<string>) =>
  secrets.flatMap((secret) => {
    const line = lines.find((l) => l.includes(secret))
    return line === undefined ? [] : [{ secret, line }]
  })

/** Every way a phone number may be written: E.164, national, national with spaces or dots. */
const phoneForms = (national: string) => {
  const digits = national.replace(/\D/g, "")
  const pairs = digits.match(/../g)!
  return [`+33${digits.slice(1)}`, digits, pairs.join(" "), pairs.join("."), `33${digits.slice(1)}`]
}

const lines: Array<string> = []
/** The production logger (JSON lines, masking), at debug level, writing into `lines`. */
const captured = Logging.layer({ format: "json", level: LogLevel.Debug }, (line) => lines.push(line))

describe("Logs", () => {
  it("the leak check finds a secret in a line, and masking keeps only the last two digits of a phone", () => {
    const line = JSON.stringify({ message: "Plivo refused +33639982002", code: "482913" })
    expect(leaks([line], ["+33639982002", "482913"]).map((l) => l.secret)).toStrictEqual(["+33639982002", "482913"])
    expect(leaks([maskPhoneNumbers(line)], phoneForms("06 39 98 20 02"))).toStrictEqual([])
    expect(maskPhoneNumbers("to +33 6 39 98 20 02 and 06.39.98.20.03, id 2026-12-06 n=1234567"))
      .toBe("to •• •• •• •• 02 and •• •• •• •• 03, id 2026-12-06 n=1234567")
  })

  it.effect("both formats mask the numbers of messages, annotations and causes; text is the pretty logger's", () =>
    Effect.gen(function*() {
      const written: Record<"json" | "text", Array<string>> = { json: [], text: [] }
      for (const format of ["json", "text"] as const) {
        yield* Effect.logWarning("Plivo refused +33639982002", new Error("invalid dst 0639982002")).pipe(
          Effect.annotateLogs({ to: "+33 6 39 98 20 02" }),
          Effect.provide(Logging.layer({ format, level: LogLevel.Info }, (line) => written[format].push(line)))
        )
      }
      expect(written.text[0]).toMatch(/WARN .*: Plivo refused •• •• •• •• 02/)
      for (const lines of Object.values(written)) {
        expect(lines.join("\n")).toContain("•• •• •• •• 02")
        expect(leaks(lines, phoneForms("06 39 98 20 02"))).toStrictEqual([])
      }
    }))

  layer(serverLayer(pglite).pipe(Layer.provideMerge(captured)), {
    excludeTestServices: true,
    timeout: Duration.seconds(120)
  })("a journey's logs in production JSON", (it) => {
    it.scoped(
      "sign-up, phone and address codes, log-ins, an alert delivered by Plivo: no code, password, token or full phone number in the logs",
      () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("logs")
          const sent = yield* Sent
          const phone = "06 39 98 20 02"
          const password = "sept moutons blancs au pré"
          const email = "dominique.logs@example.org"
          // One line of every level the journey logs, through the same logger: the capture works.
          yield* Effect.logWarning("journey starts")
          const anonymous = yield* rpcClient()
          yield* anonymous.Register({
            firstName: "Dominique",
            lastName: "Martin",
            email: email as never,
            phone: Option.some(phone),
            password: Redacted.make(password),
            communityId: world.communityA.id,
            address: homeAddress("12 rue des Lilas")
          })
          yield* Effect.flip(
            anonymous.LogIn({ email: email as never, password: Redacted.make("mauvais mot de passe") })
          )
          const login = yield* postRaw(requestLine("LogIn", { email, password }))
          const cookie = login.setCookie.find((c) => c.startsWith("vigie_session="))!.split(";")[0]!
          const token = cookie.slice("vigie_session=".length)
          const client = yield* rpcClient(cookie)
          const membership = (yield* client.WhoAmI({})).memberships[0]!.membership
          yield* client.RequestActivationLetter({ membershipId: membership.id })
          const letterCode = sent.letters[sent.letters.length - 1]!.code
          yield* Effect.flip(client.ConfirmActivationCode({ membershipId: membership.id, code: "0000000000" }))
          yield* client.ConfirmActivationCode({ membershipId: membership.id, code: letterCode })
          yield* client.RequestPhoneCode({ phone })
          const smsCode = /(\d{6})/.exec(sent.sms[sent.sms.length - 1]!.text)![1]!
          yield* Effect.flip(client.ConfirmPhoneCode({ code: smsCode === "000000" ? "111111" : "000000" }))
          yield* client.ConfirmPhoneCode({ code: smsCode })

          // A neighbour's alert reaches the new member by SMS, through the real Plivo SDK and a fake Plivo
          // that first fails (its error goes through the logs' path) and then accepts.
          const neighbour = yield* postRaw(requestLine("LogIn", { email: world.emails.memberA, password: PASSWORD }))
          const neighbourClient = yield* rpcClient(
            neighbour.setCookie.find((c) => c.startsWith("vigie_session="))!.split(";")[0]!
          )
          yield* neighbourClient.PostAlert({
            scope: { _tag: "Community", communityId: world.communityA.id },
            category: "burglary",
            urgency: "urgent",
            text: "Tentative d'effraction rue des Lilas cette nuit",
            place: Option.none(),
            sharedWithAuthorities: false
          })
          let calls = 0
          const fake = yield* FakePlivo.scoped({ fault: () => (calls++ === 0 ? FakePlivo.ServerError : FakePlivo.Ok) })
          const plivo = PlivoSmsSender.layerWith({
            authId: fake.authId,
            authToken: Redacted.make(fake.authToken),
            apiUrl: fake.apiUrl,
            from: "+33612345678"
          })
          const config: DeliveryWorker.DeliveryWorkerConfig = {
            ...DeliveryWorker.defaultConfig,
            retry: { baseDelay: Duration.millis(1), maxDelay: Duration.millis(1), maxAttempts: 5 }
          }
          const render = yield* plainRenderer
          const cycle = DeliveryWorker.cycle("sms", 1000, unpaced, render, config).pipe(
            Effect.provide(Layer.mergeAll(
              PgDeliveryRepo.layer,
              PgAlertRepo.layer,
              PgReferentBulletins.layer,
              recordingSenders().layer.pipe(Layer.merge(plivo))
            ))
          )
          // A failing cycle's warning goes through the same logger as the worker's.
          yield* Effect.logWarning("delivery cycle", yield* cycle)
          yield* Effect.sleep(Duration.millis(20))
          yield* Effect.logInfo("delivery cycle", yield* cycle)
          expect(fake.accepted().map((m) => m.destination)).toContain("+33639982002")
          // A request carrying its own X-Request-Id from an untrusted peer gets a fresh one, echoed back.
          const http = yield* HttpClient.HttpClient
          const health = yield* http.execute(
            HttpClientRequest.get("/healthz").pipe(
              HttpClientRequest.setHeader("x-request-id", "forged-request-id-123")
            )
          )
          expect(health.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)

          const secrets = [
            ...phoneForms(phone),
            password,
            "mauvais mot de passe",
            PASSWORD,
            token,
            letterCode,
            formatActivationCode(letterCode),
            smsCode
          ]
          expect(lines.length).toBeGreaterThan(5)
          // JSON lines, one object each, and the requests' lines carry their request id.
          expect(lines.every((l) => typeof JSON.parse(l) === "object")).toBe(true)
          expect(lines.some((l) => (JSON.parse(l) as { annotations?: { requestId?: string } }).annotations?.requestId))
            .toBe(true)
          expect(leaks(lines, secrets)).toStrictEqual([])
        }).pipe(Effect.provide(Logger.minimumLogLevel(LogLevel.Debug)))
    )
  })
})
