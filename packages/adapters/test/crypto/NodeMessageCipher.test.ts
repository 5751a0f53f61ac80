import { describe, expect, it } from "@effect/vitest"
import * as NodeMessageCipher from "@vigie/adapters/crypto/NodeMessageCipher"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import { MessageCipher } from "@vigie/domain/messaging/MessageCipher"
import { Effect, Exit, Layer, Redacted } from "effect"

const keyed = (fill: number) =>
  NodeMessageCipher.layer.pipe(Layer.provide(NodeSecrets.layerWith(Redacted.make(new Uint8Array(32).fill(fill)))))
const cipher = Effect.provide(MessageCipher, keyed(7))
const ascii = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1")

describe("envelope encryption of messages", () => {
  it.effect("opens what it sealed, under the same conversation; the sealed body and the key show no plaintext", () =>
    Effect.gen(function*() {
      const c = yield* cipher
      const key = yield* c.newKey
      const sealed = yield* c.seal(key, "conv-1", "Le code du portail est 4521B")
      expect(ascii(sealed)).not.toContain("portail")
      expect(yield* c.open(key, "conv-1", sealed)).toBe("Le code du portail est 4521B")
      // Each seal is fresh (random IV); each conversation's key its own.
      expect(ascii(yield* c.seal(key, "conv-1", "Le code du portail est 4521B"))).not.toBe(ascii(sealed))
      expect(ascii(yield* c.newKey)).not.toBe(ascii(key))
    }))

  it.effect("refuses another conversation's context, another key, an altered body, another server key", () =>
    Effect.gen(function*() {
      const c = yield* cipher
      const key = yield* c.newKey
      const other = yield* c.newKey
      const sealed = yield* c.seal(key, "conv-1", "secret")
      expect(Exit.isFailure(yield* Effect.exit(c.open(key, "conv-2", sealed)))).toBe(true)
      expect(Exit.isFailure(yield* Effect.exit(c.open(other, "conv-1", sealed)))).toBe(true)
      const altered = new Uint8Array(sealed)
      altered[14] = altered[14]! ^ 1
      expect(Exit.isFailure(yield* Effect.exit(c.open(key, "conv-1", altered)))).toBe(true)
      // A dump's keys are useless under another VIGIE_SECRET_KEY.
      const elsewhere = yield* Effect.provide(MessageCipher, keyed(8))
      expect(Exit.isFailure(yield* Effect.exit(elsewhere.open(key, "conv-1", sealed)))).toBe(true)
    }))
})
