import { describe, expect, it } from "@effect/vitest"
import { CommonPasswords } from "@vigie/domain/accounts/CommonPasswords"
import { Effect, Option } from "effect"
import * as OtpAuthTotp from "../../src/auth/OtpAuthTotp.js"
import * as ZxcvbnCommonPasswords from "../../src/auth/ZxcvbnCommonPasswords.js"

describe("ZxcvbnCommonPasswords", () => {
  it.effect("knows the passwords tried first, whatever their case, and not a personal passphrase", () =>
    Effect.gen(function*() {
      const list = yield* CommonPasswords
      for (
        const common of ["azerty", "motdepasse", "soleil", "qwerty123456", "Qwerty123456", "123456789012",
          "ADMINISTRATOR", "azertyuiop"]
      ) {
        expect(yield* list.isCommon(common), common).toBe(true)
      }
      for (const fine of ["voisins-vigilants-2026", "une phrase de passe assez longue", "Chloé arrose les géraniums"]) {
        expect(yield* list.isCommon(fine), fine).toBe(false)
      }
    }).pipe(Effect.provide(ZxcvbnCommonPasswords.layer)))
})

describe("OtpAuthTotp", () => {
  const totp = OtpAuthTotp.make
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
  const t = 1_700_000_000_000

  it("accepts the code of the step before, the current one and the next, and tells which step", () => {
    const step = Math.floor(t / 30_000)
    expect(totp.matchStep(secret, totp.codeAt(secret, t), t)).toStrictEqual(Option.some(step))
    expect(totp.matchStep(secret, totp.codeAt(secret, t - 30_000), t)).toStrictEqual(Option.some(step - 1))
    expect(totp.matchStep(secret, totp.codeAt(secret, t + 30_000), t)).toStrictEqual(Option.some(step + 1))
    expect(totp.matchStep(secret, totp.codeAt(secret, t - 90_000), t)).toStrictEqual(Option.none())
    expect(totp.matchStep(secret, "12345", t)).toStrictEqual(Option.none())
  })

  it.effect("makes 160-bit base32 secrets and an otpauth address an app reads", () =>
    Effect.gen(function*() {
      const fresh = yield* totp.newSecret
      expect(fresh).toMatch(/^[A-Z2-7]{32}$/)
      const uri = new URL(totp.uri({ secret: fresh, label: "agent@mairie.fr" }))
      expect(uri.protocol).toBe("otpauth:")
      expect(uri.searchParams.get("secret")).toBe(fresh)
      expect(uri.searchParams.get("issuer")).toBe("Vigie")
    }))
})
