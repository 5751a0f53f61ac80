import { Effect, Option } from "effect"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { CommunityRepo } from "../communities/CommunityRepo.js"
import type { AlertScope } from "./Alert.js"

/** The commune of an alert and the communities it reaches: who is told about it, live and by message. */
export interface AlertReach {
  readonly insee: InseeCode
  readonly communityIds: ReadonlyArray<CommunityId>
}

/**
 * Where an alert of `scope` reaches: its community (none when the community is gone), or for a town
 * alert the communities chosen, every community of the commune when none was chosen.
 */
export const alertReach = (
  communities: CommunityRepo["Type"],
  scope: AlertScope
): Effect.Effect<Option.Option<AlertReach>> =>
  scope._tag === "Community"
    ? Effect.map(
      communities.findById(scope.communityId),
      Option.map((c): AlertReach => ({ insee: c.insee, communityIds: [c.id] }))
    )
    : Effect.map(
      Option.match(scope.communityIds, {
        onSome: (ids) => Effect.succeed(ids as ReadonlyArray<CommunityId>),
        onNone: () => Effect.map(communities.listByCommune(scope.insee), (cs) => cs.map((c) => c.id))
      }),
      (communityIds) => Option.some<AlertReach>({ insee: scope.insee, communityIds })
    )
