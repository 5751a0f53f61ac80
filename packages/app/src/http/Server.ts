import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Rpc } from "@effect/rpc"
import { RpcSerialization, RpcServer } from "@effect/rpc"
import { Effect, Layer } from "effect"
import * as AuthenticationLive from "../rpc/AuthenticationLive.js"
import * as ActivationHandlers from "../rpc/ActivationHandlers.js"
import * as AlertHandlers from "../rpc/AlertHandlers.js"
import * as PhoneHandlers from "../rpc/PhoneHandlers.js"
import * as PreferencesHandlers from "../rpc/PreferencesHandlers.js"
import * as RegistrationHandlers from "../rpc/RegistrationHandlers.js"
import * as SessionHandlers from "../rpc/SessionHandlers.js"
import { VigieRpcs } from "../rpc/VigieRpcs.js"
import { healthz, readyz } from "./Health.js"
import * as ResponseCookies from "./ResponseCookies.js"
import { gate } from "./RpcGate.js"

/** Every RPC handler and the authentication middleware. Needs the use-case services. */
export const handlers = (publicUrl: URL) =>
  Layer.mergeAll(
    RegistrationHandlers.layer,
    SessionHandlers.layer(publicUrl),
    ActivationHandlers.layer,
    PhoneHandlers.layer,
    PreferencesHandlers.layer,
    AlertHandlers.layer,
    AuthenticationLive.layer(publicUrl)
  ).pipe(Layer.provideMerge(ResponseCookies.layer))

/** The routes: GET /healthz, GET /readyz, POST /rpc (NDJSON, behind the gate); 404 elsewhere. */
export const app = (publicUrl: URL) =>
  Effect.gen(function*() {
    const rpcApp = yield* RpcServer.toHttpApp(VigieRpcs, { spanPrefix: "rpc" })
    const rpc = gate(rpcApp, { publicUrl, rpcs: VigieRpcs.requests as unknown as ReadonlyMap<string, Rpc.AnyWithProps> })
    return HttpRouter.empty.pipe(
      HttpRouter.get("/healthz", healthz),
      HttpRouter.get("/readyz", readyz),
      HttpRouter.post("/rpc", rpc),
      Effect.catchTag("RouteNotFound", () => Effect.succeed(HttpServerResponse.unsafeJson({ _tag: "NotFound" }, { status: 404 })))
    )
  })

/**
 * The HTTP server: the routes served on whatever HttpServer is provided (Node's in production, a
 * random port in tests). Needs the use cases, the SqlClient (readiness) and an HttpServer.
 */
export const layer = (publicUrl: URL) =>
  Layer.unwrapScoped(Effect.map(app(publicUrl), (routes) => HttpServer.serve(routes))).pipe(
    Layer.provide(handlers(publicUrl)),
    Layer.provide(RpcSerialization.layerNdjson)
  )
