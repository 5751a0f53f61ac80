import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { InseeCode } from "../communities/Commune.js"
import type { CommuneStatistics } from "./CommuneStatistic.js"

/** Aggregates of one commune, computed by the database. */
export class CommuneStatisticsRepo extends Context.Tag("@vigie/domain/CommuneStatisticsRepo")<
  CommuneStatisticsRepo,
  { readonly snapshot: (insee: InseeCode, now: DateTime.Utc) => Effect.Effect<CommuneStatistics> }
>() {}
