import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { CommuneStatistics } from "./CommuneStatistic.js"

const errors = Schema.Union(Unauthenticated, AccountSuspended, Forbidden, InvalidRequest)

/** My commune's figures now (mairie agents and municipal police of `insee`). */
export const GetCommuneStatistics = Rpc.make("GetCommuneStatistics", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: CommuneStatistics,
  error: errors
})

/** My commune's figures, again whenever they change, for as long as I listen. */
export const WatchCommuneStatistics = Rpc.make("WatchCommuneStatistics", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: CommuneStatistics,
  error: errors,
  stream: true
})

/** My commune's figures as a CSV file (its name and its text). */
export const ExportCommuneStatistics = Rpc.make("ExportCommuneStatistics", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: Schema.Struct({ filename: Schema.String, csv: Schema.String }),
  error: errors
})

/** Live statistics of a commune. */
export class CommuneStatisticsRpcs extends RpcGroup.make(
  GetCommuneStatistics,
  WatchCommuneStatistics,
  ExportCommuneStatistics
).middleware(Authentication) {}
