import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { InseeCode } from "./Commune.js"
import type { Community, CommunityId } from "./Community.js"
import type { Polygon } from "./GeoJson.js"

export interface NewCommunity {
  readonly insee: InseeCode
  readonly name: string
  readonly perimeter: Polygon
}

/** Persistence of communities. */
export class CommunityRepo extends Context.Tag("@vigie/domain/CommunityRepo")<
  CommunityRepo,
  {
    readonly insert: (community: NewCommunity) => Effect.Effect<Community>
    readonly findById: (id: CommunityId) => Effect.Effect<Option.Option<Community>>
    readonly listByCommune: (insee: InseeCode) => Effect.Effect<ReadonlyArray<Community>>
  }
>() {}
