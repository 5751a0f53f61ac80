import * as Cookies from "@effect/platform/Cookies"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { GazettePostId } from "@vigie/domain/gazette/GazettePost"
import { GazetteSocial } from "@vigie/domain/gazette/GazetteSocial"
import { Effect, Schema } from "effect"
import { sessionCookieName } from "../rpc/SessionCookie.js"

/** Where a member downloads an event of the Gazette for their calendar. */
export const EVENT_CALENDAR_PATH = "/gazette/evenements/:id.ics"

const privateHeaders = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" }
const decodeId = Schema.decodeUnknownOption(GazettePostId)
const notFound = HttpServerResponse.unsafeJson({ error: "NotFound" }, { status: 404, headers: privateHeaders })

/**
 * GET /gazette/evenements/<postId>.ics: the event as an iCalendar file (text/calendar, UTF-8, saved
 * as evenement-<date>.ics), for the session cookie's account when it may read the post; 404 for
 * everyone else and for anything that is not an event, exactly as for an unknown id. A GET rather than
 * an RPC: a phone opens the link with its calendar app; it changes nothing.
 */
export const handler = (publicUrl: URL) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpRouter.params
    const postId = decodeId(params["id"])
    if (postId._tag === "None") return notFound
    const sessions = yield* Sessions
    const social = yield* GazetteSocial
    const token = Cookies.parseHeader(request.headers["cookie"] ?? "")[sessionCookieName(publicUrl)]
    const actor = token === undefined ? anonymous : yield* sessions.authenticate(token)
    const ics = yield* social.calendar(actor, postId.value, publicUrl).pipe(Effect.either)
    if (ics._tag === "Left") return notFound
    return HttpServerResponse.text(ics.right.body, {
      contentType: "text/calendar; charset=utf-8",
      headers: { ...privateHeaders, "content-disposition": `attachment; filename="${ics.right.fileName}"` }
    })
  }).pipe(Effect.withSpan("http.gazetteEventCalendar"))
