import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import {
  ACTIVATION_CODE_BYTES,
  ActivationCode,
  activationCodeFromBytes,
  CROCKFORD_ALPHABET,
  formatActivationCode,
  normalizeActivationCode
} from "../../src/verification/ActivationCode.js"

const bits50 = fc.bigInt({ min: 0n, max: (1n << 50n) - 1n })
/** The 7 bytes whose top 50 bits are `n` (and whose 6 low bits are `noise`). */
const bytesOf = (n: bigint, noise = 0): Uint8Array => {
  let v = (n << 6n) | BigInt(noise & 63)
  const out = new Uint8Array(7)
  for (let i = 6; i >= 0; i--) {
    out[i] = Number(v & 255n)
    v >>= 8n
  }
  return out
}
/** Reads a code back as a number, the plain way. */
const valueOf = (code: string) => [...code].reduce((acc, ch) => acc * 32n + BigInt(CROCKFORD_ALPHABET.indexOf(ch)), 0n)
const isCode = Schema.is(ActivationCode)

describe("activation codes", () => {
  it("the alphabet is Crockford base32: 32 symbols, no I, L, O, U", () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32)
    expect(new Set(CROCKFORD_ALPHABET).size).toBe(32)
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/)
    expect(ACTIVATION_CODE_BYTES).toBe(7)
  })

  it.prop(
    "any random bytes give 10 characters of the alphabet",
    [fc.uint8Array({ minLength: 7, maxLength: 32 })],
    ([bytes]) => {
      const code = activationCodeFromBytes(bytes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
      expect(isCode(code)).toBe(true)
      expect(activationCodeFromBytes(bytes)).toBe(code)
    }
  )

  it.prop(
    "a code carries exactly the first 50 bits: distinct bits give distinct codes",
    [bits50, bits50, fc.nat(63)],
    ([a, b, noise]) => {
      expect(valueOf(activationCodeFromBytes(bytesOf(a, noise)))).toBe(a)
      expect(activationCodeFromBytes(bytesOf(a)) === activationCodeFromBytes(bytesOf(b))).toBe(a === b)
    }
  )

  it("edge values", () => {
    expect(activationCodeFromBytes(new Uint8Array(7))).toBe("0000000000")
    expect(activationCodeFromBytes(new Uint8Array(7).fill(255))).toBe("ZZZZZZZZZZ")
    expect(activationCodeFromBytes(bytesOf(1n))).toBe("0000000001")
  })

  it("refuses fewer than 7 bytes", () => {
    expect(() => activationCodeFromBytes(new Uint8Array(6))).toThrow(RangeError)
  })

  it.each([
    ["7k3m9qx2ta", "7K3M9QX2TA"],
    ["7K3M-9QX2-TA", "7K3M9QX2TA"],
    [" 7k3m 9qx2 ta ", "7K3M9QX2TA"],
    ["O0O0-ILil-11", "0000111111"],
    ["oooo\toooooo", "0000000000"]
  ])("normalize accepts %j as %s", (typed, code) => {
    expect(normalizeActivationCode(typed)).toBe(code)
  })

  it.each(["7K3M9QX2TU", "7K3M9QX2T", "7K3M9QX2TAA", "", "7K3M_9QX2TA", "7K3M9QX2T*", "7K3M9QX2TÀ"])(
    "normalize rejects %j",
    (typed) => {
      expect(normalizeActivationCode(typed)).toBeUndefined()
    }
  )

  it.prop("format then normalize gives the code back", [fc.uint8Array({ minLength: 7, maxLength: 7 })], ([bytes]) => {
    const code = activationCodeFromBytes(bytes)
    const printed = formatActivationCode(code)
    expect(printed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)
    expect(normalizeActivationCode(printed)).toBe(code)
    expect(normalizeActivationCode(printed.toLowerCase())).toBe(code)
  })
})
