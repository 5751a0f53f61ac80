import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { SecretBox } from "@vigie/domain/shared/SecretBox"
import { Secrets } from "@vigie/domain/shared/Secrets"
import { Effect, Layer } from "effect"

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM under a key derived from the server's secret key through the Secrets port (its own
 * purpose, so the key serves nothing else). A box is IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes).
 */
export const make = Effect.gen(function*() {
  const secrets = yield* Secrets
  const key = Buffer.from(yield* secrets.keyedHash("secret_box", "aes-256-gcm"))
  return SecretBox.of({
    seal: (plaintext) =>
      Effect.sync(() => {
        const iv = randomBytes(IV_BYTES)
        const cipher = createCipheriv("aes-256-gcm", key, iv)
        const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
        return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]))
      }),
    open: (sealed) =>
      Effect.sync(() => {
        const box = Buffer.from(sealed)
        const decipher = createDecipheriv("aes-256-gcm", key, box.subarray(0, IV_BYTES))
        decipher.setAuthTag(box.subarray(box.length - TAG_BYTES))
        return Buffer.concat([decipher.update(box.subarray(IV_BYTES, box.length - TAG_BYTES)), decipher.final()])
          .toString("utf8")
      })
  })
})

export const layer = Layer.effect(SecretBox, make)
