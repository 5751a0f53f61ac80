import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { InseeCode } from "./Commune.js"
import type { Community, CommunityId } from "./Community.js"
import type { Polygon } from "./GeoJson.js"

export interface NewCommunity {
  readonly insee: InseeCode
  readonly name: string
  readonly perimeter: Polygon
}

/** A recorded change of a quartier by the mairie: its id names the notice its members are sent. */
export interface CommunityChange {
  readonly communityId: CommunityId
  readonly actorId: AccountId
  readonly at: DateTime.Utc
  readonly change:
    | { readonly _tag: "Redrawn"; readonly before: Polygon; readonly after: Polygon }
    | { readonly _tag: "Archived" }
}

/** Persistence of communities. */
export class CommunityRepo extends Context.Tag("@vigie/domain/CommunityRepo")<
  CommunityRepo,
  {
    readonly insert: (community: NewCommunity) => Effect.Effect<Community>
    readonly findById: (id: CommunityId) => Effect.Effect<Option.Option<Community>>
    /** Every community of the commune, archived ones included, by name. */
    readonly listByCommune: (insee: InseeCode) => Effect.Effect<ReadonlyArray<Community>>
    /** Sets the name of an active community; none when it is not (archived or unknown). */
    readonly rename: (id: CommunityId, name: string, at: DateTime.Utc) => Effect.Effect<Option.Option<Community>>
    /** Sets the perimeter of an active community; none when it is not. */
    readonly redraw: (id: CommunityId, perimeter: Polygon, at: DateTime.Utc) => Effect.Effect<Option.Option<Community>>
    /** Archives an active community; false when it was not active. */
    readonly archive: (id: CommunityId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Records a change (append-only) and returns its id. */
    readonly recordChange: (change: CommunityChange) => Effect.Effect<string>
  }
>() {}
