import { describe, expect, it } from "@effect/vitest"
import { alertIdFromShortId, alertLink, preferencesLink, shortAlertId, siteUrl } from "@vigie/domain/channels/Links"
import type { AlertId } from "@vigie/domain/shared/Ids"
import { Option } from "effect"
import fc from "fast-check"

describe("links", () => {
  it("start with PUBLIC_URL without its trailing slashes", () => {
    const alertId = "0b6f1c2e-8a3d-4c1e-9f2a-1234567890ab" as AlertId
    const forms = ["https://vigie.example.fr", "https://vigie.example.fr///", new URL("https://vigie.example.fr/")]
    for (const publicUrl of forms) {
      expect(siteUrl(publicUrl)).toBe("https://vigie.example.fr")
      expect(siteUrl(publicUrl, "/mot-de-passe-oublie")).toBe("https://vigie.example.fr/mot-de-passe-oublie")
      expect(preferencesLink(publicUrl)).toBe("https://vigie.example.fr/preferences")
      expect(alertLink(publicUrl, alertId)).toBe(`https://vigie.example.fr/a/${shortAlertId(alertId)}`)
    }
  })

  it("short ids are 22 URL-safe characters and give the alert id back", () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => {
      const short = shortAlertId(uuid as AlertId)
      expect(short).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(alertIdFromShortId(short)).toEqual(Option.some(uuid.toLowerCase()))
    }))
    expect(alertIdFromShortId("not-a-short-id")).toEqual(Option.none())
  })
})
