import * as Cookies from "@effect/platform/Cookies"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { Directory } from "@vigie/domain/directory/Directory"
import { Gazette } from "@vigie/domain/gazette/Gazette"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { UploadId } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { Effect, Option, Schema } from "effect"
import { sessionCookieName } from "../rpc/SessionCookie.js"

/** Where a photo or an attachment is served. */
export const MEDIA_PATH = "/media/:uploadId"

/**
 * Private to the reader (never in a shared cache), never sniffed, and a photo never runs as a page
 * (a strict content security policy even if a browser opened it as HTML).
 */
const headers = {
  "cache-control": "private, max-age=3600",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox"
}

const notFound = HttpServerResponse.text("Fichier introuvable.", {
  status: 404,
  headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" }
})

/** `compte-rendu.pdf`, with nothing that could break out of the header. */
const safeName = (name: string | null): string =>
  (name ?? "document.pdf").replace(/[^\p{L}\p{N} ._-]/gu, "_").slice(0, 120) || "document.pdf"

/**
 * GET /media/<upload id>: a photo or a PDF attached to a Gazette post, for the session's account only
 * when it may read a post that holds it (Gazette.mayReadUpload), is a current member of the
 * conversation whose message holds it (Messaging.mayReadUpload), or, for a profile photo, may see that
 * field of that profile (Directory.mayReadPhoto: its owner, or a member of their quartiers when they show
 * it to members and did not block the viewer). Everyone else, and an unknown id, gets the same 404, so
 * that nothing tells a file exists. PDFs download as attachments.
 */
export const handler = (publicUrl: URL) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpRouter.params
    const uploadId = Schema.decodeUnknownOption(UploadId)(params["uploadId"])
    if (Option.isNone(uploadId)) return notFound
    const sessions = yield* Sessions
    const gazette = yield* Gazette
    const token = Cookies.parseHeader(request.headers["cookie"] ?? "")[sessionCookieName(publicUrl)]
    const actor = token === undefined ? anonymous : yield* sessions.authenticate(token)
    const directory = yield* Directory
    const messaging = yield* Messaging
    const allowed = (yield* gazette.mayReadUpload(actor, uploadId.value)) ||
      (yield* messaging.mayReadUpload(actor, uploadId.value)) ||
      (yield* directory.mayReadPhoto(actor, uploadId.value))
    if (!allowed) return notFound
    const upload = yield* (yield* UploadRepo).get(uploadId.value)
    if (Option.isNone(upload)) return notFound
    const bytes = yield* (yield* BlobStore).get(upload.value.blobKey)
    if (Option.isNone(bytes)) return notFound
    return HttpServerResponse.uint8Array(bytes.value, {
      contentType: upload.value.contentType,
      headers: upload.value.kind === "pdf"
        ? { ...headers, "content-disposition": `attachment; filename="${safeName(upload.value.name)}"` }
        : headers
    })
  }).pipe(Effect.withSpan("http.mediaFile"))
