import { createServer } from "node:http"
import { join } from "node:path"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpServer } from "@effect/platform-node"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as LiveEventsLayer from "@vigie/adapters/live/LiveEventsLayer"
import * as PdfPostalMailer from "@vigie/adapters/postal/PdfPostalMailer"
import * as DeliveryWakeupLayer from "@vigie/adapters/wakeup/DeliveryWakeupLayer"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import * as SmsGateway from "@vigie/domain/sms/SmsGateway"
import { VoiceKeypad } from "@vigie/domain/channels/VoiceKeypad"
import * as SmsReplies from "@vigie/domain/sms/SmsReplies"
import * as InboxWakeup from "@vigie/domain/sms/InboxWakeup"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { Console, Context, Deferred, Effect, Layer, Option, Redacted } from "effect"
import * as GracefulShutdown from "../http/GracefulShutdown.js"
import * as Server from "../http/Server.js"
import * as Platform from "../Platform.js"
import * as ServerConfig from "../ServerConfig.js"
import * as VigieConfig from "../VigieConfig.js"
import * as MetricsServer from "../telemetry/MetricsServer.js"
import * as Telemetry from "../telemetry/Telemetry.js"
import * as Keypads from "../voice/Keypads.js"
import { alertRenderer } from "../workers/AlertTexts.js"
import * as DeliveryWorker from "../workers/DeliveryWorker.js"
import * as InboxWorker from "../workers/InboxWorker.js"
import * as RetentionWorker from "../workers/RetentionWorker.js"
import * as EventReminderWorker from "../workers/EventReminderWorker.js"
import * as RetentionJob from "@vigie/domain/administration/RetentionJob"
import * as GazetteDigests from "@vigie/domain/gazette/GazetteDigests"
import * as GazetteDigestWorker from "../workers/GazetteDigestWorker.js"
import * as GazetteImmediate from "@vigie/domain/gazette/GazetteImmediate"
import * as GazetteImmediateWorker from "../workers/GazetteImmediateWorker.js"
import * as UnreadMessagesWorker from "../workers/UnreadMessagesWorker.js"
import * as GazetteExpiry from "@vigie/domain/gazette/GazetteExpiry"
import * as VeilleWorker from "../workers/VeilleWorker.js"

export { InvalidConfiguration } from "../ServerConfig.js"

/** The PDF mailer's options: codes are kept for the dev inbox in development, never in production. */
export const postalOptions = (config: ServerConfig.ServerConfig): PdfPostalMailer.PdfPostalOptions => ({
  directory: join(config.dataDir, "letters"),
  publicUrl: config.publicUrl.origin,
  keepCodeForDevInbox: config.env === "development"
})

/** The address to print and to check origins against: PORT=0 means "any free port", known only once listening. */
const siteUrl = (configured: URL, address: HttpServer.Address): URL =>
  configured.port === "0" && address._tag === "TcpAddress"
    ? new URL(`${configured.protocol}//${configured.hostname}:${address.port}`)
    : configured

/**
 * Serves the platform until interrupted (Ctrl-C, SIGTERM): HTTP on PORT with the RPC endpoint, the
 * health checks and, in development, the dev inbox, over the database the caller provides, with
 * the configuration `startup` read (nothing reads the environment after it). On
 * interruption the server stops accepting, ends live streams, lets in-flight requests finish, then
 * the RPC server, the adapters and (by the caller) the pool and the embedded database close.
 */
