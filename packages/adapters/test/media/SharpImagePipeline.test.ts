import { randomBytes } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { ftypBrand, make as pipeline, readsAvif } from "@vigie/adapters/media/SharpImagePipeline"
import { MAX_PHOTO_SIDE, TARGET_PHOTO_BYTES } from "@vigie/domain/media/MediaPolicy"
import { Effect } from "effect"
import sharp from "sharp"

const solid = (width: number, height: number, background = "#3a7") =>
  sharp({ create: { width, height, channels: 3, background } })

/** Random pixels: the hardest picture to compress. */
const noise = (width: number, height: number) =>
  sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })

/** A JPEG as a phone writes it, with its position: 48°51'24" N, 2°21'03" E. */
const photoWithGps = () =>
  solid(640, 480).jpeg().withExif({
    IFD0: { Make: "Phone", Model: "Test" },
    IFD3: {
      GPSLatitudeRef: "N",
      GPSLatitude: "48/1 51/1 2400/100",
      GPSLongitudeRef: "E",
      GPSLongitude: "2/1 21/1 300/100"
    }
  }).toBuffer()

/** Whether a raw EXIF block has a GPS IFD (tag 0x8825, GPSInfo), in either byte order. */
const hasGpsTag = (exif: Uint8Array) => {
  const text = Buffer.from(exif)
  return text.includes(Buffer.from([0x25, 0x88])) || text.includes(Buffer.from([0x88, 0x25]))
}

const run = (bytes: Uint8Array) => pipeline.process(bytes)

