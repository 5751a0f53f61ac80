import { cleanup, render, screen } from "@solidjs/testing-library"
import { createSignal } from "solid-js"
import { afterEach, describe, expect, it } from "vitest"
import { QuartierMap, type MapHandle } from "../../src/components/QuartierMap.js"
import { bourg, graves } from "../support/Fixtures.js"

afterEach(cleanup)

const areas = [
  { id: bourg.id, name: bourg.name, perimeter: bourg.perimeter, lines: ["42 membres"] },
  { id: graves.id, name: graves.name, perimeter: graves.perimeter }
]

describe("the quartier map", () => {
  it("draws each perimeter with its name on a plain background when no tiles are configured", () => {
    render(() => <QuartierMap label="Plan des quartiers : Le Bourg, Les Graves" areas={areas} />)
    const map = screen.getByRole("img", { name: "Plan des quartiers : Le Bourg, Les Graves" })
    expect(map.querySelectorAll("path.quartier")).toHaveLength(2)
    expect([...map.querySelectorAll(".quartier-label")].map((l) => l.textContent)).toEqual(["Le Bourg42 membres",
      "Les Graves"])
    expect(map.querySelector(".leaflet-tile-pane img")).toBeNull()
    expect(map.textContent).not.toContain("OpenStreetMap")
  })

  it("shows OpenStreetMap's attribution with the tiles of TILE_URL", () => {
    render(() => <QuartierMap label="Plan" areas={areas} tileUrl="https://tiles.example/{z}/{x}/{y}.png" />)
    const map = screen.getByRole("img", { name: "Plan" })
    expect(map.querySelector(".leaflet-control-attribution")?.textContent).toContain("© OpenStreetMap")
  })

  it("chooses a quartier by a click on it and highlights the chosen one", async () => {
    const [selected, setSelected] = createSignal<string>()
    render(() => <QuartierMap label="Plan" areas={areas} selected={selected()} onSelect={setSelected} />)
    const paths = screen.getByRole("img", { name: "Plan" }).querySelectorAll("path.quartier")
    paths[1]!.dispatchEvent(new MouseEvent("click", { bubbles: true }))
    expect(selected()).toBe(graves.id)
    expect(paths[1]!.classList.contains("selected")).toBe(true)
    expect(paths[0]!.classList.contains("selected")).toBe(false)
  })

  it("draws the points of a perimeter being drawn and gives the point under the crosshair", () => {
    let handle: MapHandle | undefined
    render(() => (
      <QuartierMap label="Plan" areas={[]} draft={[[-0.5, 44.7], [-0.49, 44.7], [-0.49, 44.71]]}
        ref={(h) => (handle = h)} />
    ))
    const map = screen.getByRole("img", { name: "Plan" })
    expect(map.querySelectorAll("path.draft")).toHaveLength(1)
    expect(map.querySelectorAll("path.draft-point")).toHaveLength(3)
    const [lon, lat] = handle!.centre()
    expect(lon).toBeCloseTo(-0.495, 2)
    expect(lat).toBeCloseTo(44.705, 2)
  })

  it("while drawing, takes a neighbour's nearest corner for a point drawn a few pixels from it", () => {
    let handle: MapHandle | undefined
    const small = {
      id: "small",
      name: "Petit",
      perimeter: {
        type: "Polygon" as const,
        coordinates: [[[-0.54, 44.75], [-0.5398, 44.75], [-0.5398, 44.7502], [-0.54, 44.7502], [-0.54, 44.75]]] as [
          Array<[number, number]>
        ]
      }
    }
    render(() => <QuartierMap label="Plan" areas={[small]} draft={[[-0.5401, 44.7499]]} ref={(h) => (handle = h)} />)
    // The view's centre (-0.53995, 44.75005) is a pixel or so from the corner (-0.54, 44.75).
    expect(handle!.centre()).toEqual([-0.54, 44.75])
    // Neighbours are a reference only while drawing: not clickable.
    const map = screen.getByRole("img", { name: "Plan" })
    expect(map.querySelectorAll("path.quartier")).toHaveLength(1)
    expect(map.querySelectorAll("path.quartier.leaflet-interactive")).toHaveLength(0)
  })
})
