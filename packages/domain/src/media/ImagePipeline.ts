import { Context } from "effect"
import type { Effect } from "effect"
import type { ImageUnreadable, UnsupportedImageFormat } from "./MediaErrors.js"

/** A photo as stored and served: re-encoded bytes, their type and their size in pixels. */
export interface ProcessedImage {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly width: number
  readonly height: number
}

/**
 * Re-encodes a photo a member sent: turned upright by its EXIF orientation, resized to fit
 * MAX_PHOTO_SIDE without enlarging, re-encoded (JPEG) to about TARGET_PHOTO_BYTES, and every piece
 * of metadata dropped (EXIF with its GPS position, XMP, IPTC, comments). Bytes that are no image, or
 * too many pixels, fail ImageUnreadable; an image in a format this server cannot decode fails
 * UnsupportedImageFormat. The caller checks the size in bytes before (MediaPolicy.checkSize).
 */
export class ImagePipeline extends Context.Tag("@vigie/domain/ImagePipeline")<
  ImagePipeline,
  {
    readonly process: (bytes: Uint8Array) => Effect.Effect<ProcessedImage, ImageUnreadable | UnsupportedImageFormat>
  }
>() {}
