import { describe, expect, layer } from "@effect/vitest"
import { pglite } from "@vigie/adapters/test/support/TestDatabase"
import { Duration, Effect } from "effect"
import { postRaw, requestLine, rpcClient, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { makeWorld, PASSWORD } from "../support/World.js"

/** The attributes of one Set-Cookie header, lower-cased names, without the name=value pair. */
const attributes = (setCookie: string): Map<string, string> =>
  new Map(
    setCookie.split(";").slice(1).map((part) => {
      const [name, ...value] = part.trim().split("=")
      return [name!.toLowerCase(), value.join("=")] as const
    })
  )

const variants = [
  { url: new URL("https://vigie.example.fr"), name: "__Host-vigie_session", wrongName: "vigie_session", secure: true },
  { url: new URL("http://vigie.test"), name: "vigie_session", wrongName: "__Host-vigie_session", secure: false }
] as const

for (const variant of variants) {
  describe(`session cookie with PUBLIC_URL=${variant.url.origin}`, () => {
    layer(serverLayer(pglite, variant.url), { excludeTestServices: true, timeout: Duration.seconds(60) })(
      "over real HTTP",
      (it) => {
        it.scoped(`LogIn sets ${variant.name}${variant.secure ? " (Secure)" : " (no Secure)"}, HttpOnly, SameSite=Lax, Path=/, no Domain; another name is not a session`, () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`cookie-${variant.url.protocol.replace(":", "")}`)
            const login = yield* postRaw(
              requestLine("LogIn", { email: world.emails.memberA, password: PASSWORD }),
              siteHeaders(undefined, variant.url)
            )
            expect(login.lines[0]).toMatchObject({ exit: { _tag: "Success" } })
            expect(login.setCookie).toHaveLength(1)
            const header = login.setCookie[0]!
            const [pair] = header.split(";")
            expect(pair!.slice(0, pair!.indexOf("="))).toBe(variant.name)
            const attrs = attributes(header)
            expect(attrs.has("httponly")).toBe(true)
            expect(attrs.get("samesite")?.toLowerCase()).toBe("lax")
            expect(attrs.get("path")).toBe("/")
            expect(attrs.has("domain")).toBe(false)
            expect(attrs.has("secure")).toBe(variant.secure)

            const token = pair!.slice(pair!.indexOf("=") + 1)
            const me = yield* (yield* rpcClient(`${variant.name}=${token}`, variant.url)).WhoAmI({})
            expect(me.account.id).toBe(world.accounts.memberA.id)
            const wrong = yield* Effect.flip(
              (yield* rpcClient(`${variant.wrongName}=${token}`, variant.url)).WhoAmI({})
            )
            expect(wrong._tag).toBe("Unauthenticated")
          }))
      }
    )
  })
}