export const serve = (startup: ServerConfig.Startup) =>
  Effect.gen(function*() {
    const config = startup.server
    const ports = Layer.mergeAll(
      Platform.repositories,
      Platform.localServices,
      LiveEventsLayer.layer,
      DeliveryWakeupLayer.layer,
      NodeSecrets.layerFrom(startup.secrets),
      PgRateCounters.layer,
      VigieConfig.blobStore(startup),
      VigieConfig.layer(startup),
      VigieConfig.providers(startup)
    )
    const node = createServer()
    const tracked = GracefulShutdown.track(node)
    const starting = GracefulShutdown.answerWhileStarting(node)
    const shuttingDown = yield* Deferred.make<void>()
    const listening = NodeHttpServer.layer(() => node, { port: config.port })
    const site = Layer.unwrapEffect(Effect.gen(function*() {
      const url = siteUrl(config.publicUrl, (yield* HttpServer.HttpServer).address)
      const postal = PdfPostalMailer.layerWith(postalOptions({ ...config, publicUrl: url }))
      // Plivo signs its webhooks with the account's auth token. In development without Plivo, a token
      // made for this run signs the dev inbox's "send an SMS as ..." form; in production without
      // Plivo there is no SMS gateway.
      const smsToken = Option.match(startup.plivo, {
        onSome: (plivo) => Option.some(plivo.authToken),
        onNone: () => config.env === "development" ? Option.some(Redacted.make(crypto.randomUUID())) : Option.none()
      })
      const served = Layer.unwrapEffect(
        Effect.map(Effect.all([SmsGateway.SmsGateway, VoiceKeypad]), ([gateway, keypad]) =>
          Server.layer({
            devInbox: config.env === "development",
            loopbackOrigins: config.env === "development",
            shuttingDown,
            trustedProxies: config.trustedProxies,
            edgeLimits: startup.edge,
            uiDir: config.uiDir,
            ...Option.match(config.tileUrl, { onNone: () => ({}), onSome: (tileUrl) => ({ tileUrl }) }),
            ...Option.match(startup.plivo, { onNone: () => ({}),
              onSome: (plivo) => ({ plivoAuthToken: plivo.authToken, smsNumber: plivo.from }) }),
            ...Option.match(smsToken, {
              onNone: () => ({}),
              onSome: (authToken) => ({ sms: { authToken, gateway }, voice: { authToken, keypad } })
            })
          }))
      )
      const gateway = SmsGateway.layer().pipe(
        Layer.provideMerge(SmsReplies.layer()),
        Layer.provideMerge(InboxWakeup.layer)
      )
      // Every process serves HTTP and runs delivery workers and inbox workers (which handle the
      // inbound SMS the webhook recorded); they stop (finishing the claim in flight) when the
      // platform stops.
      const workers = Layer.merge(
        Layer.unwrapEffect(Effect.map(alertRenderer(url), (render) => DeliveryWorker.layer(render, startup.delivery))),
        InboxWorker.layer(startup.inbox)
      )
      // The retention job (GDPR): every process asks, it runs at most once a day across all of them.
      const retention = RetentionWorker.layer(startup.retention).pipe(
        Layer.provide(Layer.merge(RetentionJob.layer, GazetteExpiry.layer))
      )
      // The Gazette's Monday digest: every process asks, one plans each week;
      // and the posts its members asked to be told of at once, every few seconds.
      const digest = Layer.merge(
        GazetteDigestWorker.layer().pipe(Layer.provide(GazetteDigests.layer)),
        GazetteImmediateWorker.layer().pipe(Layer.provide(GazetteImmediate.layer))
      )
      // The Gazette's day-before event reminders: every process asks, each member is reminded once.
      // The unread messages' e-mails (the messagerie, issue 16): after 15 minutes, once a day.
      const reminders = Layer.merge(EventReminderWorker.layer(), UnreadMessagesWorker.layer())
      // La veille bienveillante: every process claims the due check-ins under a lease.
      const veille = VeilleWorker.layer()
      // GET /metrics on METRICS_PORT when set: its own port, never the site's.
      const metrics = Option.match(startup.telemetry.prometheus, {
        onNone: () => Layer.empty,
        onSome: (prometheus) => Layer.discard(MetricsServer.layer(prometheus, startup.townSmsMonthlyBudget))
      })
      // The site's address as served (PORT=0 is known only once listening), for every link and cookie.
      return Layer.mergeAll(served, workers, retention, digest, reminders, veille, metrics).pipe(
        Layer.provide(
          gateway.pipe(
            // What keys pressed during a call mean: the veille's check-ins, "Merci." for the others.
            Layer.provideMerge(Keypads.layer),
            Layer.provideMerge(Platform.useCases),
            Layer.provideMerge(Layer.merge(ports, postal))
          )
        ),
        Layer.provideMerge(PublicUrl.layer(url))
      )
    })).pipe(Layer.provide(listening))
    return yield* Effect.scoped(Effect.gen(function*() {
      const url = Context.get(yield* Layer.build(site), PublicUrl.PublicUrl)
      starting.done()
      // Added after the layers are built, so it runs first on release: drain, then close the rest.
      yield* GracefulShutdown.drainOnRelease(node, tracked, shuttingDown)
      yield* Console.log([
        `Vigie is serving on ${url.origin} (${config.env}).`,
        ...(config.env === "development" ? [`Dev inbox (SMS, e-mails, activation letters): ${url.origin}/dev`] : []),
        "Stop with Ctrl-C."
      ].join("\n"))
      return yield* Effect.never
    }))
  }).pipe(
    // Traces and metrics (OTEL_*, METRICS_PORT) around everything the process runs; nothing when unset.
    Effect.provide(Telemetry.layer(startup.telemetry, { process: "serve" }))
  )
