import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck, Schema } from "effect"
import {
  defaultGazettePreferences,
  digestTopics,
  GazettePreferences,
  gazetteTopics,
  wantsAtOnce
} from "../../src/gazette/GazettePreferences.js"
import { GetGazettePreferences, UpdateGazettePreferences } from "../../src/gazette/GazettePreferencesRpcs.js"

const preferences = Arbitrary.make(GazettePreferences)

describe("Gazette preferences", () => {
  it("default to the mairie's news and lost and found at once, the rest in the digest, never SMS", () => {
    const p = defaultGazettePreferences("6f7c1a52-1111-4222-8333-444455556666" as never)
    expect(gazetteTopics.filter((t) => wantsAtOnce(p, t))).toEqual(["communication", "perdu_trouve"])
    expect(digestTopics(p)).toEqual(["entraide", "annonce", "covoiturage", "evenement", "vie_du_quartier",
      "compte_rendu"])
    expect(p.mairieSms).toBe(false)
  })

  it("put every topic in exactly one of: at once, the digest, nothing", () =>
    FastCheck.assert(FastCheck.property(preferences, (p) => {
      const atOnce = gazetteTopics.filter((t) => wantsAtOnce(p, t))
      const digest = digestTopics(p)
      const nothing = gazetteTopics.filter((t) => p.choices[t] === "none")
      expect([...atOnce, ...digest, ...nothing].sort()).toEqual([...gazetteTopics].sort())
      expect(atOnce.filter((t) => digest.includes(t))).toEqual([])
    })))

  it("round-trip their RPC payloads and answers", () =>
    FastCheck.assert(FastCheck.property(preferences, (p) => {
      const success = UpdateGazettePreferences.successSchema
      expect(Schema.decodeUnknownSync(success)(Schema.encodeSync(success)(p))).toEqual(p)
      const payload = { choices: p.choices, mairieSms: p.mairieSms }
      const schema = UpdateGazettePreferences.payloadSchema
      expect(Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(payload as never))).toEqual(payload)
      expect(GetGazettePreferences._tag).toBe("GetGazettePreferences")
    })))
})
