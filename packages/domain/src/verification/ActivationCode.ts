import { Schema } from "effect"
import { MembershipId } from "../shared/Ids.js"

/** Crockford base32: no I, L, O, U, so a code read off paper cannot be mistaken. */
export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

export const ACTIVATION_CODE_LENGTH = 10

/** The number of random bits an activation code carries: 10 × 5 = 50. */
export const ACTIVATION_CODE_BITS = ACTIVATION_CODE_LENGTH * 5

/** The random bytes needed to make one code (the 6 unused bits of the 7th byte are dropped). */
export const ACTIVATION_CODE_BYTES = Math.ceil(ACTIVATION_CODE_BITS / 8)

/** A canonical activation code: 10 Crockford base32 characters, upper case, no separators. */
export const ActivationCode = Schema.String.pipe(
  Schema.pattern(/^[0-9A-HJKMNP-TV-Z]{10}$/),
  Schema.brand("ActivationCode"),
  Schema.annotations({ identifier: "ActivationCode" })
)
export type ActivationCode = typeof ActivationCode.Type

/**
 * Makes a code from random bytes (at least ACTIVATION_CODE_BYTES of them, from a CSPRNG in the
 * adapter). Pure: the same bytes always give the same code.
 */
export const activationCodeFromBytes = (bytes: Uint8Array): ActivationCode => {
  if (bytes.length < ACTIVATION_CODE_BYTES) {
    throw new RangeError(`an activation code needs ${ACTIVATION_CODE_BYTES} random bytes`)
  }
  let bits = 0n
  for (let i = 0; i < ACTIVATION_CODE_BYTES; i++) bits = (bits << 8n) | BigInt(bytes[i]!)
  bits >>= BigInt(ACTIVATION_CODE_BYTES * 8 - ACTIVATION_CODE_BITS)
  let code = ""
  for (let i = 0; i < ACTIVATION_CODE_LENGTH; i++) {
    code = CROCKFORD_ALPHABET[Number(bits & 31n)] + code
    bits >>= 5n
  }
  return code as ActivationCode
}

/**
 * Reads what a person typed: case, spaces and hyphens are ignored, and the letters Crockford maps
 * (I and L to 1, O to 0) are accepted. Returns undefined when it cannot be a code at all.
 */
export const normalizeActivationCode = (typed: string): ActivationCode | undefined => {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0")
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(cleaned) ? (cleaned as ActivationCode) : undefined
}

/** Groups a code for printing on a letter: "7K3M-9QX2-TA". */
export const formatActivationCode = (code: ActivationCode): string =>
  `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`

/** A letter on its way: when its code stops working. */
export class LetterSent extends Schema.Class<LetterSent>("LetterSent")({
  membershipId: MembershipId,
  expiresAt: Schema.DateTimeUtc
}) {}
