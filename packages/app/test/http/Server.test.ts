import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { formatActivationCode } from "@vigie/domain/verification/ActivationCode"
import { Duration, Effect, Exit, Option, Redacted } from "effect"
import { postRaw, requestLine, rpcClient, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { homeAddress, makeWorld, PASSWORD } from "../support/World.js"

const failureTag = (
  line: Record<string, unknown> | undefined
) => ((line?.["exit"] as { cause?: { error?: { _tag?: string } } } | undefined)?.cause?.error?._tag)

for (const db of databases) {
  describe(`HTTP server [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over real HTTP", (it) => {
      it.effect("GET /healthz and /readyz answer 200 on a migrated database", () =>
        Effect.gen(function*() {
          const http = yield* HttpClient.HttpClient
          const health = yield* http.execute(HttpClientRequest.get("/healthz"))
          expect(health.status).toBe(200)
          const ready = yield* http.execute(HttpClientRequest.get("/readyz"))
          expect(ready.status).toBe(200)
          expect(yield* ready.json).toMatchObject({ status: "ready" })
          // Unknown server paths are a JSON 404; any other path belongs to the web app (its client routes).
          for (const path of ["/webhooks/nowhere", "/rpc/nowhere", "/dev/nowhere"]) {
            const other = yield* http.execute(HttpClientRequest.get(path))
            expect(other.status).toBe(404)
            expect(yield* other.json).toEqual({ _tag: "NotFound" })
          }
          const clientRoute = yield* http.execute(HttpClientRequest.get("/alertes/nouvelle"))
          // 200 with index.html once `npm run build` ran, 503 with a French hint before: never a 404 or 500.
          expect([200, 503]).toContain(clientRoute.status)
        }))

      it.effect("refuses RPC calls without the custom header or from another origin (CSRF)", () =>
        Effect.gen(function*() {
          const body = requestLine("FindCommunes", { postcode: "33140" })
          const noHeader = yield* postRaw(body, { origin: "http://vigie.test" })
          expect(noHeader.status).toBe(403)
          const otherOrigin = yield* postRaw(body, { origin: "http://evil.example", "x-vigie-rpc": "1" })
          expect(otherOrigin.status).toBe(403)
          // The refusal names the site's address, for the page to tell its visitor where Vigie is.
          expect(otherOrigin.lines[0]).toStrictEqual({ _tag: "CsrfRejected", reason: "origin",
            expected: "http://vigie.test" })
          const noOrigin = yield* postRaw(body, { "x-vigie-rpc": "1" })
          expect(noOrigin.status).toBe(403)
          const ok = yield* postRaw(body)
          expect(ok.status).toBe(200)
          expect(ok.lines[0]).toMatchObject({ _tag: "Exit", exit: { _tag: "Success" } })
        }))

      it.effect("answers bad input with a typed error and no 5xx", () =>
        Effect.gen(function*() {
          const malformed = yield* postRaw("{not json\n")
          expect(malformed.status).toBe(400)
          expect(malformed.lines[0]).toStrictEqual({ _tag: "MalformedRequest" })
          const notMessage = yield* postRaw("[1,2,3]\n")
          expect(notMessage.status).toBe(400)

          const wrongType = yield* postRaw(requestLine("FindCommunes", { postcode: 33140 }))
          expect(wrongType.status).toBe(200)
          expect(failureTag(wrongType.lines[0])).toBe("InvalidRequest")

          const unknownField = yield* postRaw(requestLine("FindCommunes", { postcode: "33140", admin: true }))
          expect(failureTag(unknownField.lines[0])).toBe("InvalidRequest")

          const oversize = yield* postRaw(requestLine("Register", {
            firstName: "x".repeat(81),
            lastName: "Voisin",
            email: "x@example.org",
            password: PASSWORD,
            communityId: crypto.randomUUID(),
            address: { line1: "1 rue", postcode: "33140", city: "Cadaujac" }
          }))
          expect(failureTag(oversize.lines[0])).toBe("InvalidRequest")

          const unknownRpc = yield* postRaw(requestLine("DropTables", {}))
          expect(failureTag(unknownRpc.lines[0])).toBe("InvalidRequest")

          const huge = yield* postRaw(requestLine("FindCommunes", { postcode: "3".repeat(300_000) }))
          expect(huge.status).toBe(413)
        }))

      it.scoped("logs in with an HttpOnly SameSite=Lax cookie, knows who I am, and logs out", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`http-${db.name}`)
          const login = yield* postRaw(requestLine("LogIn", { email: world.emails.memberA, password: PASSWORD }))
          expect(login.lines[0]).toMatchObject({ exit: { _tag: "Success" } })
          const cookie = login.setCookie.find((c) => c.startsWith("vigie_session="))!
          expect(cookie).toMatch(/HttpOnly/)
          expect(cookie).toMatch(/SameSite=Lax/)
          expect(cookie).toMatch(/Path=\//)
          expect(cookie).not.toMatch(/Secure/)
          const session = cookie.split(";")[0]!

          const client = yield* rpcClient(session)
          const me = yield* client.WhoAmI({})
          expect(me.account.id).toBe(world.accounts.memberA.id)
          expect(me.memberships.map((m) => m.community.id)).toStrictEqual([world.communityA.id])

          const anonymous = yield* rpcClient()
          expect(Exit.isFailure(yield* Effect.exit(anonymous.WhoAmI({})))).toBe(true)

          const wrong = yield* Effect.flip(
            anonymous.LogIn({ email: world.emails.memberA, password: Redacted.make("not the password") })
          )
          expect(wrong._tag).toBe("InvalidCredentials")
          const unknown = yield* Effect.flip(
            anonymous.LogIn({ email: world.emails.memberA.replace("@", "x@") as typeof world.emails.memberA,
              password: Redacted.make("not the password") })
          )
          expect(unknown._tag).toBe("InvalidCredentials")

          const logout = yield* postRaw(requestLine("LogOut", {}), siteHeaders(session))
          expect(logout.setCookie.some((c) => c.startsWith("vigie_session=;") && /Max-Age=0/.test(c))).toBe(true)
          const after = yield* Effect.flip((yield* rpcClient(session)).WhoAmI({}))
          expect(after._tag).toBe("Unauthenticated")
        }))

      it.scoped("registers, sends an activation letter, and verifies the membership with its code only once", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`act-${db.name}`)
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const email = `camille.${db.name}@example.org`
          const anonymous = yield* rpcClient()
          yield* anonymous.Register({
            firstName: "Camille",
            lastName: "Durand",
            email: email as never,
            phone: Option.some("06 39 98 20 01"),
            password: Redacted.make("trois petits chats gris"),
            communityId: world.communityA.id,
            address: homeAddress("9 allée des Saules")
          })
          // The same e-mail again: the same answer, and the owner is told by e-mail.
          yield* anonymous.Register({
            firstName: "Quelqu'un",
            lastName: "Autre",
            email: email as never,
            phone: Option.none(),
            password: Redacted.make("une autre phrase assez longue"),
            communityId: world.communityA.id,
            address: homeAddress("1 rue ailleurs")
          })
          expect(sent.emails.filter((m) => m.to === email)).toHaveLength(1)
          const weak = yield* Effect.flip(anonymous.Register({
            firstName: "Faible",
            lastName: "Mot",
            email: `weak.${db.name}@example.org` as never,
            phone: Option.none(),
            password: Redacted.make("azerty"),
            communityId: world.communityA.id,
            address: homeAddress("2 rue")
          }))
          expect(weak._tag).toBe("WeakPassword")

          const login = yield* postRaw(requestLine("LogIn", { email, password: "trois petits chats gris" }))
          const session = login.setCookie[0]!.split(";")[0]!
          const client = yield* rpcClient(session)
          const me = yield* client.WhoAmI({})
          const membership = me.memberships[0]!.membership
          expect(membership.status).toBe("pending_verification")

          yield* client.RequestActivationLetter({ membershipId: membership.id })
          const letter = sent.letters[sent.letters.length - 1]!
          expect(letter.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
          const [row] = yield* sql<{ stored: number }>`SELECT count(*)::int AS stored FROM address_verifications
            WHERE membership_id = ${membership.id} AND position(convert_to(${letter.code}, 'UTF8') in code_hash) > 0`
          expect(row?.stored).toBe(0)

          const wrong = yield* Effect.flip(
            client.ConfirmActivationCode({ membershipId: membership.id, code: "0000000000" })
          )
          expect(wrong).toMatchObject({ _tag: "WrongCode", remainingAttempts: 4 })
          const verified = yield* client.ConfirmActivationCode({
            membershipId: membership.id,
            code: formatActivationCode(letter.code).toLowerCase()
          })
          expect(verified.status).toBe("verified")
          const replay = yield* Effect.flip(
            client.ConfirmActivationCode({ membershipId: membership.id, code: letter.code })
          )
          expect(replay._tag).toBe("MembershipNotPending")

          const phone = yield* client.RequestPhoneCode({ phone: "06 39 98 20 01" })
          expect(phone.phone).toBe("+33639982001")
          const text = sent.sms[sent.sms.length - 1]!.text
          const code = /(\d{6})/.exec(text)![1]!
          const account = yield* client.ConfirmPhoneCode({ code })
          expect(account.phoneVerified).toBe(true)
          const again = yield* Effect.flip(client.ConfirmPhoneCode({ code }))
          expect(again._tag).toBe("CodeAlreadyUsed")
        }))
    })
  })
}
