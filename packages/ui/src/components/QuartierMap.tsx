import "leaflet/dist/leaflet.css"
import type { Polygon, Position } from "@vigie/domain/communities/GeoJson"
import * as L from "leaflet"
import { Show, createEffect, createSignal, onCleanup, onMount, untrack } from "solid-js"
import { configuredTileUrl } from "../lib/mapSettings.js"
import { roundPosition, snapToCorner } from "./Perimeter.js"

/** A quartier drawn on the map: its perimeter, its name and, optionally, short lines under it. */
export interface MapArea {
  readonly id: string
  readonly name: string
  readonly perimeter: Polygon
  readonly lines?: ReadonlyArray<string> | undefined
}

/** What a drawing screen asks the map: the point under the crosshair. */
export interface MapHandle {
  readonly centre: () => Position
}

const ATTRIBUTION = "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
/** Metropolitan France, when there is nothing to show yet. */
const FRANCE: L.LatLngExpression = [46.6, 2.4]

const latLngs = (ring: ReadonlyArray<Position>): Array<L.LatLngTuple> => ring.map((p) => [p[1], p[0]])

const labelOf = (area: MapArea): HTMLElement => {
  const label = document.createElement("span")
  const name = document.createElement("span")
  name.className = "name"
  name.textContent = area.name
  label.append(name)
  for (const line of area.lines ?? []) {
    const figures = document.createElement("span")
    figures.className = "figures"
    figures.textContent = line
    label.append(figures)
  }
  return label
}

/**
 * The quartiers on a Leaflet map: OpenStreetMap tiles from TILE_URL with their attribution, or, without
 * tiles (or when they fail to load), the same perimeters on a plain background. Clicking a quartier
 * chooses it; arrow keys pan and +/- zoom once the map has the focus. The map is a picture for screen
 * readers (`label`): every screen puts the list of quartiers beside it, which is the path without it.
 *
 * In drawing mode (`draft` given), the points drawn so far are shown joined, closed once there are
 * three, a crosshair marks the centre (`ref` gives it) and a click on the map is `onMapClick`.
 */
