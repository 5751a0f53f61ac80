import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Rpc } from "@effect/rpc"
import { RpcSerialization, RpcServer } from "@effect/rpc"
import { Context, Effect, Layer } from "effect"
import type { Deferred } from "effect"
import * as AuthenticationLive from "../rpc/AuthenticationLive.js"
import * as ActivationHandlers from "../rpc/ActivationHandlers.js"
import * as AlertHandlers from "../rpc/AlertHandlers.js"
import * as PhoneHandlers from "../rpc/PhoneHandlers.js"
import * as PreferencesHandlers from "../rpc/PreferencesHandlers.js"
import * as RegistrationHandlers from "../rpc/RegistrationHandlers.js"
import * as SessionHandlers from "../rpc/SessionHandlers.js"
import { VigieRpcs } from "../rpc/VigieRpcs.js"
import * as DevInbox from "./DevInbox.js"
import { ShuttingDown } from "./GracefulShutdown.js"
import { healthz, readyz } from "./Health.js"
import * as ResponseCookies from "./ResponseCookies.js"
import { gate } from "./RpcGate.js"

/** Every RPC handler and the authentication middleware. Needs the use-case services. */
export const handlers = (publicUrl: URL, options: ServerOptions = {}) =>
  Layer.mergeAll(
    RegistrationHandlers.layer,
    SessionHandlers.layer(publicUrl),
    ActivationHandlers.layer,
    PhoneHandlers.layer,
    PreferencesHandlers.layer,
    AlertHandlers.layer,
    AuthenticationLive.layer(publicUrl)
  ).pipe(
    Layer.provideMerge(ResponseCookies.layer),
    Layer.provide(Layer.succeedContext(
      options.shuttingDown === undefined ? Context.empty() : Context.make(ShuttingDown, options.shuttingDown)
    ))
  )

/** Which optional routes to mount. */
export interface ServerOptions {
  /** GET /dev and GET /dev/outbox: development only (VIGIE_ENV=development); absent (404) otherwise. */
  readonly devInbox?: boolean
  /** Completed when the process begins to shut down: live streams end then. */
  readonly shuttingDown?: Deferred.Deferred<void>
}

/**
 * The routes: GET /healthz, GET /readyz, POST /rpc (NDJSON, behind the gate), the dev inbox when
 * asked; 404 elsewhere.
 */
export const app = (publicUrl: URL, options: ServerOptions = {}) =>
  Effect.gen(function*() {
    const rpcApp = yield* RpcServer.toHttpApp(VigieRpcs, { spanPrefix: "rpc" })
    const rpc = gate(rpcApp, { publicUrl, rpcs: VigieRpcs.requests as unknown as ReadonlyMap<string, Rpc.AnyWithProps> })
    return HttpRouter.empty.pipe(
      HttpRouter.get("/healthz", healthz),
      HttpRouter.get("/readyz", readyz),
      HttpRouter.post("/rpc", rpc),
      options.devInbox === true ? HttpRouter.concat(DevInbox.router) : (routes) => routes,
      Effect.catchTag("RouteNotFound", () => Effect.succeed(HttpServerResponse.unsafeJson({ _tag: "NotFound" }, { status: 404 })))
    )
  })

/**
 * The HTTP server: the routes served on whatever HttpServer is provided (Node's in production, a
 * random port in tests). Needs the use cases, the SqlClient (readiness) and an HttpServer.
 */
export const layer = (publicUrl: URL, options: ServerOptions = {}) =>
  Layer.unwrapScoped(Effect.map(app(publicUrl, options), (routes) => HttpServer.serve(routes))).pipe(
    Layer.provide(handlers(publicUrl, options)),
    Layer.provide(RpcSerialization.layerNdjson)
  )
