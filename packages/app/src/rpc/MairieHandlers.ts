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
import * as QuartiersService from "@vigie/domain/mairie/Quartiers"
import { Quartiers } from "@vigie/domain/mairie/Quartiers"
import { QuartierRpcs } from "@vigie/domain/mairie/QuartierRpcs"
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

const quartiers = QuartierRpcs.toLayer(Effect.gen(function*() {
  const q = yield* Quartiers
  const acting = <A, E, R>(f: (actor: typeof CurrentActor.Service) => Effect.Effect<A, E, R>) =>
    Effect.flatMap(CurrentActor, f)
  return {
    ListManagedCommunities: ({ insee }) => acting((actor) => q.list(actor, insee)),
    GetManagedCommune: ({ insee }) => acting((actor) => q.describe(actor, insee)),
    CreateCommunity: (input) => acting((actor) => q.create(actor, input)),
    RenameCommunity: ({ communityId, name }) => acting((actor) => q.rename(actor, communityId, name)),
    PreviewRedraw: ({ communityId, perimeter }) => acting((actor) => q.previewRedraw(actor, communityId, perimeter)),
    RedrawCommunity: ({ acknowledged, communityId, perimeter }) =>
      acting((actor) => q.redraw(actor, communityId, perimeter, acknowledged)),
    ArchiveCommunity: ({ communityId }) => acting((actor) => q.archive(actor, communityId)),
    ListCommunityMembers: ({ communityId }) => acting((actor) => q.members(actor, communityId)),
    AppointReferent: ({ communityId, membershipId }) =>
      acting((actor) => q.appointReferent(actor, communityId, membershipId)),
    RemoveReferent: ({ communityId, membershipId }) =>
      acting((actor) => q.removeReferent(actor, communityId, membershipId))
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
  CommuneStatistics.layer,
  QuartiersService.layer
)

/** Handlers of every mairie RPC (MairieRpcs), with their use cases. */
export const layer = Layer.mergeAll(
  townAlerts,
  authoritiesInbox,
  referentBulletins,
  communeStatistics,
  quartiers
).pipe(
  Layer.provide(services)
)
