import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type { Rpc } from "@effect/rpc"
import { RpcSerialization, RpcServer } from "@effect/rpc"
import { Context, Effect, Layer } from "effect"
import type { Deferred } from "effect"
import * as AuthenticationLive from "../rpc/AuthenticationLive.js"
import * as ActivationHandlers from "../rpc/ActivationHandlers.js"
import * as JoiningHandlers from "../rpc/JoiningHandlers.js"
import * as AdministrationHandlers from "../rpc/AdministrationHandlers.js"
import * as ProposalHandlers from "../rpc/ProposalHandlers.js"
import * as AlertHandlers from "../rpc/AlertHandlers.js"
import * as AlertReactionHandlers from "../rpc/AlertReactionHandlers.js"
import * as LifecycleHandlers from "../rpc/LifecycleHandlers.js"
import * as MairieHandlers from "../rpc/MairieHandlers.js"
import * as ModerationHandlers from "../rpc/ModerationHandlers.js"
import * as PaperRegistrationHandlers from "../rpc/PaperRegistrationHandlers.js"
import * as PhoneHandlers from "../rpc/PhoneHandlers.js"
import * as PreferencesHandlers from "../rpc/PreferencesHandlers.js"
import * as GazettePreferencesHandlers from "../rpc/GazettePreferencesHandlers.js"
import * as MediaHandlers from "../rpc/MediaHandlers.js"
import * as GazetteHandlers from "../rpc/GazetteHandlers.js"
import * as GazetteModerationHandlers from "../rpc/GazetteModerationHandlers.js"
import * as GazetteSocialHandlers from "../rpc/GazetteSocialHandlers.js"
import * as DirectoryHandlers from "../rpc/DirectoryHandlers.js"
import * as MessagingHandlers from "../rpc/MessagingHandlers.js"
import * as VeilleHandlers from "../rpc/VeilleHandlers.js"
import * as GazetteEventCalendar from "./GazetteEventCalendar.js"
import * as RegistrationHandlers from "../rpc/RegistrationHandlers.js"
import * as SessionHandlers from "../rpc/SessionHandlers.js"
import * as PersonalDataHandlers from "../rpc/PersonalDataHandlers.js"
import * as PersonalDataExport from "./PersonalDataExport.js"
import * as GazettePrint from "./GazettePrint.js"
import * as MediaFiles from "./MediaFiles.js"
import * as CommunePage from "./CommunePage.js"
import * as SecondFactorHandlers from "../rpc/SecondFactorHandlers.js"
import { VigieRpcs } from "../rpc/VigieRpcs.js"
import type { Redacted } from "effect"
import * as DevInbox from "./DevInbox.js"
import * as DevVeille from "./DevVeille.js"
import { ShuttingDown } from "./GracefulShutdown.js"
import { HEALTHZ_PATH, healthz, READYZ_PATH, readyz } from "./Health.js"
import { plivoStatusRoute } from "./PlivoStatusWebhook.js"
import * as PlivoInboundWebhook from "./PlivoInboundWebhook.js"
import * as DevSmsForm from "./DevSmsForm.js"
import * as DevVoiceForm from "./DevVoiceForm.js"
import { plivoVoiceRoutes } from "./PlivoVoiceWebhook.js"
import { SmsGateway } from "@vigie/domain/sms/SmsGateway"
import type { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import * as ResponseCookies from "./ResponseCookies.js"
import * as StaticUi from "./StaticUi.js"
import { acceptedOrigins, gate } from "./RpcGate.js"
import * as MemoryRateCounters from "@vigie/adapters/limits/MemoryRateCounters"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { RateCounters } from "@vigie/domain/shared/RateCounters"
import { Option } from "effect"
import type { EdgeLimits } from "../EdgeConfig.js"
import { noTrustedProxies, type TrustedProxies } from "./ClientAddress.js"
import * as EdgeGuard from "./EdgeGuard.js"
import { withRequestId } from "./RequestId.js"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as AppMetrics from "../telemetry/AppMetrics.js"

/** Every RPC handler and the authentication middleware. Needs the use-case services and PublicUrl. */
export const handlers = (options: ServerOptions = {}) =>
  // Every call timed by RPC tag, its failures and refused log-ins counted (AppMetrics).
  AppMetrics.measuredHandlers(
    VigieRpcs,
    Layer.mergeAll(
      RegistrationHandlers.layer,
      SessionHandlers.layer,
      SecondFactorHandlers.layer,
      ActivationHandlers.layer,
      JoiningHandlers.layer,
      PhoneHandlers.layer,
      PreferencesHandlers.layer,
      GazettePreferencesHandlers.layer,
      MediaHandlers.layer,
      GazetteHandlers.layer,
      GazetteModerationHandlers.layer,
      GazetteSocialHandlers.layer,
      DirectoryHandlers.layer,
      MessagingHandlers.layer,
      VeilleHandlers.layer,
      AlertHandlers.layer,
      AlertReactionHandlers.layer,
      MairieHandlers.layer,
      ModerationHandlers.layer,
      PersonalDataHandlers.layer,
      LifecycleHandlers.layer,
      AdministrationHandlers.layer,
      PaperRegistrationHandlers.layer,
      ProposalHandlers.layer,
      AuthenticationLive.layer
    )
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
  /**
   * Development: the RPC accepts calls from every loopback name of PUBLIC_URL's port (localhost,
   * 127.0.0.1, [::1]) when PUBLIC_URL is on one; otherwise from PUBLIC_URL's origin alone.
   */
  readonly loopbackOrigins?: boolean
  /** Plivo's auth token: mounts the signed delivery-receipt webhook (POST /webhooks/plivo/status). */
  readonly plivoAuthToken?: Redacted.Redacted
  /**
   * The SMS gateway: mounts the signed inbound webhook (POST /webhooks/plivo/sms), and with the dev
   * inbox the "send an SMS as ..." form (POST /dev/sms) signing with the same token.
   */
  readonly sms?: { readonly authToken: Redacted.Redacted; readonly gateway: SmsGateway["Type"] }
  /**
   * The token voice callbacks are signed with (Plivo's, or in development the one of the dev forms):
   * mounts the signed voice webhooks (answer URL, keys, hangup; PlivoVoiceWebhook), which need the
   * VoiceCallLog, and with the dev inbox its "Appuyer sur …" buttons (POST /dev/voice).
   */
  readonly voice?: { readonly authToken: Redacted.Redacted; readonly keypad: VoiceKeypad["Type"] }
  /** The number members send SMS to (PLIVO_NUMBER), shown on the communes' public pages; none without Plivo. */
  readonly smsNumber?: string
  /** Where the built web app is; packages/ui/dist by default. */
  readonly uiDir?: string
  /** TILE_URL: the map tiles the web app's pages name (and their CSP allows); none by default. */
  readonly tileUrl?: string
  /** Completed when the process begins to shut down: live streams end then. */
  readonly shuttingDown?: Deferred.Deferred<void>
  /** TRUSTED_PROXIES: whose X-Forwarded-For names the client (limits); none by default. */
  readonly trustedProxies?: TrustedProxies
  /**
   * The limits at the edge (EDGE_*); absent: none. The RPC ones count in the RateCounters provided
   * (PostgreSQL: platform-wide), the webhook and dev ones in this process.
   */
  readonly edgeLimits?: EdgeLimits
}

/**
 * The routes: GET /healthz, GET /readyz, POST /rpc (NDJSON, behind the gate), the communes' public
 * pages (GET /commune/<INSEE>), the dev inbox when asked, and the web app for every other GET (a JSON
 * 404 for unknown server paths). The site's own origin (PublicUrl) is the one the RPC accepts calls
 * from (in development, with its other loopback names), and names the cookies.
 */
export const app = (options: ServerOptions = {}) =>
  Effect.gen(function*() {
    const publicUrl = yield* PublicUrl
    const rpcApp = yield* RpcServer.toHttpApp(VigieRpcs, { spanPrefix: "rpc" })
    const trustedProxies = options.trustedProxies ?? noTrustedProxies
    const limits = options.edgeLimits
    const counters = yield* Effect.serviceOption(RateCounters)
    const edgeLimit = limits === undefined || Option.isNone(counters)
      ? {}
      : {
        edgeLimit: (address: string, cost: number) =>
          EdgeGuard.check(counters.value, "auth", limits.auth, address, cost)
      }
    const origins = acceptedOrigins(publicUrl, options.loopbackOrigins === true)
    const rpc = gate(rpcApp, { publicUrl, origins,
      rpcs: VigieRpcs.requests as unknown as ReadonlyMap<string, Rpc.AnyWithProps>, trustedProxies, ...edgeLimit })
    const routes = HttpRouter.empty.pipe(
      HttpRouter.get(HEALTHZ_PATH, healthz),
      HttpRouter.get(READYZ_PATH, readyz),
      HttpRouter.post("/rpc", rpc),
      HttpRouter.get(PersonalDataExport.EXPORT_PATH, PersonalDataExport.handler(publicUrl)),
      HttpRouter.get(MediaFiles.MEDIA_PATH, MediaFiles.handler(publicUrl)),
      HttpRouter.get(
        GazettePrint.GAZETTE_PRINT_PATH,
        GazettePrint.handler(publicUrl, Option.fromNullable(options.smsNumber))
      ),
      HttpRouter.get(GazetteEventCalendar.EVENT_CALENDAR_PATH, GazetteEventCalendar.handler(publicUrl)),
      HttpRouter.get(
        CommunePage.COMMUNE_PAGE_PATH,
        CommunePage.handler({ publicUrl, smsNumber: Option.fromNullable(options.smsNumber) })
      ),
      options.devInbox === true && options.sms === undefined
        ? HttpRouter.concat(DevInbox.routerWith(undefined, options.voice !== undefined))
        : (routes) => routes,
      options.sms === undefined
        ? (routes) => routes
        : smsRoutes(publicUrl, options.sms, options.devInbox === true, options.voice !== undefined),
      options.plivoAuthToken === undefined
        ? (routes) => routes
        : plivoStatusRoute({ publicUrl, authToken: options.plivoAuthToken }),
      options.voice === undefined
        ? (routes) => routes
        : plivoVoiceRoutes({ publicUrl, ...options.voice }),
      options.voice === undefined || options.devInbox !== true
        ? (routes) => routes
        : DevVoiceForm.devVoiceRoute({ publicUrl, authToken: options.voice.authToken }),
      // Everything else is the web app (packages/ui/dist), which answers its own 404 for server paths.
      Effect.catchTag("RouteNotFound", () => StaticUi.respond(options.uiDir, options.tileUrl))
    )
    const guarded = EdgeGuard.guard(routes, {
      publicUrl,
      trustedProxies,
      ...(limits === undefined ? {} : {
        webhooks: { counters: MemoryRateCounters.make(), limit: limits.webhooks },
        dev: { counters: MemoryRateCounters.make(), limit: limits.dev }
      })
    })
    return withRequestId(trustedProxies)(guarded)
  })

/** The inbound SMS webhook, and in development the dev inbox with its SMS form. */
const smsRoutes = (
  publicUrl: URL,
  sms: NonNullable<ServerOptions["sms"]>,
  devInbox: boolean,
  voiceKeys: boolean
) => {
  const withGateway = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, SmsGateway, sms.gateway)
  const webhook = { publicUrl, authToken: sms.authToken }
  return <E, R>(routes: HttpRouter.HttpRouter<E, R>) => {
    const inbound = routes.pipe(
      HttpRouter.post(PlivoInboundWebhook.INBOUND_PATH, withGateway(PlivoInboundWebhook.handler(webhook)))
    )
    return devInbox
      ? inbound.pipe(
        HttpRouter.concat(
          DevInbox.routerWith(
            Effect.map(DevSmsForm.readSmsFormData, (data) => DevSmsForm.renderSmsForm(data) + DevVeille.form),
            voiceKeys
          )
        ),
        DevSmsForm.devSmsRoute(webhook),
        DevVeille.devVeilleRoute
      )
      : inbound
  }
}

/**
 * The HTTP server: the routes served on whatever HttpServer is provided (Node's in production, a
 * random port in tests). Needs the use cases, PublicUrl, the SqlClient (readiness) and an HttpServer.
 */
export const layer = (options: ServerOptions = {}) =>
  Layer.unwrapScoped(Effect.map(app(options), (routes) => HttpServer.serve(routes))).pipe(
    // No request span for the probes (noise), nor for a URL with a query: its query may hold a link's
    // token (/mot-de-passe/nouveau?jeton=…), which the span would record in url.full and url.query.
    HttpMiddleware.withTracerDisabledWhen((request) =>
      request.url.includes("?") || request.url === "/healthz" || request.url === "/readyz"
    ),
    Layer.provide(handlers(options)),
    Layer.provide(RpcSerialization.layerNdjson)
  )
