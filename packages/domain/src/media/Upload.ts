import { Schema } from "effect"
import { AccountId } from "../shared/Ids.js"

/** A file a member sent, processed and stored, waiting for (or attached to) the post or message it is for. */
export const UploadId = Schema.UUID.pipe(Schema.brand("UploadId"))
export type UploadId = typeof UploadId.Type

/** What an upload is: a photo (re-encoded, metadata removed) or a PDF attachment (checked to be one). */
export const UploadKind = Schema.Literal("photo", "pdf")
export type UploadKind = typeof UploadKind.Type

/**
 * One stored upload. `blobKey` names its bytes in the BlobStore; `name` is the file name the member
 * gave (PDFs only, shown on download); width and height are those of the re-encoded photo.
 * An upload is claimed once, by the post or message that takes it, in that write's transaction.
 */
export class Upload extends Schema.Class<Upload>("Upload")({
  id: UploadId,
  ownerId: AccountId,
  kind: UploadKind,
  blobKey: Schema.String,
  contentType: Schema.String,
  name: Schema.NullOr(Schema.String),
  bytes: Schema.Int,
  width: Schema.NullOr(Schema.Int),
  height: Schema.NullOr(Schema.Int),
  createdAt: Schema.DateTimeUtc,
  claimedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}
