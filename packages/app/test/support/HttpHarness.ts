import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodeHttpServer } from "@effect/platform-node"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { Effect, Layer } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { platform } from "./TestPlatform.js"

export const publicUrl = new URL("http://vigie.test")

/**
 * The whole server on a random local port, over the test platform; provides an HttpClient aimed at it.
 * `url` is the server's PUBLIC_URL (its origin for the CSRF check, https for Secure cookies).
 */
export const serverLayer = (db: TestDatabase, url: URL = publicUrl) =>
  Server.layer().pipe(
    Layer.provideMerge(platform(db, url)),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )

/** The headers a browser page of the site (at `url`) sends with every RPC call. */
export const siteHeaders = (cookie?: string, url: URL = publicUrl): Record<string, string> => ({
  origin: url.origin,
  "x-vigie-rpc": "1",
  ...(cookie === undefined ? {} : { cookie })
})

/** The real RPC client over HTTP + NDJSON, as the site's pages use it, optionally with a session cookie. */
export const rpcClient = (cookie?: string, url: URL = publicUrl) =>
  Effect.gen(function*() {
    const http = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(HttpClientRequest.appendUrl("/rpc"), HttpClientRequest.setHeaders(siteHeaders(cookie, url)))
      )
    )
    const protocol = yield* RpcClient.makeProtocolHttp(http).pipe(Effect.provide(RpcSerialization.layerNdjson))
    return yield* RpcClient.make(VigieRpcs).pipe(Effect.provideService(RpcClient.Protocol, protocol))
  })

/** Posts raw NDJSON to /rpc and returns the status, the Set-Cookie headers and the parsed reply lines. */
export const postRaw = (body: string, headers: Record<string, string> = siteHeaders()) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.post("/rpc").pipe(
        HttpClientRequest.setHeaders(headers),
        HttpClientRequest.bodyText(body, "application/ndjson")
      )
    )
    const text = yield* response.text
    const lines = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>)
    const setCookie = response.headers["set-cookie"]
    return {
      status: response.status,
      lines,
      setCookie: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie as string]
    }
  })

/** One NDJSON request line. */
export const requestLine = (tag: string, payload: unknown, id = "1") =>
  JSON.stringify({ _tag: "Request", id, tag, payload, headers: [] })
