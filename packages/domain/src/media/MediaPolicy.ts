import { Either } from "effect"
import { FileTooLarge } from "./MediaErrors.js"
import type { UploadKind } from "./Upload.js"

/** At most this many bytes in, for a photo or a PDF (10 MB: a phone's photo, a scanned report). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/** At most this many photos on one post. */
export const MAX_PHOTOS_PER_POST = 4

/** A re-encoded photo aims at this many bytes or fewer (about 300 kB). */
export const TARGET_PHOTO_BYTES = 300 * 1024

/** A re-encoded photo fits in a square of this side, never enlarged. */
export const MAX_PHOTO_SIDE = 1600

/** A decoded image may have at most this many pixels (a decompression bomb is refused before it is decoded). */
export const MAX_INPUT_PIXELS = 50_000_000

/** At most this many uploads per member in each hour. */
export const UPLOADS_PER_HOUR = 40

/** A file name the member gave, as kept: at most this many characters. */
export const MAX_NAME_LENGTH = 120

/** The bytes of a file before anything reads them: refused when over the limit. */
export const checkSize = (bytes: number, limit: number = MAX_UPLOAD_BYTES): Either.Either<number, FileTooLarge> =>
  bytes > limit ? Either.left(new FileTooLarge({ bytes, limit })) : Either.right(bytes)

/** The size to resize to: fit in `max`×`max`, keeping the ratio, never enlarging. */
export const fitWithin = (width: number, height: number, max: number = MAX_PHOTO_SIDE) => {
  const scale = Math.min(1, max / Math.max(width, height))
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale))
  }
}

/**
 * The name kept for an upload: PDFs keep the member's file name (shown on download), trimmed, without
 * path or control characters, at most MAX_NAME_LENGTH characters; photos keep none.
 */
export const keptName = (kind: UploadKind, name: string | undefined): string | null => {
  if (kind !== "pdf" || name === undefined) return null

  const base = name.replace(/[\u0000-\u001f\u007f]/g, "").split(/[\\/]/).pop()!.trim()
  return base === "" ? null : [...base].slice(0, MAX_NAME_LENGTH).join("")
}

/** The key of a new blob: its kind and a fresh random id (the store shards keys itself). */
export const blobKeyOf = (kind: UploadKind, random: string) => `${kind}/${random}`
