import { Context, DateTime, Effect, Layer } from "effect"
import type { AccountId } from "../shared/Ids.js"
import { RateCounters } from "../shared/RateCounters.js"
import { BlobStore } from "./BlobStore.js"
import { DocumentCheck } from "./DocumentCheck.js"
import { ImagePipeline } from "./ImagePipeline.js"
import { TooManyUploads } from "./MediaErrors.js"
import type { FileTooLarge, ImageUnreadable, NotAPdf, UnsupportedImageFormat } from "./MediaErrors.js"
import { blobKeyOf, checkSize, keptName, UPLOADS_PER_HOUR } from "./MediaPolicy.js"
import { Upload, UploadId } from "./Upload.js"
import type { UploadKind } from "./Upload.js"
import { UploadRepo } from "./UploadRepo.js"

/** What a member sends: the kind they say it is, the file name they gave (PDFs), the bytes. */
export interface UploadInput {
  readonly kind: UploadKind
  readonly name?: string | undefined
  readonly bytes: Uint8Array
}

/** Why an upload is refused; nothing is stored then. */
export type UploadFailure = FileTooLarge | ImageUnreadable | UnsupportedImageFormat | NotAPdf | TooManyUploads

/** One hour: the window of UPLOADS_PER_HOUR. */
const HOUR_MILLIS = 60 * 60 * 1000

/**
 * Receives a file for a post or a message to come. The owner is an account the caller has already
 * checked (a signed-in, active account: media sits below accounts and knows only its id). In order:
 * the size (an oversized file is never decoded), the owner's hourly budget (counted atomically),
 * the processing (a photo re-encoded without its metadata, a PDF checked to be one), the bytes
 * stored under a fresh random key, then the row. A failure at any step leaves nothing behind: if the
 * row cannot be written, the stored bytes are removed. The upload waits, unclaimed, for the post or
 * message that takes it (UploadRepo.claim); unclaimed ones are removed after a day.
 */
export class Uploads extends Context.Tag("@vigie/domain/Uploads")<
  Uploads,
  { readonly upload: (ownerId: AccountId, input: UploadInput) => Effect.Effect<Upload, UploadFailure> }
>() {}

export const make = Effect.gen(function*() {
  const blobs = yield* BlobStore
  const images = yield* ImagePipeline
  const documents = yield* DocumentCheck
  const repo = yield* UploadRepo
  const counters = yield* RateCounters

  const budget = (ownerId: AccountId) =>
    Effect.flatMap(
      counters.hit([{ key: `uploads:${ownerId}`, limit: UPLOADS_PER_HOUR }], HOUR_MILLIS),
      (outcome) =>
        outcome._tag === "Limited"
          ? Effect.fail(new TooManyUploads({ retryAfterSeconds: outcome.retryAfterSeconds }))
          : Effect.void
    )

  const processed = (input: UploadInput) =>
    input.kind === "photo"
      ? images.process(input.bytes)
      : Effect.as(documents.checkPdf(input.bytes), {
        bytes: input.bytes,
        contentType: "application/pdf",
        width: null,
        height: null
      })

  const upload: Uploads["Type"]["upload"] = (ownerId, input) =>
    Effect.gen(function*() {
      yield* checkSize(input.bytes.byteLength)
      yield* budget(ownerId)
      const file = yield* processed(input)
      const id = UploadId.make(globalThis.crypto.randomUUID())
      const key = blobKeyOf(input.kind, globalThis.crypto.randomUUID())
      const upload = new Upload({
        id,
        ownerId,
        kind: input.kind,
        blobKey: key,
        contentType: file.contentType,
        name: keptName(input.kind, input.name),
        bytes: file.bytes.byteLength,
        width: file.width,
        height: file.height,
        createdAt: yield* DateTime.now,
        claimedAt: null
      })
      yield* blobs.put(key, file.bytes, file.contentType)
      // The bytes are stored: a row that cannot be written (or an interruption) takes them away again.
      yield* Effect.onError(repo.insert(upload), () => blobs.remove(key))
      return upload
    }).pipe(Effect.withSpan("Uploads.upload", { attributes: { kind: input.kind } }))

  return Uploads.of({ upload })
})

export const layer = Layer.effect(Uploads, make)
