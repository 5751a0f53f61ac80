/**
 * Every HTTP request gets an id, on its log lines (the `requestId` annotation, down to the RPC
 * handlers), on its trace span and in the response's X-Request-Id, so that an operator finds a
 * visitor's request from the id they report. A reverse proxy's X-Request-Id is kept when the proxy is
 * trusted (TRUSTED_PROXIES) and the id well-formed; anyone else's is replaced, so that a client cannot
 * forge ids into the logs.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Option } from "effect"
import { isTrusted, normalizeAddress, type TrustedProxies } from "./ClientAddress.js"

export const REQUEST_ID_HEADER = "x-request-id"

/** Ids of proxies (nginx's $request_id, Caddy's {http.request.uuid}, a UUID): letters, digits, - _ . :, up to 128. */
export const isWellFormedRequestId = (id: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/.test(id)

/** The request's id: the trusted proxy's when well-formed, otherwise a new UUID. */
export const requestIdOf = (request: HttpServerRequest.HttpServerRequest, trusted: TrustedProxies): string => {
  const given = request.headers[REQUEST_ID_HEADER]
  const fromProxy = Option.isSome(request.remoteAddress) &&
    isTrusted(trusted, normalizeAddress(request.remoteAddress.value))
  return given !== undefined && fromProxy && isWellFormedRequestId(given) ? given : crypto.randomUUID()
}

/**
 * `app` with the request id on its logs and span, and in its response; each request ends with a debug
 * line (LOG_LEVEL=debug: an access log) giving its method, path without the query (a link's token may
 * be there), status and duration.
 */
export const withRequestId = (trusted: TrustedProxies) =>
<E, R>(
  app: HttpApp.Default<E, R>
): HttpApp.Default<E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const id = requestIdOf(request, trusted)
    const start = performance.now()
    yield* Effect.annotateCurrentSpan("http.request.id", id)
    return yield* Effect.gen(function*() {
      const response = yield* app
      yield* Effect.logDebug("request").pipe(Effect.annotateLogs({
        method: request.method,
        path: request.url.split("?")[0],
        status: response.status,
        ms: Math.round(performance.now() - start)
      }))
      return HttpServerResponse.setHeader(response, REQUEST_ID_HEADER, id)
    }).pipe(Effect.annotateLogs("requestId", id))
  })
