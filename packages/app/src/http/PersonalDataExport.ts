import * as Cookies from "@effect/platform/Cookies"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { zipJson } from "@vigie/adapters/export/ZipJson"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { PersonalData } from "@vigie/domain/accounts/PersonalData"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { DateTime, Effect } from "effect"
import { sessionCookieName } from "../rpc/SessionCookie.js"

/** Where a member downloads their data. */
export const EXPORT_PATH = "/compte/mes-donnees.zip"

/** Never cached (by the browser, a proxy or a shared computer's back button), never sniffed. */
const privateHeaders = { "cache-control": "no-store", pragma: "no-cache", "x-content-type-options": "nosniff" }

/** `vigie-mes-donnees-2026-12-04.zip` */
export const exportFileName = (at: DateTime.Utc) => `vigie-mes-donnees-${DateTime.formatIso(at).slice(0, 10)}.zip`

/**
 * GET /compte/mes-donnees.zip: the member's export, a ZIP of JSON files, for the session cookie's
 * account only. A GET rather than an RPC: the browser downloads it as a file with a plain link
 * (the RPC protocol carries JSON lines, not a binary attachment), and it changes nothing, so the
 * RPC's CSRF header is not needed: another site can make a browser download its own member's data
 * to that member's own disk, never read it (no CORS). 401 without a live session.
 */
export const handler = (publicUrl: URL) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const sessions = yield* Sessions
    const personalData = yield* PersonalData
    const token = Cookies.parseHeader(request.headers["cookie"] ?? "")[sessionCookieName(publicUrl)]
    const actor = token === undefined ? anonymous : yield* sessions.authenticate(token)
    const files = yield* personalData.exportOf(actor).pipe(Effect.either)
    if (files._tag === "Left") {
      return HttpServerResponse.unsafeJson({ error: files.left._tag }, { status: 401, headers: privateHeaders })
    }
    // The member's conversations, opened (the messages the member can read, theirs and the others').
    const conversations = actor._tag === "Anonymous" ? [] : yield* (yield* Messaging).exportOf(actor.account.id)
    const all = [...files.right, { name: "conversations.json", content: conversations }]
    const at = yield* DateTime.now
    const zip = zipJson(all, DateTime.toDate(at))
    yield* Effect.logInfo("personal data exported").pipe(
      Effect.annotateLogs({ files: all.length, bytes: zip.byteLength })
    )
    return HttpServerResponse.uint8Array(zip, {
      contentType: "application/zip",
      headers: { ...privateHeaders, "content-disposition": `attachment; filename="${exportFileName(at)}"` }
    })
  }).pipe(Effect.withSpan("http.personalDataExport"))
