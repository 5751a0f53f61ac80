import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck } from "effect"
import {
  blobKeyOf,
  checkSize,
  fitWithin,
  keptName,
  MAX_NAME_LENGTH,
  MAX_PHOTO_SIDE,
  MAX_PHOTOS_PER_POST,
  MAX_UPLOAD_BYTES,
  TARGET_PHOTO_BYTES
} from "../../src/media/MediaPolicy.js"

describe("MediaPolicy", () => {
  it("limits: 10 MB in, 4 photos a post, about 300 kB out, 1600 px", () => {
    assert.deepStrictEqual([MAX_UPLOAD_BYTES, MAX_PHOTOS_PER_POST, TARGET_PHOTO_BYTES, MAX_PHOTO_SIDE], [
      10 * 1024 * 1024,
      4,
      300 * 1024,
      1600
    ])
  })

  it("refuses a file over the limit, naming its size and the limit; accepts up to it", () => {
    assert.isTrue(Either.isRight(checkSize(MAX_UPLOAD_BYTES)))
    assert.isTrue(Either.isRight(checkSize(0)))
    const refused = checkSize(MAX_UPLOAD_BYTES + 1)
    assert.isTrue(Either.isLeft(refused))
    if (Either.isLeft(refused)) {
      assert.deepStrictEqual([refused.left.bytes, refused.left.limit], [MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES])
    }
  })

  it("fits in the square without enlarging and keeps the ratio", () => {
    assert.deepStrictEqual(fitWithin(4032, 3024), { width: 1600, height: 1200 })
    assert.deepStrictEqual(fitWithin(3024, 4032), { width: 1200, height: 1600 })
    assert.deepStrictEqual(fitWithin(800, 600), { width: 800, height: 600 })
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 1, max: 20_000 }),
        FastCheck.integer({ min: 1, max: 20_000 }),
        (w, h) => {
          const out = fitWithin(w, h)
          const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(w, h))
          // Each side is the scaled one, rounded (at least one pixel).
          return out.width <= MAX_PHOTO_SIDE && out.height <= MAX_PHOTO_SIDE && out.width <= w && out.height <= h &&
            Math.abs(out.width - Math.max(1, w * scale)) <= 0.5 && Math.abs(out.height - Math.max(1, h * scale)) <= 0.5
        }
      )
    )
  })

  it("keeps a PDF's file name without its path or control characters, cut at 120; a photo keeps none", () => {
    assert.strictEqual(keptName("pdf", "C:\\Users\\moi\\CR AG 2026.pdf"), "CR AG 2026.pdf")
    assert.strictEqual(keptName("pdf", "../../etc/passwd"), "passwd")
    assert.strictEqual(keptName("pdf", "ré\u0000union\n.pdf"), "réunion.pdf")
    assert.strictEqual(keptName("pdf", "   "), null)
    assert.strictEqual(keptName("pdf", undefined), null)
    assert.strictEqual(keptName("photo", "IMG_2041.JPG"), null)
    assert.strictEqual(keptName("pdf", "é".repeat(300))?.length, MAX_NAME_LENGTH)
  })

  it("makes keys from the kind and a random id", () => {
    assert.strictEqual(blobKeyOf("photo", "0b3c"), "photo/0b3c")
  })
})
