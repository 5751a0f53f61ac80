import { createServer } from "node:http"
import { join } from "node:path"
import { NodeHttpServer } from "@effect/platform-node"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as SesEmailSender from "@vigie/adapters/email/SesEmailSender"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as PdfPostalMailer from "@vigie/adapters/postal/PdfPostalMailer"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import { ConfigError, Console, Effect, Layer } from "effect"
import * as Server from "../http/Server.js"
import * as Platform from "../Platform.js"
import * as ServerConfig from "../ServerConfig.js"

/** A configuration problem, already described one line per variable. */
export class InvalidConfiguration extends Error {
  constructor(readonly lines: ReadonlyArray<string>) {
    super(`Invalid configuration:\n  ${lines.join("\n  ")}`)
  }
}

const readConfig = <A>(config: Effect.Effect<A, ConfigError.ConfigError>) =>
  Effect.mapError(config, (error) => new InvalidConfiguration(ServerConfig.describeConfigError(error)))

/**
 * Serves the platform until interrupted (Ctrl-C, SIGTERM): HTTP on PORT with the RPC endpoint and
 * the health checks, over the database the caller provides. On interruption the server stops
 * accepting, lets in-flight requests finish (Node's server.close), then the pool closes.
 */
export const serve = Effect.gen(function*() {
  const config = yield* readConfig(ServerConfig.config)
  const sms = config.smsProvider === "plivo" ? PlivoSmsSender.layer : OutboxSmsSender.layer
  const email = config.emailProvider === "ses" ? SesEmailSender.layer : OutboxEmailSender.layer
  const postal = PdfPostalMailer.layerWith({
    directory: join(config.dataDir, "letters"),
    publicUrl: config.publicUrl.origin,
    keepCodeForDevInbox: config.env === "development"
  })
  const ports = Layer.mergeAll(
    Platform.repositories,
    Platform.localServices,
    PubSubLiveEvents.layer,
    NodeSecrets.layer,
    sms,
    email,
    postal
  )
  const server = Server.layer(config.publicUrl).pipe(
    Layer.provide(Platform.useCases.pipe(Layer.provideMerge(ports))),
    Layer.provide(NodeHttpServer.layer(createServer, { port: config.port }))
  )
  yield* Console.log(`Vigie is serving on ${config.publicUrl.origin} (port ${config.port}, ${config.env}).`)
  return yield* Layer.launch(server).pipe(
    Effect.catchIf(ConfigError.isConfigError, (error) =>
      Effect.fail(new InvalidConfiguration(ServerConfig.describeConfigError(error))))
  )
})
