import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { FileTooLarge, ImageUnreadable, NotAPdf, TooManyUploads, UnsupportedImageFormat } from "../media/MediaErrors.js"
import { MAX_NAME_LENGTH } from "../media/MediaPolicy.js"
import { UploadKind } from "../media/Upload.js"
import { UploadView } from "../media/UploadView.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"

/**
 * Send a photo (JPEG, PNG, WebP, AVIF; re-encoded, its metadata such as the GPS position removed) or
 * a PDF (checked to be one), at most 10 MB, for a post or a message to come: the answer's id is what
 * that post or message attaches. Any signed-in, active account may upload, at most 40 files an hour.
 * A refused file stores nothing. The bytes travel in base64 (the only call whose body may exceed
 * the usual size, up to about 14 MB, alone in its request).
 */
export const UploadFile = Rpc.make("UploadFile", {
  payload: Schema.Struct({
    kind: UploadKind,
    name: Schema.optional(Schema.String.pipe(Schema.maxLength(MAX_NAME_LENGTH))),
    data: Schema.Uint8ArrayFromBase64
  }),
  success: UploadView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    FileTooLarge,
    ImageUnreadable,
    UnsupportedImageFormat,
    NotAPdf,
    TooManyUploads,
    InvalidRequest
  )
})

/**
 * Uploads of photos and attachments, used by the Gazette first (then profiles and messages). This
 * group sits here, above accounts, because it needs the Authentication middleware and the account
 * errors, while the media context itself sits below accounts.
 */
export class MediaRpcs extends RpcGroup.make(UploadFile).middleware(Authentication) {}
