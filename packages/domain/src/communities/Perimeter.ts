import type { Polygon, Position } from "./GeoJson.js"

const insideRing = (point: Position, ring: ReadonlyArray<Position>): boolean => {
  const [x, y] = point
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/**
 * Whether a point lies inside a community's perimeter: inside the outer ring and outside every hole
 * (even-odd ray casting, good for quartier-sized polygons where the earth is flat enough).
 */
export const containsPoint = (polygon: Polygon, point: Position): boolean => {
  const [outer, ...holes] = polygon.coordinates
  return insideRing(point, outer) && !holes.some((hole) => insideRing(point, hole))
}

/** The centre of the outer ring's bounding box, for placing a label or a map view. */
export const boundingBox = (polygon: Polygon) => {
  const ring = polygon.coordinates[0]
  const xs = ring.map((p) => p[0])
  const ys = ring.map((p) => p[1])
  return { west: Math.min(...xs), south: Math.min(...ys), east: Math.max(...xs), north: Math.max(...ys) }
}
