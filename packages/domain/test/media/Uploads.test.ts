import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Ref } from "effect"
import { BlobStore } from "../../src/media/BlobStore.js"
import { DocumentCheck } from "../../src/media/DocumentCheck.js"
import { ImagePipeline } from "../../src/media/ImagePipeline.js"
import { ImageUnreadable, NotAPdf } from "../../src/media/MediaErrors.js"
import { MAX_UPLOAD_BYTES, UPLOADS_PER_HOUR } from "../../src/media/MediaPolicy.js"
import type { Upload } from "../../src/media/Upload.js"
import { UploadRepo } from "../../src/media/UploadRepo.js"
import * as Uploads from "../../src/media/Uploads.js"
import { AccountId } from "../../src/shared/Ids.js"
import { RateCounters } from "../../src/shared/RateCounters.js"

const owner = AccountId.make("8d3c1c52-6a3e-4d7a-9d43-0c4b1f2a7e11")
const other = AccountId.make("2f0c9f0e-5b7a-4c3e-8f1d-7a6b5c4d3e21")

/** What the doubles saw: the blobs stored, the rows written, the calls to the pipeline. */
interface Seen {
  readonly blobs: Map<string, Uint8Array>
  readonly rows: Array<Upload>
  decoded: number
  failInsert: boolean
}

const world = Effect.gen(function*() {
  const seen: Seen = { blobs: new Map(), rows: [], decoded: 0, failInsert: false }
  const hits = yield* Ref.make(new Map<string, number>())
  const layer = Uploads.layer.pipe(Layer.provide(Layer.mergeAll(
    Layer.succeed(
      BlobStore,
      BlobStore.of({
        put: (key, bytes) => Effect.sync(() => void seen.blobs.set(key, bytes)),
        get: (key) => Effect.sync(() => Option.fromNullable(seen.blobs.get(key))),
        remove: (key) => Effect.sync(() => void seen.blobs.delete(key))
      })
    ),
    Layer.succeed(
      ImagePipeline,
      ImagePipeline.of({
        process: (bytes) =>
          Effect.suspend(() => {
            seen.decoded++
            return bytes[0] === 0xff
              ? Effect.succeed({ bytes: bytes.subarray(0, 10), contentType: "image/jpeg", width: 40, height: 30 })
              : Effect.fail(new ImageUnreadable())
          })
      })
    ),
    Layer.succeed(
      DocumentCheck,
      DocumentCheck.of({
        checkPdf: (bytes) => bytes[0] === 0x25 ? Effect.void : Effect.fail(new NotAPdf())
      })
    ),
    Layer.succeed(
      UploadRepo,
      UploadRepo.of({
        insert: (upload) =>
          Effect.suspend(() =>
            seen.failInsert ? Effect.die("the database went away") : Effect.sync(() => void seen.rows.push(upload))
          ),
        get: () => Effect.succeed(Option.none()),
        claim: () => Effect.succeed([]),
        release: () => Effect.void
      })
    ),
    Layer.succeed(
      RateCounters,
      RateCounters.of({
        hit: (buckets) =>
          Ref.modify(hits, (m) => {
            const b = buckets[0]!
            const n = (m.get(b.key) ?? 0) + 1
            return [
              n > b.limit
                ? { _tag: "Limited" as const, key: b.key, retryAfterSeconds: 1200 }
                : { _tag: "Allowed" as const },
              new Map(m).set(b.key, n)
            ]
          })
      })
    )
  )))
  return { seen, uploads: yield* Effect.provide(Uploads.Uploads, layer) }
})

const jpeg = new Uint8Array(500).fill(0xff)
const pdf = new TextEncoder().encode("%PDF-1.7 ...")

describe("Uploads", () => {
  it.effect("stores a photo under a fresh key, then its row; the blob and the row agree", () =>
    Effect.gen(function*() {
      const { seen, uploads } = yield* world
      const a = yield* uploads.upload(owner, { kind: "photo", name: "IMG.JPG", bytes: jpeg })
      const b = yield* uploads.upload(owner, { kind: "photo", bytes: jpeg })
      assert.notStrictEqual(a.blobKey, b.blobKey)
      assert.notStrictEqual(a.id, b.id)
      assert.deepStrictEqual(seen.rows.map((r) => r.id), [a.id, b.id])
      assert.deepStrictEqual([a.contentType, a.bytes, a.width, a.height, a.name, a.claimedAt], ["image/jpeg", 10, 40,
        30, null, null])
      assert.isTrue(a.blobKey.startsWith("photo/"))
      assert.strictEqual(seen.blobs.get(a.blobKey)?.byteLength, 10)
      const doc = yield* uploads.upload(owner, { kind: "pdf", name: "CR.pdf", bytes: pdf })
      assert.deepStrictEqual([doc.contentType, doc.bytes, doc.name, doc.width], ["application/pdf", pdf.byteLength,
        "CR.pdf", null])
      assert.isTrue(DateTime.isDateTime(doc.createdAt))
    }))

  it.effect("refuses an oversized file before decoding it or counting it, and stores nothing", () =>
    Effect.gen(function*() {
      const { seen, uploads } = yield* world
      const big = new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0xff)
      const error = yield* Effect.flip(uploads.upload(owner, { kind: "photo", bytes: big }))
      assert.strictEqual(error._tag, "FileTooLarge")
      assert.strictEqual(seen.decoded, 0)
      assert.deepStrictEqual([seen.blobs.size, seen.rows.length], [0, 0])
    }))

  it.effect("a file that fails its check stores nothing", () =>
    Effect.gen(function*() {
      const { seen, uploads } = yield* world
      assert.strictEqual(
        (yield* Effect.flip(uploads.upload(owner, { kind: "photo", bytes: pdf })))._tag,
        "ImageUnreadable"
      )
      assert.strictEqual((yield* Effect.flip(uploads.upload(owner, { kind: "pdf", bytes: jpeg })))._tag, "NotAPdf")
      assert.deepStrictEqual([seen.blobs.size, seen.rows.length], [0, 0])
    }))

  it.effect("when the row cannot be written, the stored bytes are removed again", () =>
    Effect.gen(function*() {
      const { seen, uploads } = yield* world
      seen.failInsert = true
      const exit = yield* Effect.exit(uploads.upload(owner, { kind: "photo", bytes: jpeg }))
      assert.strictEqual(exit._tag, "Failure")
      assert.deepStrictEqual([seen.blobs.size, seen.rows.length], [0, 0])
    }))

  it.effect("counts each member's uploads: over UPLOADS_PER_HOUR, TooManyUploads with the wait", () =>
    Effect.gen(function*() {
      const { seen, uploads } = yield* world
      for (let i = 0; i < UPLOADS_PER_HOUR; i++) yield* uploads.upload(owner, { kind: "pdf", bytes: pdf })
      const error = yield* Effect.flip(uploads.upload(owner, { kind: "photo", bytes: jpeg }))
      assert.deepStrictEqual([error._tag, "retryAfterSeconds" in error ? error.retryAfterSeconds : 0], [
        "TooManyUploads",
        1200
      ])
      // Refused before decoding, and another member is not affected.
      assert.strictEqual(seen.decoded, 0)
      yield* uploads.upload(other, { kind: "photo", bytes: jpeg })
      assert.strictEqual(seen.rows.length, UPLOADS_PER_HOUR + 1)
    }))
})
