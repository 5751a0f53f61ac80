import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck, Schema } from "effect"
import { shortName } from "../../src/alerts/AlertReaction.js"
import { AlertReactionRpcs } from "../../src/alerts/AlertReactionRpcs.js"

describe("shortName", () => {
  it("is the first name and the capital initial of the last name", () => {
    expect(shortName("Chloé", "Moreau")).toBe("Chloé M.")
    expect(shortName(" Éthan ", "guérin")).toBe("Éthan G.")
    expect(shortName("Inès", "Élisabeth-Lefèvre")).toBe("Inès É.")
    expect(shortName("Anne", "de Villiers")).toBe("Anne D.")
  })

  it("never carries more of the last name than its first letter", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.string({ minLength: 1 }), FastCheck.string({ minLength: 2 }), (first, last) => {
        const name = shortName(first, last)
        // The first name, then at most a space, one capital letter (a few code units) and a dot.
        return name.startsWith(first.trim()) && /^( [^ ]{1,3}\.)?$/su.test(name.slice(first.trim().length))
      })
    )
  })
})

describe("AlertReactionRpcs on the wire", () => {
  for (const rpc of AlertReactionRpcs.requests.values()) {
    it(`${rpc._tag}: payload, success and errors survive encode → decode`, () => {
      for (
        const schema of [rpc.payloadSchema, rpc.successSchema, rpc.errorSchema] as ReadonlyArray<Schema.Schema.Any>
      ) {
        const s = schema as Schema.Schema<unknown, unknown, never>
        FastCheck.assert(
          FastCheck.property(Arbitrary.make(s), (value) => {
            expect(Schema.decodeUnknownSync(s)(Schema.encodeSync(s)(value))).toEqual(value)
          }),
          { numRuns: 30 }
        )
      }
    })
  }
})
