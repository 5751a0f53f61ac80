import { Option } from "effect"
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

type Ring = ReadonlyArray<Position>

const orient = (p: Position, q: Position, r: Position) =>
  Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

/** Whether `r`, collinear with p and q, lies between them (ends included). */
const within = (p: Position, q: Position, r: Position) =>
  Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) &&
  Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1])

/** Whether r lies on the closed segment pq. */
const onSegment = (p: Position, q: Position, r: Position) => orient(p, q, r) === 0 && within(p, q, r)

/** Whether the open segments ab and cd cross at one point inside both (not at an end, not along). */
const properlyCross = (a: Position, b: Position, c: Position, d: Position) =>
  orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0

const edgesOf = (ring: Ring): ReadonlyArray<readonly [Position, Position]> =>
  ring.slice(0, -1).map((p, i) => [p, ring[i + 1]!] as const).filter(([p, q]) => p[0] !== q[0] || p[1] !== q[1])

const signedArea = (ring: Ring) => {
  let twice = 0
  for (let i = 0; i < ring.length - 1; i++) twice += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1]
  return twice
}

/** Whether a point lies on the ring's boundary (on one of its edges). */
const onBoundary = (ring: Ring, point: Position) => edgesOf(ring).some(([p, q]) => onSegment(p, q, point))

/**
 * Whether some piece of ring a's boundary lies in ring b's interior, or runs along b's boundary with
 * both interiors on the same side. Each edge of a is cut at every vertex of b lying on it: with no
 * proper crossing (checked first), each piece then lies wholly inside b, wholly outside, or along an
 * edge of b.
 */
const boundaryInside = (a: Ring, b: Ring): boolean => {
  const aCcw = signedArea(a) > 0
  const bCcw = signedArea(b) > 0
  const bEdges = edgesOf(b)
  for (const [p, q] of edgesOf(a)) {
    const dx = q[0] - p[0]
    const dy = q[1] - p[1]
    const cuts = [p, q, ...b.filter((v) => onSegment(p, q, v))]
      .map((v) => ({ v, t: Math.abs(dx) >= Math.abs(dy) ? (v[0] - p[0]) / dx : (v[1] - p[1]) / dy }))
      .sort((x, y) => x.t - y.t)
    for (let i = 0; i < cuts.length - 1; i++) {
      const s = cuts[i]!.v
      const e = cuts[i + 1]!.v
      if (s[0] === e[0] && s[1] === e[1]) continue
      const along = bEdges.find(([c, d]) => onSegment(c, d, s) && onSegment(c, d, e))
      if (along !== undefined) {
        // Same direction as b's edge? Interiors are on the left of a counter-clockwise ring's edges.
        const sameDirection = (along[1][0] - along[0][0]) * dx + (along[1][1] - along[0][1]) * dy > 0
        if ((aCcw === bCcw) === sameDirection) return true
        continue
      }
      const middle: Position = [(s[0] + e[0]) / 2, (s[1] + e[1]) / 2]
      if (insideRing(middle, b) && !onBoundary(b, middle)) return true
    }
  }
  return false
}

/**
 * Whether two perimeters share area: their interiors meet (edges that cross, one inside the other,
 * the same polygon drawn twice). Perimeters that only touch, along an edge or at a corner, do NOT
 * overlap: two neighbouring quartiers may share a street as their border. Only the outer rings count:
 * a perimeter drawn inside another's hole overlaps it (the map draws no holes). Both perimeters are
 * meant to be valid (`perimeterProblem` finds nothing).
 */
export const perimetersOverlap = (a: Polygon, b: Polygon): boolean => {
  const ra = a.coordinates[0]
  const rb = b.coordinates[0]
  const boxA = boundingBox(a)
  const boxB = boundingBox(b)
  if (boxA.east <= boxB.west || boxB.east <= boxA.west || boxA.north <= boxB.south || boxB.north <= boxA.south) {
    return false
  }
  const ea = edgesOf(ra)
  const eb = edgesOf(rb)
  if (ea.some(([p, q]) => eb.some(([c, d]) => properlyCross(p, q, c, d)))) return true
  return boundaryInside(ra, rb) || boundaryInside(rb, ra)
}

/**
 * The members whose home lies outside `perimeter`, in their order: a home on the boundary is inside,
 * and a member whose home has no known location is never listed (nothing says it is outside).
 */
export const membersOutside = <M extends { readonly location: Option.Option<Position> }>(
  perimeter: Polygon,
  members: ReadonlyArray<M>
): ReadonlyArray<M> =>
  members.filter((m) =>
    Option.match(m.location, {
      onNone: () => false,
      onSome: (point) => !onBoundary(perimeter.coordinates[0], point) && !containsPoint(perimeter, point)
    })
  )
