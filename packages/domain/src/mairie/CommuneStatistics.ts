import { Context, DateTime, Duration, Effect, Layer, Stream } from "effect"
import type { Scope } from "effect"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { InseeCode } from "../communities/Commune.js"
import { LiveEvents } from "../live/LiveEvents.js"
import { toCsv, type CommuneStatistics as Figures } from "./CommuneStatistic.js"
import { CommuneStatisticsRepo } from "./CommuneStatisticsRepo.js"
import { requireAuthority } from "./StaffAccess.js"

type Acting = Unauthenticated | AccountSuspended

/** How often the live figures are recomputed at most, and at least (delivery progress has no event of its own yet). */
export const STATISTICS_DEBOUNCE = Duration.millis(500)
export const STATISTICS_REFRESH = Duration.seconds(5)

/** Live statistics of a commune for its mairie and police: aggregates only. */
export class CommuneStatisticsService extends Context.Tag("@vigie/domain/CommuneStatistics")<
  CommuneStatisticsService,
  {
    readonly get: (actor: Actor, insee: InseeCode) => Effect.Effect<Figures, Acting | Forbidden>
    /** The figures now, then again after each event of the commune (and every few seconds while they change). */
    readonly watch: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<Stream.Stream<Figures>, Acting | Forbidden, Scope.Scope>
    readonly exportCsv: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<{ readonly filename: string; readonly csv: string }, Acting | Forbidden>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* CommuneStatisticsRepo
  const live = yield* LiveEvents
  const now = DateTime.now

  const allowed = (actor: Actor, insee: InseeCode, action: string) =>
    Effect.flatMap(requireAccount(actor), (account) => requireAuthority(account.staffRoles, insee, action))

  const get: CommuneStatisticsService["Type"]["get"] = (actor, insee) =>
    Effect.zipRight(
      allowed(actor, insee, "read_commune_statistics"),
      Effect.flatMap(now, (at) => repo.snapshot(insee, at))
    )

  const watch: CommuneStatisticsService["Type"]["watch"] = (actor, insee) =>
    Effect.gen(function*() {
      yield* allowed(actor, insee, "watch_commune_statistics")
      const events = yield* live.subscribe
      const triggers = Stream.merge(
        Stream.filter(events, (event) => "insee" in event && event.insee === insee).pipe(
          Stream.debounce(STATISTICS_DEBOUNCE)
        ),
        Stream.tick(STATISTICS_REFRESH)
      )
      const snapshot = Effect.flatMap(now, (at) => repo.snapshot(insee, at))
      // Identical figures are not sent twice (generatedAt aside).
      return Stream.concat(Stream.make(undefined), triggers).pipe(
        Stream.mapEffect(() => snapshot),
        Stream.changesWith((a, b) =>
          JSON.stringify([a.communities, a.categories, a.townAlerts]) ===
            JSON.stringify([b.communities, b.categories, b.townAlerts])
        )
      )
    })

  const exportCsv: CommuneStatisticsService["Type"]["exportCsv"] = (actor, insee) =>
    Effect.gen(function*() {
      yield* allowed(actor, insee, "export_commune_statistics")
      const at = yield* now
      const figures = yield* repo.snapshot(insee, at)
      return { filename: `vigie-${insee}-${DateTime.formatIsoDateUtc(at)}.csv`, csv: toCsv(figures) }
    })

  return CommuneStatisticsService.of({ get, watch, exportCsv })
})

export const layer = Layer.effect(CommuneStatisticsService, make)
