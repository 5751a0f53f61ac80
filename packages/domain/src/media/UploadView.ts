import { Schema } from "effect"
import type { Upload } from "./Upload.js"
import { UploadId, UploadKind } from "./Upload.js"

/**
 * An upload as its owner sees it right after sending it: what to attach to a post or a message (its
 * id), and what the page shows meanwhile. Never its blob key nor its owner.
 */
export class UploadView extends Schema.Class<UploadView>("UploadView")({
  id: UploadId,
  kind: UploadKind,
  contentType: Schema.String,
  bytes: Schema.Int,
  width: Schema.NullOr(Schema.Int),
  height: Schema.NullOr(Schema.Int),
  name: Schema.NullOr(Schema.String)
}) {}

export const uploadView = (upload: Upload) =>
  new UploadView({
    id: upload.id,
    kind: upload.kind,
    contentType: upload.contentType,
    bytes: upload.bytes,
    width: upload.width,
    height: upload.height,
    name: upload.name
  })