export const QuartierMap = (props: {
  readonly label: string
  readonly areas: ReadonlyArray<MapArea>
  readonly selected?: string | undefined
  readonly onSelect?: ((id: string) => void) | undefined
  readonly draft?: ReadonlyArray<Position> | undefined
  readonly onMapClick?: ((point: Position) => void) | undefined
  readonly ref?: ((handle: MapHandle) => void) | undefined
  /**
   * Where the map starts when it has no quartier nor point to frame (a commune's first quartier): a
   * nearby extent; all of metropolitan France without it.
   */
  readonly start?:
    | { readonly west: number; readonly south: number; readonly east: number; readonly north: number }
    | undefined
  /** TILE_URL; by default the one the server configured (none: plain background). */
  readonly tileUrl?: string | undefined
}) => {
  let container: HTMLDivElement | undefined
  const [tilesFailed, setTilesFailed] = createSignal(false)

  onMount(() => {
    if (container === undefined) return
    const element = container
    const map = L.map(element, {
      renderer: L.svg({ padding: 0.5 }),
      zoomSnap: 0.5,
      minZoom: 3,
      maxZoom: 19,
      worldCopyJump: false,
      zoomControl: false
    }).setView(FRANCE, 5)
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map)
    map.attributionControl.setPrefix("<a href=\"https://leafletjs.com\">Leaflet</a>")
    const tileUrl = props.tileUrl ?? configuredTileUrl()
    if (tileUrl !== undefined) {
      let failures = 0
      L.tileLayer(tileUrl, {
        attribution: ATTRIBUTION,
        maxZoom: 19,
        // OpenStreetMap's tile policy asks for the site's origin; the site's default policy sends none.
        referrerPolicy: "strict-origin-when-cross-origin"
      }).on("tileerror", () => {
        failures += 1
        if (failures >= 3) setTilesFailed(true)
      }).on("tileload", () => {
        failures = 0
        setTilesFailed(false)
      }).addTo(map)
    }

    const areaLayers = L.layerGroup().addTo(map)
    const drawn = new Map<string, L.Polygon>()
    let framed = ""
    let areasBounds = L.latLngBounds([])
    let chosen: string | undefined
    // A label wider than its quartier on screen would cover its neighbours: first its figures go, then,
    // when even the name is much wider, the label until zoomed in (the chosen quartier's always shows).
    const declutter = () => {
      for (const [id, polygon] of drawn) {
        const label = polygon.getTooltip()?.getElement()
        if (label === undefined) continue
        const bounds = polygon.getBounds()
        const width = map.latLngToContainerPoint(bounds.getNorthEast()).x -
          map.latLngToContainerPoint(bounds.getSouthWest()).x
        label.classList.remove("compact", "crowded")
        if (id === chosen || label.offsetWidth <= width) continue
        label.classList.add("compact")
        if (label.offsetWidth > width * 1.6) label.classList.add("crowded")
      }
    }
    map.on("zoomend", declutter)
    const highlight = (selected: string | undefined) => {
      chosen = selected
      for (const [id, polygon] of drawn) {
        const on = id === selected
        polygon.getElement()?.classList.toggle("selected", on)
        polygon.getTooltip()?.getElement()?.classList.toggle("selected", on)
        if (on) polygon.bringToFront()
      }
      declutter()
    }

    // The last view framed by the component, kept on resize until the user moves the map themselves.
    let framedBounds: L.LatLngBounds | undefined
    let framing = false
    const frame = (bounds: L.LatLngBounds) => {
      if (!bounds.isValid()) return
      framedBounds = bounds
      framing = true
      const size = map.getSize()
      // jsdom and hidden containers have no size: centre the view instead of fitting it.
      if (size.x === 0 || size.y === 0) map.setView(bounds.getCenter(), 14, { animate: false })
      else map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17, animate: false })
      framing = false
    }
    // Whether the user moved the map themselves (a start extent known late then leaves it where it is).
    let moved = false
    map.on("movestart zoomstart", () => {
      if (!framing) {
        framedBounds = undefined
        moved = true
      }
    })

    createEffect(() => {
      areaLayers.clearLayers()
      drawn.clear()
      const bounds = L.latLngBounds([])
      for (const area of props.areas) {
        // While drawing, the quartiers are only a reference: a tap on them adds a point too.
        const drawing = untrack(() => props.draft !== undefined)
        const polygon = L.polygon(area.perimeter.coordinates.map(latLngs), {
          className: "quartier",
          interactive: !drawing,
          bubblingMouseEvents: false
        })
        polygon.bindTooltip(labelOf(area), {
          permanent: true,
          direction: "center",
          className: "quartier-label",
          interactive: false
        })
        polygon.on("click", () => props.onSelect?.(area.id))
        polygon.addTo(areaLayers)
        drawn.set(area.id, polygon)
        bounds.extend(polygon.getBounds())
      }
      areasBounds = bounds
      highlight(untrack(() => props.selected))
      // Frame the quartiers when they change, not at every point drawn.
      const key = props.areas.map((a) => a.id).join(",")
      if (key !== framed) {
        framed = key
        if (bounds.isValid()) frame(bounds)
      }
    })

    createEffect(() => highlight(props.selected))

    // Nothing of its own to show yet: start on the nearby extent (once known), unless the user moved.
    let started = false
    createEffect(() => {
      const start = props.start
      if (start === undefined || started || props.areas.length > 0 || (untrack(() => props.draft)?.length ?? 0) > 0) {
        return
      }
      started = true
      if (!moved) frame(L.latLngBounds([start.south, start.west], [start.north, start.east]))
    })

    // Points typed in (or a perimeter loaded to be redrawn, or a resized map) out of view: bring them in,
    // with the quartiers.
    const draftInView = (ring: ReadonlyArray<L.LatLngTuple>) => {
      if (ring.length === 0) return
      const drawnBounds = L.latLngBounds([...ring])
      const size = map.getSize()
      if (size.x === 0 || size.y === 0 || !map.getBounds().contains(drawnBounds)) {
        frame(areasBounds.isValid() ? L.latLngBounds([]).extend(areasBounds).extend(drawnBounds) : drawnBounds)
      }
    }

    const draftLayers = L.layerGroup().addTo(map)
    createEffect(() => {
      draftLayers.clearLayers()
      const points = props.draft
      if (points === undefined || points.length === 0) return
      const ring = latLngs(points)
      if (ring.length >= 3) L.polygon(ring, { className: "draft", interactive: false }).addTo(draftLayers)
      else L.polyline(ring, { className: "draft", interactive: false }).addTo(draftLayers)
      ring.forEach((p) =>
        L.circleMarker(p, { radius: 6, className: "draft-point", interactive: false }).addTo(draftLayers)
      )
      draftInView(ring)
    })

    // A point drawn near a neighbour's corner takes that corner exactly.
    const snapped = (at: L.LatLng): Position =>
      snapToCorner(
        roundPosition([at.lng, at.lat]),
        props.areas.flatMap((a) => a.perimeter.coordinates.flat()),
        (p) => {
          const { x, y } = map.latLngToContainerPoint([p[1], p[0]])
          return [x, y]
        }
      )
    map.on("click", (event: L.LeafletMouseEvent) => props.onMapClick?.(snapped(event.latlng)))

    props.ref?.({ centre: () => snapped(map.getCenter()) })

    // The container's size is known only once laid out (and changes with the phone's orientation).
    const observer = typeof ResizeObserver === "undefined" ? undefined : new ResizeObserver(() => {
      map.invalidateSize({ pan: false })
      if (framedBounds !== undefined) frame(framedBounds)
      draftInView(latLngs(untrack(() => props.draft) ?? []))
      declutter()
    })
    observer?.observe(element)

    onCleanup(() => {
      observer?.disconnect()
      map.remove()
    })
  })

  return (
    <div class="quartier-map-frame" classList={{ drawing: props.draft !== undefined }}>
      <div ref={(el) => (container = el)} class="quartier-map" role="img" aria-label={props.label} />
      <Show when={props.draft !== undefined}>
        <div class="crosshair" aria-hidden="true" />
      </Show>
      <Show when={tilesFailed()}>
        <p class="small map-note">Le fond de carte ne s'affiche pas : les quartiers sont dessinés sans les rues.</p>
      </Show>
    </div>
  )
}
