import type { Community } from "@vigie/domain/communities/Community"
import { QuartierMap } from "../../components/QuartierMap.js"

/**
 * The perimeters of a commune's communities on the map (streets when TILE_URL is set, a plain
 * background otherwise). Clicking a quartier chooses it; the list next to the map is the keyboard and
 * screen-reader path. `figures`, when given, writes short lines under each name (the mairie's counts).
 */
export const CommunityMap = (props: {
  readonly communities: ReadonlyArray<Community>
  readonly selected: string | undefined
  readonly onSelect: (id: Community["id"]) => void
  readonly figures?: ((c: Community) => ReadonlyArray<string>) | undefined
}) => (
  <QuartierMap
    label={`Plan des quartiers : ${props.communities.map((c) => c.name).join(", ")}`}
    areas={props.communities.map((c) => ({ id: c.id, name: c.name, perimeter: c.perimeter,
      lines: props.figures?.(c) })
    )}
    selected={props.selected}
    onSelect={(id) => props.onSelect(id as Community["id"])}
  />
)
