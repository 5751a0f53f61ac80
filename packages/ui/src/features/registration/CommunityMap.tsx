import type { Community } from "@vigie/domain/communities/Community"
import type { Position } from "@vigie/domain/communities/GeoJson"
import { For, createMemo } from "solid-js"

const WIDTH = 1000

/**
 * The perimeters of a commune's communities drawn as plain SVG (no tiles, nothing fetched).
 * Clicking a quartier chooses it; the list next to the map is the keyboard and screen-reader path.
 * `figures`, when given, writes short lines under each name (the mairie's counts).
 */
export const CommunityMap = (props: {
  readonly communities: ReadonlyArray<Community>
  readonly selected: string | undefined
  readonly onSelect: (id: Community["id"]) => void
  readonly figures?: ((c: Community) => ReadonlyArray<string>) | undefined
}) => {
  const frame = createMemo(() => {
    const points = props.communities.flatMap((c) => c.perimeter.coordinates[0] ?? [])
    const lons = points.map((p) => p[0])
    const lats = points.map((p) => p[1])
    const minLon = Math.min(...lons), maxLon = Math.max(...lons)
    const minLat = Math.min(...lats), maxLat = Math.max(...lats)
    const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
    const spanX = Math.max((maxLon - minLon) * kx, 1e-9)
    const scale = (WIDTH - 40) / spanX
    const height = Math.max((maxLat - minLat) * scale + 40, 200)
    const project = (p: Position): [number, number] => [20 + (p[0] - minLon) * kx * scale, 20 + (maxLat - p[1]) * scale]
    return { project, height }
  })
  const path = (c: Community) =>
    c.perimeter.coordinates
      .map((ring) =>
        ring.map((p, i) => `${i === 0 ? "M" : "L"}${frame().project(p).map((n) => n.toFixed(1)).join(",")}`).join(" ") +
        " Z"
      )
      .join(" ")
  const centre = (c: Community): [number, number] => {
    const ring = (c.perimeter.coordinates[0] ?? []).slice(0, -1).map((p) => frame().project(p))
    const sum = ring.reduce(([x, y], [a, b]) => [x + a, y + b], [0, 0])
    return [sum[0] / Math.max(ring.length, 1), sum[1] / Math.max(ring.length, 1)]
  }

  return (
    <svg class="map" viewBox={`0 0 ${WIDTH} ${frame().height.toFixed(0)}`} role="img"
      aria-label={`Plan des quartiers : ${props.communities.map((c) => c.name).join(", ")}`}
    >
      <For each={props.communities}>
        {(c) => (
          <g class="quartier" classList={{ selected: props.selected === c.id }} onClick={() => props.onSelect(c.id)}>
            <path d={path(c)} />
            <text x={centre(c)[0]} y={centre(c)[1] - (props.figures === undefined ? 0 : 30)} text-anchor="middle"
              dominant-baseline="middle"
            >
              {c.name}
            </text>
            <For each={props.figures?.(c) ?? []}>
              {(line, i) => (
                <text class="figures" x={centre(c)[0]} y={centre(c)[1] + 8 + i() * 32} text-anchor="middle"
                  dominant-baseline="middle"
                >
                  {line}
                </text>
              )}
            </For>
          </g>
        )}
      </For>
    </svg>
  )
}
