import { ImagePipeline } from "@vigie/domain/media/ImagePipeline"
import type { ProcessedImage } from "@vigie/domain/media/ImagePipeline"
import { ImageUnreadable, UnsupportedImageFormat } from "@vigie/domain/media/MediaErrors"
import { MAX_INPUT_PIXELS, MAX_PHOTO_SIDE, TARGET_PHOTO_BYTES } from "@vigie/domain/media/MediaPolicy"
import { Effect, Layer } from "effect"
import sharp from "sharp"

/** The formats read (sharp's names); AVIF is sharp's "heif" with AV1 compression. */
const READABLE: ReadonlySet<string> = new Set(["jpeg", "png", "webp", "heif"])

/** JPEG qualities tried in turn until the photo is small enough; then the size shrinks. */
const QUALITIES = [82, 74, 66, 58, 50, 42] as const

/** A photo is never shrunk below this side to reach the target weight. */
const MIN_SIDE = 400

/** HEIF brands of HEVC-coded images (iPhone photos): this libvips build has no HEVC decoder. */
const HEVC_BRANDS: ReadonlySet<string> = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"])

/** The major brand of an ISO-BMFF file ("heic", "avif", "mif1"...), when the bytes start with an ftyp box. */
export const ftypBrand = (bytes: Uint8Array): string | undefined =>
  bytes.length >= 12 && String.fromCharCode(...bytes.subarray(4, 8)) === "ftyp"
    ? String.fromCharCode(...bytes.subarray(8, 12))
    : undefined

/** Whether this sharp build decodes AVIF-in-HEIF (the prebuilt libvips does; HEVC-coded HEIC it does not). */
export const readsAvif = (): boolean => sharp.format.heif.input.buffer

/** What the bytes are, as far as the pipeline cares: readable, or the fact that refuses them. */
const inspect = (bytes: Uint8Array) =>
  Effect.tryPromise({
    try: () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata(),
    catch: () => new ImageUnreadable()
  }).pipe(
    Effect.mapError((unreadable): ImageUnreadable | UnsupportedImageFormat => {
      const brand = ftypBrand(bytes)
      return brand !== undefined && HEVC_BRANDS.has(brand) ? new UnsupportedImageFormat({ format: "heic" }) : unreadable
    }),
    Effect.flatMap((metadata): Effect.Effect<void, UnsupportedImageFormat> => {
      const format = metadata.format as string
      if (!READABLE.has(format)) return Effect.fail(new UnsupportedImageFormat({ format: format.slice(0, 40) }))
      if (format === "heif" && (metadata.compression !== "av1" || !readsAvif())) {
        return Effect.fail(new UnsupportedImageFormat({ format: metadata.compression === "hevc" ? "heic" : "heif" }))
      }
      return Effect.void
    })
  )

/**
 * Decodes once (upright by EXIF orientation, fitted in MAX_PHOTO_SIDE without enlarging, transparency
 * on white), then encodes JPEG with mozjpeg at falling qualities until at most TARGET_PHOTO_BYTES; a
 * photo still too large at the lowest quality is shrunk by a quarter and tried again. Pixels only
 * travel from the decoder to the encoder: no EXIF, XMP, IPTC or ICC data survives.
 */
const reencode = async (input: Uint8Array): Promise<ProcessedImage> => {
  const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
    .rotate()
    .resize(MAX_PHOTO_SIDE, MAX_PHOTO_SIDE, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true })
  const raw = { width: info.width, height: info.height, channels: info.channels }
  for (let side = Math.max(info.width, info.height);; side = Math.floor(side * 0.75)) {
    for (const quality of QUALITIES) {
      const { data: jpeg, info: out } = await sharp(data, { raw })
        .resize(side, side, { fit: "inside", withoutEnlargement: true })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer({ resolveWithObject: true })
      const image = { bytes: new Uint8Array(jpeg), contentType: "image/jpeg", width: out.width, height: out.height }
      // Below MIN_SIDE the photo stays as it is, whatever its weight (a tiny image is small anyway).
      if (jpeg.byteLength <= TARGET_PHOTO_BYTES || (side * 0.75 < MIN_SIDE && quality === QUALITIES.at(-1))) {
        return image
      }
    }
  }
}

export const make = ImagePipeline.of({
  process: (bytes) =>
    inspect(bytes).pipe(
      Effect.zipRight(Effect.tryPromise({ try: () => reencode(bytes), catch: () => new ImageUnreadable() })),
      Effect.withSpan("SharpImagePipeline.process", { attributes: { bytes: bytes.byteLength } })
    )
})

/** Photos re-encoded by sharp (libvips) in this process. */
export const layer = Layer.succeed(ImagePipeline, make)
