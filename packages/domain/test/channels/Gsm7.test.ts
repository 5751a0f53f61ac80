import { describe, expect, it } from "@effect/vitest"
import { gsm7Segments, toGsm7, truncateGsm7 } from "@vigie/domain/channels/Gsm7"
import fc from "fast-check"

/** Reference: pack each character, one by one, into parts; the plain textbook rules. */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXT = "\f^{}\\[~]|€"
const referenceSegments = (text: string) => {
  const chars = [...text]
  const gsm = chars.every((c) => GSM_BASIC.includes(c) || GSM_EXT.includes(c))
  const size = (c: string) => gsm ? (GSM_EXT.includes(c) ? 2 : 1) : c.length
  const single = gsm ? 160 : 70
  const multi = gsm ? 153 : 67
  const total = chars.reduce((n, c) => n + size(c), 0)
  if (total <= single) return { encoding: gsm ? "GSM-7" : "UCS-2", segments: 1 }
  const parts: Array<Array<string>> = [[]]
  for (const c of chars) {
    const current = parts[parts.length - 1]!
    if (current.reduce((n, x) => n + size(x), 0) + size(c) > multi) parts.push([c])
    else current.push(c)
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", segments: parts.length }
}

const gsmChar = fc.constantFrom(...GSM_BASIC, ...GSM_EXT)
const anyChar = fc.oneof(
  gsmChar,
  gsmChar,
  fc.constantFrom("œ", "ê", "ç", "’", "…", "🚗", "🙂", "É", "«", "»", "°", "\u00a0", "文")
)
const textArb = (max: number) => fc.array(anyChar, { maxLength: max }).map((cs) => cs.join(""))

describe("GSM-7", () => {
  it("counts parts at 160/153 septets in GSM-7 and 70/67 code units in UCS-2", () => {
    expect(gsm7Segments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(gsm7Segments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 })
    expect(gsm7Segments("a".repeat(306)).segments).toBe(2)
    expect(gsm7Segments("a".repeat(307)).segments).toBe(3)
    expect(gsm7Segments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(gsm7Segments("Cœur").encoding).toBe("UCS-2")
    expect(gsm7Segments("a".repeat(70) + "œ").segments).toBe(2)
    expect(gsm7Segments("é".repeat(70)).encoding).toBe("GSM-7")
    expect(gsm7Segments("🚗".repeat(35))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 })
    expect(gsm7Segments("🚗".repeat(36)).segments).toBe(2)
  })

  it("never splits an escape pair or a surrogate pair across parts", () => {
    expect(gsm7Segments("a".repeat(152) + "€" + "a".repeat(10)).segments).toBe(2)
    expect(gsm7Segments("a".repeat(152) + "€" + "a".repeat(152)).segments).toBe(3)
    expect(gsm7Segments("a".repeat(66) + "🚗" + "a".repeat(66)).segments).toBe(3)
  })

  it("agrees with a character-by-character reference on generated texts", () => {
    fc.assert(
      fc.property(fc.oneof(textArb(500), fc.fullUnicodeString({ maxLength: 400 })), (text) => {
        const ours = gsm7Segments(text)
        expect({ encoding: ours.encoding, segments: ours.segments }).toEqual(referenceSegments(text))
      }),
      { numRuns: 1000 }
    )
  })

  it("turns non-GSM French characters into GSM ones instead of paying UCS-2", () => {
    expect(toGsm7("Cœur fenêtre ça l’été « oui » 🚗 n°3…")).toBe("Coeur fenetre ca l'été \" oui \" no3...")
  })

  it("shortens to a septet budget with \"...\", at a word boundary when one is near", () => {
    expect(truncateGsm7("Voiture grise devant le portail", 20)).toBe("Voiture grise...")
    expect(truncateGsm7("court", 20)).toBe("court")
    expect(truncateGsm7("abc", 3)).toBe("abc")
    expect(truncateGsm7("abcd", 3)).toBe("")
  })
})
