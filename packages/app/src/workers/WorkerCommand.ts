/**
 * `worker`: the delivery workers alone, in their own process, until interrupted (SIGINT, SIGTERM:
 * the claim in flight finishes first). Configured as `serve` is, by the same rules
 * (ServerConfig.workerStartup): Plivo when SMS_PROVIDER is plivo, otherwise the SMS outbox; SES when
 * EMAIL_PROVIDER is ses, otherwise the e-mail outbox (VigieConfig.providers); PUBLIC_URL required in
 * production; the database from DATABASE_URL (or embedded). Wake-ups come over LISTEN/NOTIFY on a
 * real server, so a fan-out committed by any app process wakes these workers at once.
 */
import * as Database from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import * as DeliveryWakeupLayer from "@vigie/adapters/wakeup/DeliveryWakeupLayer"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import * as PgVeilleRepo from "@vigie/adapters/sql/PgVeilleRepo"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as Veilles from "@vigie/domain/checkin/Veilles"
import * as VeilleWorker from "./VeilleWorker.js"
import type { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import type { ReferentBulletinRepo } from "@vigie/domain/mairie/ReferentBulletinRepo"
import { Effect, Layer, Option } from "effect"
import * as ServerConfig from "../ServerConfig.js"
import * as VigieConfig from "../VigieConfig.js"
import * as MetricsServer from "../telemetry/MetricsServer.js"
import * as Telemetry from "../telemetry/Telemetry.js"
import * as DeliveryWorker from "./DeliveryWorker.js"
import type { GazetteDigestRepo } from "@vigie/domain/gazette/GazetteDigestRepo"
import type { GazetteImmediateRepo } from "@vigie/domain/gazette/GazetteImmediateRepo"
import type { Renderer } from "./DeliveryWorker.js"

/**
 * Runs the workers with the renderers `render` builds for the site's address until interrupted.
 * `wakeup` defaults to the one that fits the database (NOTIFY on a server, in-process embedded).
 */
export const worker = (
  render: (
    publicUrl: URL
  ) => Effect.Effect<Renderer, never, AlertRepo | ReferentBulletinRepo | GazetteDigestRepo | GazetteImmediateRepo>,
  wakeup: Layer.Layer<DeliveryWakeup, never, Database.Database> = DeliveryWakeupLayer.layer
) =>
  Effect.gen(function*() {
    const startup = yield* ServerConfig.workerStartup
    const providers = VigieConfig.providerNames(startup)
    yield* Effect.logInfo("delivery workers started").pipe(
      Effect.annotateLogs({
        sms: providers.sms,
        email: providers.email,
        voice: VigieConfig.voiceProviderName(startup),
        smsRate: startup.delivery.sms.ratePerSecond,
        emailRate: startup.delivery.email.ratePerSecond
      })
    )
    // GET /metrics on METRICS_PORT when set: the workers' deliveries and provider calls, the queue gauges.
    const metrics = Option.match(startup.telemetry.prometheus, {
      onNone: () => Effect.void,
      onSome: (prometheus) => Effect.asVoid(Layer.build(MetricsServer.layer(prometheus, startup.townSmsMonthlyBudget)))
    })
    return yield* Effect.zipRight(
      metrics,
      Effect.flatMap(render(startup.server.publicUrl), (renderer) =>
        // The veille's due check-ins too (their messages go through these delivery workers).
        Effect.zipRight(Effect.forkScoped(VeilleWorker.run()), DeliveryWorker.run(renderer, startup.delivery)))
    ).pipe(
      Effect.scoped,
      Effect.provide(
        Layer.mergeAll(
          PgDeliveryRepo.layer,
          PgPacer.layer,
          PgAlertRepo.layer,
          PgReferentBulletins.layer,
          PgGazetteDigestRepo.layer,
          PgGazetteImmediateRepo.layer,
          VigieConfig.providers(startup),
          wakeup
        ).pipe(
          Layer.provideMerge(Veilles.layer.pipe(
            Layer.provide(Layer.mergeAll(
              PgVeilleRepo.layer,
              SqlTransactor.layer,
              VigieConfig.voiceCaller(startup).pipe(Layer.provide(PgVoiceCallLog.layer))
            ))
          )),
          Layer.provideMerge(Migrations.layer),
          Layer.provideMerge(Database.layer(startup.database))
        )
      ),
      // Traces and metrics (OTEL_*, METRICS_PORT) around the workers; nothing when unset.
      Effect.provide(Telemetry.layer(startup.telemetry, { process: "worker" }))
    )
  })
