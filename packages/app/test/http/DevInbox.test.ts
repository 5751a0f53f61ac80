import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import * as PdfPostalMailer from "@vigie/adapters/postal/PdfPostalMailer"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { databases, pglite, type TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { postalOptions } from "../../src/commands/Serve.js"
import type { DevOutbox } from "../../src/http/DevInbox.js"
import * as Server from "../../src/http/Server.js"
import * as StaticUi from "../../src/http/StaticUi.js"
import * as Platform from "../../src/Platform.js"
import * as ServerConfig from "../../src/ServerConfig.js"
import { noTrustedProxies } from "../../src/http/ClientAddress.js"
import { postRaw, publicUrl, requestLine, rpcClient } from "../support/HttpHarness.js"
import { mediaPorts, testSecrets } from "../support/TestPlatform.js"
import { homeAddress, makeWorld } from "../support/World.js"

type Env = "development" | "production"

/** The server as `npm start` wires it: outbox SMS and e-mail, PDF letters, dev inbox per VIGIE_ENV. */
const serverWithOutboxes = (db: TestDatabase, env: Env) => {
  const letters = mkdtempSync(join(tmpdir(), "vigie-letters-"))
  const config: ServerConfig.ServerConfig = {
    port: 0,
    publicUrl,
    env,
    smsProvider: "outbox",
    emailProvider: "outbox",
    blobStore: "fs",
    dataDir: letters,
    trustedProxies: noTrustedProxies,
    tileUrl: Option.none(),
    uiDir: StaticUi.defaultUiDir
  }
  const ports = Layer.mergeAll(
    Platform.repositories,
    Platform.localServices,
    PubSubLiveEvents.layer,
    PubSubDeliveryWakeup.layer,
    testSecrets,
    PublicUrl.layer(publicUrl),
    MairieSettings.layer,
    OutboxSmsSender.layer,
    OutboxEmailSender.layer,
    PdfPostalMailer.layerWith(postalOptions(config)),
    mediaPorts
  )
  return Server.layer({ devInbox: env === "development" }).pipe(
    Layer.provideMerge(Platform.useCases.pipe(Layer.provideMerge(ports), Layer.provideMerge(db.layer))),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )
}

const HOSTILE_FIRST = "<script>alert('x')</script>"
const HOSTILE_LAST = "\"><img src=x onerror=alert(1)>&amp;"

/** Registers a member with a hostile name, asks for a letter and a phone code, as a person would. */
const registerAndAskForCodes = (tag: string, phone: string) =>
  Effect.gen(function*() {
    const world = yield* makeWorld(tag)
    const email = `inbox.${tag}@example.org`
    const anonymous = yield* rpcClient()
    const registration = {
      firstName: HOSTILE_FIRST,
      lastName: HOSTILE_LAST,
      email: email as never,
      phone: Option.some(phone),
      password: Redacted.make("trois petits chats gris"),
      communityId: world.communityA.id,
      address: homeAddress("3 <b>rue</b> des Saules")
    }
    yield* anonymous.Register(registration)
    // The same address again: its owner is told by e-mail.
    yield* anonymous.Register(registration)
    const login = yield* postRaw(requestLine("LogIn", { email, password: "trois petits chats gris" }))
    const session = login.setCookie[0]!.split(";")[0]!
    const client = yield* rpcClient(session)
    const membership = (yield* client.WhoAmI({})).memberships[0]!.membership
    yield* client.RequestActivationLetter({ membershipId: membership.id })
    yield* client.RequestPhoneCode({ phone })
    return { client, membership, email }
  })

const get = (path: string) =>
  Effect.gen(function*() {
    const response = yield* (yield* HttpClient.HttpClient).execute(HttpClientRequest.get(path))
    return { status: response.status, headers: response.headers, text: yield* response.text }
  })

for (const db of databases) {
  describe(`dev inbox [${db.name}]`, () => {
    layer(serverWithOutboxes(db, "development"), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "VIGIE_ENV=development",
      (it) => {
        it.scoped("GET /dev/outbox lists the letter with its code, the phone-code SMS and the e-mail; the code activates the account", () =>
          Effect.gen(function*() {
            const { client, email, membership } = yield* registerAndAskForCodes(`dev-${db.name}`, "06 39 98 77 01")
            const reply = yield* get("/dev/outbox")
            expect(reply.status).toBe(200)
            expect(reply.headers["content-type"]).toMatch(/application\/json/)
            const outbox = JSON.parse(reply.text) as DevOutbox
            const letter = outbox.letters[0]!
            expect(letter.recipient).toBe(`${HOSTILE_FIRST} ${HOSTILE_LAST}`)
            expect(letter.address[0]).toBe("3 <b>rue</b> des Saules")
            expect(letter.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
            expect(Date.parse(letter.time)).not.toBeNaN()
            const sms = outbox.sms[0]!
            expect(sms.recipient).toBe("+33639987701")
            expect(sms.text).toMatch(/code de vérification est \d{6}/)
            const mail = outbox.emails.find((m) => m.recipient === email)!
            expect(mail.subject.length).toBeGreaterThan(0)
            expect(mail.body.length).toBeGreaterThan(0)

            // What the inbox shows is what a person types in.
            const verified = yield* client.ConfirmActivationCode({ membershipId: membership.id, code: letter.code! })
            expect(verified.status).toBe("verified")
            const account = yield* client.ConfirmPhoneCode({ code: /(\d{6})/.exec(sms.text)![1]! })
            expect(account.phoneVerified).toBe(true)
          }))

        it.scoped("a claim letter of a paper neighbour shows there with its code, labelled as such, and the code claims the account", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`dev-claim-${db.name}`)
            const referent = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const phone = "05 49 77 01 02"
            yield* referent.RegisterPaperNeighbour({ communityId: world.communityA.id, firstName: "Lucienne",
              lastName: `Fixe${db.name}`, address: homeAddress("8 allée des Tilleuls"), phone, consent: true })
            const anonymous = yield* rpcClient()
            yield* anonymous.RequestAccountClaim({ phone, by: "letter" })
            const outbox = JSON.parse((yield* get("/dev/outbox")).text) as DevOutbox
            const letter = outbox.letters.find((l) => l.recipient === `Lucienne Fixe${db.name}`)!
            expect(letter.kind).toBe("account_claim")
            expect(letter.address[0]).toBe("8 allée des Tilleuls")
            expect(letter.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
            const page = yield* get("/dev")
            expect(page.text).toContain(`<p class="code big" aria-label="Code pour créer l’accès">${letter.code}</p>`)
            const me = yield* anonymous.ClaimAccount({ phone, code: letter.code!,
              email: `lucienne.${db.name}@example.org` as never, password: Redacted.make("trois petits chats gris") })
            expect(Option.getOrNull(me.account.email)).toBe(`lucienne.${db.name}@example.org`)
          }))

        it.scoped("GET /dev shows them on a French page, the code large, every value escaped", () =>
          Effect.gen(function*() {
            yield* registerAndAskForCodes(`page-${db.name}`, "06 39 98 77 02")
            const outbox = JSON.parse((yield* get("/dev/outbox")).text) as DevOutbox
            const page = yield* get("/dev")
            expect(page.status).toBe(200)
            expect(page.headers["content-type"]).toMatch(/text\/html/)
            expect(page.headers["content-security-policy"]).toMatch(/default-src 'none'/)
            expect(page.text).toContain("<html lang=\"fr\">")
            expect(page.text).toContain("Boîte de développement")
            // The demo staff's current TOTP code, for signing in as them.
            expect(page.text).toMatch(/aria-label="Code de connexion du personnel">\d{6}</)
            expect(page.text).toContain("name=\"viewport\"")
            expect(page.text).toContain("http-equiv=\"refresh\"")
            expect(page.text).toContain(
              `<p class="code big" aria-label="Code d’activation">${outbox.letters[0]!.code}</p>`
            )
            expect(page.text).toMatch(/<strong class="code">\d{6}<\/strong>/)
            // Hostile names and addresses come out as text, never as markup.
            expect(page.text).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
            expect(page.text).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;")
            expect(page.text).toContain("3 &lt;b&gt;rue&lt;/b&gt; des Saules")
            expect(page.text).not.toContain("<script")
            expect(page.text).not.toContain("<img")
            expect(page.text).not.toContain("<b>rue")
          }))
      }
    )
  })
}

describe("dev inbox [production]", () => {
  layer(serverWithOutboxes(pglite, "production"), { excludeTestServices: true, timeout: Duration.seconds(120) })(
    "VIGIE_ENV=production",
    (it) => {
      it.scoped("GET /dev and GET /dev/outbox answer 404, and letters keep no code", () =>
        Effect.gen(function*() {
          yield* registerAndAskForCodes("prod", "06 39 98 77 03")
          expect((yield* get("/dev")).status).toBe(404)
          expect((yield* get("/dev/outbox")).status).toBe(404)
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ code: string | null }>`SELECT code FROM postal_outbox`
          expect(rows.length).toBeGreaterThan(0)
          expect(rows.every((r) => r.code === null)).toBe(true)
        }))
    }
  )
})
