import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import * as AuthoritiesInboxService from "@vigie/domain/mairie/AuthoritiesInbox"
import { AuthoritiesInbox } from "@vigie/domain/mairie/AuthoritiesInbox"
import { AuthoritiesInboxRpcs } from "@vigie/domain/mairie/AuthoritiesInboxRpcs"
import * as CommuneStatistics from "@vigie/domain/mairie/CommuneStatistics"
import { CommuneStatisticsService } from "@vigie/domain/mairie/CommuneStatistics"
import { CommuneStatisticsRpcs } from "@vigie/domain/mairie/CommuneStatisticsRpcs"
import * as ReferentBulletinsService from "@vigie/domain/mairie/ReferentBulletins"
import { ReferentBulletins } from "@vigie/domain/mairie/ReferentBulletins"
import { ReferentBulletinRpcs } from "@vigie/domain/mairie/ReferentBulletinRpcs"
import * as TownAlertsService from "@vigie/domain/mairie/TownAlerts"
import { TownAlerts } from "@vigie/domain/mairie/TownAlerts"
import { TownAlertRpcs } from "@vigie/domain/mairie/TownAlertRpcs"
import { Effect, Layer, Stream } from "effect"
import { endOnShutdown, ShuttingDown } from "../http/GracefulShutdown.js"

const townAlerts = TownAlertRpcs.toLayer(Effect.gen(function*() {
  const towns = yield* TownAlerts
  return {
    PreviewTownAlert: (draft) => Effect.flatMap(CurrentActor, (actor) => towns.preview(actor, draft)),
    ConfirmTownAlert: ({ emailOnly, previewToken }) =>
      Effect.flatMap(CurrentActor, (actor) => towns.confirm(actor, previewToken, emailOnly))
  }
}))

const authoritiesInbox = AuthoritiesInboxRpcs.toLayer(Effect.gen(function*() {
  const inbox = yield* AuthoritiesInbox
  const shuttingDown = yield* Effect.serviceOption(ShuttingDown)
  return {
    ListAuthoritiesInbox: ({ insee, ...page }) =>
      Effect.flatMap(CurrentActor, (actor) => inbox.list(actor, insee, page)),
    WatchAuthoritiesInbox: ({ insee }) =>
      Stream.unwrapScoped(Effect.flatMap(CurrentActor, (actor) => inbox.watch(actor, insee))).pipe(
        endOnShutdown(shuttingDown)
      ),
    AcknowledgeSharedAlert: ({ alertId, note }) =>
      Effect.flatMap(CurrentActor, (actor) => inbox.acknowledge(actor, alertId, note)),
    GetAlertAcknowledgements: ({ alertId }) =>
      Effect.flatMap(CurrentActor, (actor) => inbox.acknowledgements(actor, alertId))
  }
}))

const referentBulletins = ReferentBulletinRpcs.toLayer(Effect.gen(function*() {
  const bulletins = yield* ReferentBulletins
  return {
    SendReferentBulletin: (bulletin) => Effect.flatMap(CurrentActor, (actor) => bulletins.send(actor, bulletin)),
    ListReferentInbox: (page) => Effect.flatMap(CurrentActor, (actor) => bulletins.inbox(actor, page))
  }
}))

const communeStatistics = CommuneStatisticsRpcs.toLayer(Effect.gen(function*() {
  const statistics = yield* CommuneStatisticsService
  const shuttingDown = yield* Effect.serviceOption(ShuttingDown)
  return {
    GetCommuneStatistics: ({ insee }) => Effect.flatMap(CurrentActor, (actor) => statistics.get(actor, insee)),
    WatchCommuneStatistics: ({ insee }) =>
      Stream.unwrapScoped(Effect.flatMap(CurrentActor, (actor) => statistics.watch(actor, insee))).pipe(
        endOnShutdown(shuttingDown)
      ),
    ExportCommuneStatistics: ({ insee }) => Effect.flatMap(CurrentActor, (actor) => statistics.exportCsv(actor, insee))
  }
}))

/**
 * The mairie's use cases. Need the platform's ports, PgMairie's repositories and MairieSettings (read
 * once with the rest of the configuration, VigieConfig).
 */
export const services = Layer.mergeAll(
  TownAlertsService.layer,
  AuthoritiesInboxService.layer,
  ReferentBulletinsService.layer,
  CommuneStatistics.layer
)

/** Handlers of every mairie RPC (MairieRpcs), with their use cases. */
export const layer = Layer.mergeAll(townAlerts, authoritiesInbox, referentBulletins, communeStatistics).pipe(
  Layer.provide(services)
)
