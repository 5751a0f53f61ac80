import { Schema } from "effect"
import { UploadId, UploadKind } from "./Upload.js"

/**
 * These uploads cannot be attached: unknown, not the actor's, of another kind, or already taken by
 * another post or message. Nothing was claimed.
 */
export class UploadUnavailable extends Schema.TaggedError<UploadUnavailable>()("UploadUnavailable", {
  uploadIds: Schema.Array(UploadId),
  kind: UploadKind
}) {}

/** The file is larger than the limit (in bytes) for its kind; it was not read. Nothing was stored. */
export class FileTooLarge extends Schema.TaggedError<FileTooLarge>()("FileTooLarge", {
  bytes: Schema.NonNegativeInt,
  limit: Schema.NonNegativeInt
}) {}

/** The photo could not be decoded: damaged, truncated, not an image, or too many pixels. Nothing was stored. */
export class ImageUnreadable extends Schema.TaggedError<ImageUnreadable>()("ImageUnreadable", {}) {}

/**
 * The file is an image in a format the server cannot read (`format`, e.g. "heic" for an iPhone
 * photo coded in HEVC, "gif", "tiff"). JPEG, PNG, WebP and AVIF are read. Nothing was stored.
 */
export class UnsupportedImageFormat extends Schema.TaggedError<UnsupportedImageFormat>()("UnsupportedImageFormat", {
  format: Schema.String.pipe(Schema.maxLength(40))
}) {}

/** The file sent as a PDF is not a readable PDF document. Nothing was stored. */
export class NotAPdf extends Schema.TaggedError<NotAPdf>()("NotAPdf", {}) {}

/** Too many uploads by this member in the current hour; `retryAfterSeconds` until the next one. */
export class TooManyUploads extends Schema.TaggedError<TooManyUploads>()("TooManyUploads", {
  retryAfterSeconds: Schema.Int.pipe(Schema.positive())
}) {}
