import { assert, layer } from "@effect/vitest"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { Effect, Option } from "effect"
import type { Layer } from "effect"

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256)

const key = (name: string) => `photo/${name}-${crypto.randomUUID()}`

/** The behaviour every BlobStore adapter shares (STYLE rule 17). */
export const blobStoreContract = <E>(name: string, adapter: Layer.Layer<BlobStore, E>): void => {
  layer(adapter, { excludeTestServices: true })(`BlobStore contract: ${name}`, (it) => {
    it.effect("gives back exactly the bytes put under a key", () =>
      Effect.gen(function*() {
        const store = yield* BlobStore
        const k = key("roundtrip")
        const bytes = bytesOf(300_000, 7)
        yield* store.put(k, bytes, "image/jpeg")
        const got = yield* store.get(k)
        assert.isTrue(Option.isSome(got))
        assert.strictEqual(Option.getOrThrow(got).byteLength, bytes.byteLength)
        assert.deepStrictEqual(Buffer.from(Option.getOrThrow(got)), Buffer.from(bytes))
      }))

    it.effect("answers None for a key never put, and for a key removed", () =>
      Effect.gen(function*() {
        const store = yield* BlobStore
        assert.isTrue(Option.isNone(yield* store.get(key("never"))))
        const k = key("removed")
        yield* store.put(k, bytesOf(10, 1), "application/pdf")
        yield* store.remove(k)
        assert.isTrue(Option.isNone(yield* store.get(k)))
      }))

    it.effect("removing an unknown key does nothing, twice", () =>
      Effect.gen(function*() {
        const store = yield* BlobStore
        const k = key("unknown")
        yield* store.remove(k)
        yield* store.remove(k)
        assert.isTrue(Option.isNone(yield* store.get(k)))
      }))

    it.effect("a second put replaces the bytes, and keys never mix", () =>
      Effect.gen(function*() {
        const store = yield* BlobStore
        const a = key("a")
        const b = key("b")
        yield* store.put(a, bytesOf(100, 1), "image/jpeg")
        yield* store.put(b, bytesOf(200, 2), "image/jpeg")
        yield* store.put(a, bytesOf(50, 3), "image/jpeg")
        assert.deepStrictEqual(Buffer.from(Option.getOrThrow(yield* store.get(a))), Buffer.from(bytesOf(50, 3)))
        assert.deepStrictEqual(Buffer.from(Option.getOrThrow(yield* store.get(b))), Buffer.from(bytesOf(200, 2)))
      }))

    it.effect("stores an empty blob and many blobs at once", () =>
      Effect.gen(function*() {
        const store = yield* BlobStore
        const empty = key("empty")
        yield* store.put(empty, new Uint8Array(), "application/pdf")
        assert.strictEqual(Option.getOrThrow(yield* store.get(empty)).byteLength, 0)
        const keys = Array.from({ length: 20 }, (_, i) => [key(`many${i}`), i] as const)
        yield* Effect.forEach(keys, ([k, i]) => store.put(k, bytesOf(1000 + i, i), "image/jpeg"), { concurrency: 8 })
        const back = yield* Effect.forEach(keys, ([k]) => store.get(k), { concurrency: 8 })
        assert.deepStrictEqual(back.map((b) => Option.getOrThrow(b).byteLength), keys.map(([, i]) => 1000 + i))
      }))
  })
}
