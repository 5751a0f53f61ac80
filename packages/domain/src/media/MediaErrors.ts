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
