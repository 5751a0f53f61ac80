import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto"
import { MessageCipher } from "@vigie/domain/messaging/MessageCipher"
import { Secrets } from "@vigie/domain/shared/Secrets"
import { Effect, Layer } from "effect"

const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
/** Unwrapped data keys kept in memory, so that a page of 50 messages unwraps its key once. */
const CACHE_SIZE = 2000

const sealWith = (key: Buffer, plaintext: Buffer, aad: string): Buffer => {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()])
}

const openWith = (key: Buffer, sealed: Uint8Array, aad: string): Buffer => {
  // A view of the sealed bytes, not a copy.
  const box = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  const decipher = createDecipheriv("aes-256-gcm", key, box.subarray(0, IV_BYTES))
  decipher.setAAD(Buffer.from(aad, "utf8"))
  decipher.setAuthTag(box.subarray(box.length - TAG_BYTES))
  return Buffer.concat([decipher.update(box.subarray(IV_BYTES, box.length - TAG_BYTES)), decipher.final()])
}

/**
 * Envelope encryption on node:crypto. The key-encryption key is HKDF-SHA256 of the server's secret
 * key's own derivation for messages (Secrets, purpose "message_keys"); each conversation's data key
 * is 32 random bytes, stored wrapped (AES-256-GCM under the key-encryption key); each body is
 * AES-256-GCM under the data key, with the conversation's id as associated data. A box is
 * IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes).
 */
export const make = Effect.gen(function*() {
  const secrets = yield* Secrets
  const material = Buffer.from(yield* secrets.keyedHash("message_keys", "key-encryption-key"))
  const kek = Buffer.from(hkdfSync("sha256", material, "vigie", "vigie/messaging/kek/v1", KEY_BYTES))
  const cache = new Map<string, Buffer>()
  // The same wrapped key object is passed for every message of a page: remembered by identity too.
  const recent = new WeakMap<Uint8Array, Buffer>()
  const unwrap = (wrapped: Uint8Array): Buffer => {
    const known = recent.get(wrapped)
    if (known !== undefined) return known
    const id = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength).toString("base64")
    let key = cache.get(id)
    if (key === undefined) {
      key = openWith(kek, wrapped, "data-key")
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
      cache.set(id, key)
    }
    recent.set(wrapped, key)
    return key
  }
  return MessageCipher.of({
    newKey: Effect.sync(() => new Uint8Array(sealWith(kek, randomBytes(KEY_BYTES), "data-key"))),
    seal: (wrapped, context, plaintext) =>
      Effect.sync(() => new Uint8Array(sealWith(unwrap(wrapped), Buffer.from(plaintext, "utf8"), context))),
    open: (wrapped, context, sealed) => Effect.sync(() => openWith(unwrap(wrapped), sealed, context).toString("utf8"))
  })
})

export const layer = Layer.effect(MessageCipher, make)
