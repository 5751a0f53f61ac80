/**
 * `worker`: the delivery workers alone, in their own process, until interrupted (SIGINT, SIGTERM:
 * the claim in flight finishes first). Adapters from the environment: Plivo when PLIVO_AUTH_ID is set,
 * otherwise the SMS outbox; SES when EMAIL_FROM is set, otherwise the e-mail outbox; the database from
 * DATABASE_URL (or embedded). Wake-ups come over LISTEN/NOTIFY on a real server, so a fan-out
 * committed by any app process wakes these workers at once.
 */
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as SesEmailSender from "@vigie/adapters/email/SesEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as Database from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgReferentBulletins from "@vigie/adapters/sql/PgReferentBulletins"
import * as DeliveryWakeupLayer from "@vigie/adapters/wakeup/DeliveryWakeupLayer"
import type { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import type { ReferentBulletinRepo } from "@vigie/domain/mairie/ReferentBulletinRepo"
import { Config, Effect, Layer, Option } from "effect"
import * as DeliveryWorker from "./DeliveryWorker.js"
import type { Renderer } from "./DeliveryWorker.js"

const whenSet = <A, E, R>(name: string, chosen: Layer.Layer<A, E, R>, otherwise: Layer.Layer<A, never, R>) =>
  Layer.unwrapEffect(
    Effect.map(Config.option(Config.string(name)), (value) => (Option.isSome(value) ? chosen : otherwise))
  )

/** The senders the environment asks for. */
export const senders = Layer.merge(
  whenSet("PLIVO_AUTH_ID", PlivoSmsSender.layer, OutboxSmsSender.layer),
  whenSet("EMAIL_FROM", SesEmailSender.layer, OutboxEmailSender.layer)
)

/**
 * Runs the workers with the renderers `renderer` builds until interrupted, over the database `Database.layerFromConfig`
 * gives. `wakeup` defaults to the one that fits the database (NOTIFY on a server, in-process embedded).
 */
export const worker = (
  renderer: Effect.Effect<Renderer, never, AlertRepo | ReferentBulletinRepo>,
  wakeup: Layer.Layer<DeliveryWakeup, never, Database.Database> = DeliveryWakeupLayer.layer
) =>
  Effect.gen(function*() {
    const config = yield* DeliveryWorker.config
    yield* Effect.logInfo("delivery workers started").pipe(
      Effect.annotateLogs({ smsRate: config.sms.ratePerSecond, emailRate: config.email.ratePerSecond })
    )
    return yield* DeliveryWorker.run(yield* renderer, config)
  }).pipe(
    Effect.scoped,
    Effect.provide(
      Layer.mergeAll(PgDeliveryRepo.layer, PgAlertRepo.layer, PgReferentBulletins.layer, senders, wakeup).pipe(
        Layer.provideMerge(Migrations.layer),
        Layer.provideMerge(Database.layerFromConfig)
      )
    )
  )