describe("SharpImagePipeline", () => {
  it.effect("removes the GPS position and every other piece of metadata", () =>
    Effect.gen(function*() {
      const input = yield* Effect.promise(photoWithGps)
      const before = yield* Effect.promise(() => sharp(input).metadata())
      assert.isDefined(before.exif)
      assert.isTrue(hasGpsTag(before.exif!), "the test photo carries GPS tags")
      assert.include(Buffer.from(before.exif!).toString("latin1"), "Phone")

      const out = yield* run(input)
      const after = yield* Effect.promise(() => sharp(out.bytes).metadata())
      assert.strictEqual(after.format, "jpeg")
      assert.isUndefined(after.exif)
      assert.isUndefined(after.xmp)
      assert.isUndefined(after.iptc)
      assert.isUndefined(after.icc)
      assert.notInclude(Buffer.from(out.bytes).toString("latin1"), "Phone")
      assert.deepStrictEqual([out.width, out.height, out.contentType], [640, 480, "image/jpeg"])
    }))

  it.effect("turns the photo upright by its EXIF orientation", () =>
    Effect.gen(function*() {
      // Stored landscape 400×200, left half red, right half blue; orientation 6: show it turned 90° clockwise.
      const left = yield* Effect.promise(() => solid(200, 200, "#ff0000").png().toBuffer())
      const input = yield* Effect.promise(() =>
        solid(400, 200, "#0000ff").composite([{ input: left, left: 0, top: 0 }]).jpeg()
          .withMetadata({ orientation: 6 }).toBuffer()
      )
      assert.strictEqual((yield* Effect.promise(() => sharp(input).metadata())).orientation, 6)
      const out = yield* run(input)
      assert.deepStrictEqual([out.width, out.height], [200, 400])
      const after = yield* Effect.promise(() => sharp(out.bytes).metadata())
      assert.isUndefined(after.orientation)
      // Turned clockwise, the red left half is now on top.
      const { data } = yield* Effect.promise(() => sharp(out.bytes).raw().toBuffer({ resolveWithObject: true }))
      const top = [data[(50 * 200 + 100) * 3]!, data[(50 * 200 + 100) * 3 + 2]!]
      const bottom = [data[(350 * 200 + 100) * 3]!, data[(350 * 200 + 100) * 3 + 2]!]
      assert.isTrue(top[0]! > 200 && top[1]! < 60, `top is red: ${top}`)
      assert.isTrue(bottom[0]! < 60 && bottom[1]! > 200, `bottom is blue: ${bottom}`)
    }))

  it.effect(
    "re-encodes a large noisy PNG and WebP as JPEG of at most about 300 kB, fitted in 1600 px",
    () =>
      Effect.gen(function*() {
        const png = yield* Effect.promise(() => noise(2000, 1500).png({ compressionLevel: 1 }).toBuffer())
        const webp = yield* Effect.promise(() => noise(2400, 1200).webp({ quality: 95 }).toBuffer())
        for (const [input, size] of [[png, [1600, 1200]], [webp, [1600, 800]]] as const) {
          assert.isAbove(input.byteLength, TARGET_PHOTO_BYTES * 3)
          const out = yield* run(input)
          assert.isAtMost(out.bytes.byteLength, TARGET_PHOTO_BYTES)
          assert.isAtMost(Math.max(out.width, out.height), MAX_PHOTO_SIDE)
          const meta = yield* Effect.promise(() => sharp(out.bytes).metadata())
          assert.strictEqual(meta.format, "jpeg")
          assert.deepStrictEqual([meta.width, meta.height], [out.width, out.height])
          // Small enough at the first size unless noise forced a smaller one; never another ratio.
          assert.closeTo(out.width / out.height, size[0] / size[1], 0.01)
        }
      }),
    60_000
  )

  it.effect("never enlarges a small photo, and puts transparency on white", () =>
    Effect.gen(function*() {
      const input = yield* Effect.promise(() =>
        sharp({ create: { width: 120, height: 90, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
          .png().toBuffer()
      )
      const out = yield* run(input)
      assert.deepStrictEqual([out.width, out.height], [120, 90])
      const { data } = yield* Effect.promise(() => sharp(out.bytes).raw().toBuffer({ resolveWithObject: true }))
      assert.isAbove(data[0]!, 240)
    }))

  it.effect("reads AVIF when this sharp build does, and says so", () =>
    Effect.gen(function*() {
      assert.isTrue(readsAvif())
      const input = yield* Effect.promise(() => solid(300, 200).avif().toBuffer())
      assert.strictEqual(ftypBrand(input), "avif")
      const out = yield* run(input)
      assert.deepStrictEqual([out.width, out.height, out.contentType], [300, 200, "image/jpeg"])
    }))

  it.effect("refuses an iPhone HEIC (HEVC) as an unsupported format, naming it", () =>
    Effect.gen(function*() {
      // The container of an iPhone photo: same boxes, brand "heic", image coded in HEVC.
      const heic = Buffer.from(yield* Effect.promise(() => solid(64, 64).avif().toBuffer()))
      heic.write("heic", 8, "latin1")
      assert.strictEqual((yield* Effect.promise(() => sharp(heic).metadata())).compression, "hevc")
      const error = yield* Effect.flip(run(heic))
      assert.deepStrictEqual([error._tag, "format" in error ? error.format : ""], ["UnsupportedImageFormat", "heic"])
      // Even cut short, so that libvips cannot parse it, the brand still names it.
      const cut = yield* Effect.flip(run(heic.subarray(0, 40)))
      assert.strictEqual(cut._tag, "UnsupportedImageFormat")
    }))

  it.effect("refuses other image formats (GIF, SVG, TIFF) as unsupported", () =>
    Effect.gen(function*() {
      const gif = yield* Effect.promise(() => solid(10, 10).gif().toBuffer())
      const tiff = yield* Effect.promise(() => solid(10, 10).tiff().toBuffer())
      const svg = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`
      )
      for (const [bytes, format] of [[gif, "gif"], [tiff, "tiff"], [svg, "svg"]] as const) {
        const error = yield* Effect.flip(run(bytes))
        assert.deepStrictEqual([error._tag, "format" in error ? error.format : ""], ["UnsupportedImageFormat", format])
      }
    }))

  it.effect("refuses broken bytes, a truncated JPEG and a text file named .jpg as unreadable", () =>
    Effect.gen(function*() {
      const jpeg = yield* Effect.promise(photoWithGps)
      const text = new TextEncoder().encode("Compte-rendu de l'assemblée générale\n(renamed photo.jpg)\n")
      for (const bytes of [randomBytes(5000), jpeg.subarray(0, Math.floor(jpeg.length / 2)), text, new Uint8Array()]) {
        const error = yield* Effect.flip(run(bytes))
        assert.strictEqual(error._tag, "ImageUnreadable")
      }
    }))

  it.effect("refuses a decompression bomb (too many pixels) without decoding it", () =>
    Effect.gen(function*() {
      // 10,000 × 10,000 pixels of one colour: a few hundred kB on disk, 300 MB once decoded.
      const bomb = yield* Effect.promise(() => solid(10_000, 10_000).png({ compressionLevel: 9 }).toBuffer())
      assert.isBelow(bomb.byteLength, 1_000_000)
      const error = yield* Effect.flip(run(bomb))
      assert.strictEqual(error._tag, "ImageUnreadable")
    }), 30_000)
})
