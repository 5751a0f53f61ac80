import * as Cookies from "@effect/platform/Cookies"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { CommunityId } from "@vigie/domain/communities/Community"
import { GazetteSheets } from "@vigie/domain/gazette/GazetteSheets"
import { Effect, Option, Schema } from "effect"
import { sessionCookieName } from "../rpc/SessionCookie.js"

/** Where a référent or a mairie agent downloads a quartier's Gazette of the week, on paper. */
export const GAZETTE_PRINT_PATH = "/gazette/quartiers/:communityId/gazette.pdf"

/** The download link of a quartier's printable Gazette. */
export const gazettePrintPath = (communityId: string) => `/gazette/quartiers/${communityId}/gazette.pdf`

const privateHeaders = { "cache-control": "no-store", "x-content-type-options": "nosniff" }

/**
 * GET /gazette/quartiers/<id>/gazette.pdf: the quartier's Gazette of the week as an A4 PDF, for its
 * référents and the mairie agents of its commune (the session cookie's account). A GET, like the
 * personal data export: a plain link downloads it, and it changes nothing. 401 without a session,
 * 403 for anyone else, 404 for an unknown quartier.
 */
export const handler = (publicUrl: URL, smsNumber: Option.Option<string>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpRouter.params
    const sessions = yield* Sessions
    const sheets = yield* GazetteSheets
    const communityId = Schema.decodeUnknownOption(CommunityId)(params["communityId"])
    if (Option.isNone(communityId)) return HttpServerResponse.text("Quartier inconnu.", { status: 404 })
    const token = Cookies.parseHeader(request.headers["cookie"] ?? "")[sessionCookieName(publicUrl)]
    const actor = token === undefined ? anonymous : yield* sessions.authenticate(token)
    const printed = yield* sheets.print(actor, communityId.value, { smsNumber,
      joinUrl: new URL("/inscription", publicUrl).toString() }).pipe(Effect.either)
    if (printed._tag === "Left") {
      const status = printed.left._tag === "CommunityNotFound"
        ? 404
        : printed.left._tag === "Forbidden"
        ? 403
        : 401
      const text = status === 404
        ? "Quartier inconnu."
        : status === 403
        ? "La Gazette imprimable est réservée aux référents du quartier et à la mairie."
        : "Connectez-vous pour télécharger la Gazette."
      return HttpServerResponse.text(text, { status, headers: privateHeaders })
    }
    const { pdf, week } = printed.right
    return HttpServerResponse.uint8Array(pdf, {
      contentType: "application/pdf",
      headers: {
        ...privateHeaders,
        "content-disposition": `attachment; filename="gazette-${week.weekStart}.pdf"`
      }
    })
  }).pipe(Effect.withSpan("http.gazettePrint"))
