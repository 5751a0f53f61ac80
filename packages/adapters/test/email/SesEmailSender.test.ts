import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { MessageRejected } from "@aws-sdk/client-ses"
import { assert, describe, it, layer } from "@effect/vitest"
import * as SesEmailSender from "@vigie/adapters/email/SesEmailSender"
import { EmailSender, EmailUnavailable } from "@vigie/domain/channels/EmailSender"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Exit, Layer, Redacted } from "effect"
import type { Scope } from "effect"
import * as SesLocal from "../support/fakes/SesLocal"
import { SesLocalServer } from "../support/fakes/SesLocal"
import { emailSenderContract, messages } from "./EmailSenderContract"

const from = "Vigie <alertes@vigie.example>"
const credentials = { accessKeyId: "AKIAFAKE", secretAccessKey: Redacted.make("fake-secret") }

const onEndpoint = (endpoint: string, concurrency?: number) =>
  SesEmailSender.make({
    region: "eu-west-3",
    endpoint,
    credentials,
    from,
    timeout: "2 seconds",
    ...(concurrency === undefined ? {} : { concurrency })
  })

const adapter = Layer.provideMerge(
  Layer.unwrapEffect(Effect.map(SesLocalServer, (ses) => Layer.scoped(EmailSender, onEndpoint(ses.endpoint)))),
  SesLocal.layer
)

emailSenderContract(
  "SesEmailSender + aws-ses-v2-local",
  adapter,
  Effect.map(SesLocalServer, (ses) => ({
    sent: (providerId: string) =>
      Effect.map(ses.emails, (emails) => {
        const email = emails.find((e) => e.messageId === providerId)
        return email && {
          to: email.destination.to[0]!,
          subject: email.subject,
          text: email.body.text ?? "",
          html: email.body.html ?? ""
        }
      }),
    count: Effect.map(ses.emails, (emails) => emails.length)
  }))
)

layer(adapter, { excludeTestServices: true })("SesEmailSender + aws-ses-v2-local", (it) => {
  it.effect("sends from EMAIL_FROM to the one recipient of each message", () =>
    Effect.gen(function*() {
      const ses = yield* SesLocalServer
      const sender = yield* EmailSender
      const [outcome] = yield* sender.send(messages(1, "from"))
      const stored = (yield* ses.emails).find((e) => outcome?._tag === "Accepted" && e.messageId === outcome.providerId)
      assert.strictEqual(stored?.from, from)
      assert.deepStrictEqual(stored?.destination.to, ["voisin0.from@example.fr"])
    }))
})

/** A stand-in for SES that refuses or throttles chosen recipients, in SES's own XML. */
const faultySes: Effect.Effect<
  { readonly endpoint: string; readonly calls: () => number; readonly close: (done: () => void) => void },
  never,
  Scope.Scope
> = Effect
  .acquireRelease(
    Effect.promise(async () => {
      let calls = 0
      const error = (code: string, message: string) =>
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>` +
        `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-${calls}</RequestId></ErrorResponse>`
      const server = createServer((req, res) => {
        let body = ""
        req.on("data", (chunk) => (body += chunk))
        req.on("end", () => {
          calls++
          const to = new URLSearchParams(body).get("Destination.ToAddresses.member.1") ?? ""
          res.setHeader("content-type", "text/xml")
          if (to.startsWith("refuse")) {
            res.writeHead(400).end(error("MessageRejected", "Email address is not verified."))
          } else if (to.startsWith("throttle")) {
            res.writeHead(400).end(error("Throttling", "Maximum sending rate exceeded."))
          } else if (to.startsWith("down")) {
            res.writeHead(503).end(error("ServiceUnavailable", "Service unavailable."))
          } else {
            res.writeHead(200).end(
              `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult>` +
                `<MessageId>m-${calls}</MessageId></SendEmailResult></SendEmailResponse>`
            )
          }
        })
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      return {
        server,
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        calls: () => calls,
        close: (done: () => void) => {
          server.close(() => done())
          server.closeAllConnections()
        }
      }
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        if (!server.listening) return resume(Effect.void)
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

const to = (address: string) => ({
  to: Email.make(address),
  subject: "Alerte",
  text: "texte",
  html: "<p>texte</p>"
})

describe("SesEmailSender outcomes", () => {
  it.scoped("refuses a rejected address for good, retries after throttling, and stops sending once throttled", () =>
    Effect.gen(function*() {
      const ses = yield* faultySes
      const sender = yield* onEndpoint(ses.endpoint, 1)
      const outcomes = yield* sender.send([
        to("ok1@example.fr"),
        to("refuse@example.fr"),
        to("throttle@example.fr"),
        to("ok2@example.fr")
      ])
      assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Accepted", "Refused", "Retry", "Retry"])
      assert.include(outcomes[1]!._tag === "Refused" ? outcomes[1]!.reason : "", "MessageRejected")
      assert.strictEqual(ses.calls(), 3)
    }))

  it.scoped("fails with EmailUnavailable when nothing of the batch went out", () =>
    Effect.gen(function*() {
      const ses = yield* faultySes
      const sender = yield* onEndpoint(ses.endpoint)
      const exit = yield* Effect.exit(sender.send([to("down1@example.fr"), to("down2@example.fr")]))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") assert.instanceOf(exit.cause.error, EmailUnavailable)
      else assert.fail("expected EmailUnavailable")
    }))

  it.scoped("fails with EmailUnavailable when SES cannot be reached", () =>
    Effect.gen(function*() {
      const ses = yield* faultySes
      yield* Effect.promise(() => new Promise<void>((resolve) => ses.close(resolve)))
      const sender = yield* onEndpoint(ses.endpoint, 2)
      const exit = yield* Effect.exit(sender.send([to("a@example.fr"), to("b@example.fr")]))
      assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "EmailUnavailable")
    }))

  it("classifies SDK errors", () => {
    const rejected = new MessageRejected({ message: "Email address is not verified.",
      $metadata: { httpStatusCode: 400 } })
    assert.isFalse(SesEmailSender.isTransient(rejected))
    assert.isTrue(
      SesEmailSender.isTransient({ name: "Throttling", $fault: "client", $metadata: { httpStatusCode: 400 } })
    )
    assert.isTrue(
      SesEmailSender.isTransient({ name: "InternalFailure", $fault: "server", $metadata: { httpStatusCode: 500 } })
    )
    assert.isTrue(
      SesEmailSender.isTransient(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))
    )
    assert.isFalse(
      SesEmailSender.isTransient({ name: "InvalidParameterValue", $fault: "client",
        $metadata: { httpStatusCode: 400 } })
    )
  })
})
