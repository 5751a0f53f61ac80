import type { Polygon, Position } from "@vigie/domain/communities/GeoJson"

/** Coordinates are kept to 6 decimals (about 10 cm): enough for a street, short to read aloud. */
export const roundPosition = (p: Position): Position => [round6(p[0]), round6(p[1])]
const round6 = (n: number) => Math.round(n * 1e6) / 1e6

/** One "longitude, latitude" line per point, as the text field shows them. */
export const formatPoints = (points: ReadonlyArray<Position>): string =>
  points.map((p) => `${round6(p[0])}, ${round6(p[1])}`).join("\n")

/** A line of the text field that is not a point, in French, with its line number (from 1). */
export interface PointLineError {
  readonly line: number
  readonly message: string
}

export type ParsedPoints =
  | { readonly ok: true; readonly points: ReadonlyArray<Position> }
  | { readonly ok: false; readonly errors: ReadonlyArray<PointLineError> }

const NUMBER = /^[+-]?(\d+([.]\d*)?|[.]\d+)$/

/**
 * Splits a line into its two numbers: "-0.5321, 44.7712" (dot decimals, comma between), or with a
 * semicolon or spaces between, in which case decimal commas are accepted too ("-0,5321; 44,7712").
 */
const split = (line: string): ReadonlyArray<string> => {
  if (line.includes(";")) return line.split(";").map((s) => s.trim().replace(",", "."))
  const byComma = line.split(",").map((s) => s.trim())
  if (byComma.length === 2 && byComma.every((s) => NUMBER.test(s))) return byComma
  return line.split(/\s+/).map((s) => s.replace(/,$/, "").replace(",", "."))
}

/**
 * The points of the text field, one "longitude, latitude" a line (blank lines ignored); a last point
 * equal to the first (a closed ring pasted in) is dropped, the ring is closed anyway. Every bad line
 * is named at once.
 */
export const parsePoints = (text: string): ParsedPoints => {
  const points: Array<Position> = []
  const errors: Array<PointLineError> = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === "") return
    const n = index + 1
    const parts = split(line)
    if (parts.length !== 2 || !parts.every((s) => NUMBER.test(s))) {
      errors.push({
        line: n,
        message: `Ligne ${n} : « ${line} » n'est pas un point « longitude, latitude » (par exemple -0.5321, 44.7712).`
      })
      return
    }
    const lon = Number(parts[0]), lat = Number(parts[1])
    if (lon < -180 || lon > 180) {
      errors.push({ line: n, message: `Ligne ${n} : la longitude doit être comprise entre -180 et 180.` })
    } else if (lat < -90 || lat > 90) {
      errors.push({ line: n, message: `Ligne ${n} : la latitude doit être comprise entre -90 et 90.` })
    } else {
      points.push(roundPosition([lon, lat]))
    }
  })
  if (errors.length > 0) return { ok: false, errors }
  const first = points[0], last = points[points.length - 1]
  if (points.length > 1 && first![0] === last![0] && first![1] === last![1]) points.pop()
  return { ok: true, points }
}

/** The closed GeoJSON Polygon of at least three points (the first repeated at the end), else undefined. */
export const closeRing = (points: ReadonlyArray<Position>): Polygon | undefined => {
  if (points.length < 3) return undefined
  return { type: "Polygon", coordinates: [[...points, points[0]!]] }
}

/** The points a polygon was drawn with: its outer ring without the closing point. */
export const pointsOf = (polygon: Polygon): ReadonlyArray<Position> => {
  const ring = polygon.coordinates[0]
  return ring.length > 1 ? ring.slice(0, -1) : ring
}

/** What the aria-live line says about the points drawn so far. */
export const pointsStatus = (count: number): string => {
  if (count === 0) return "Aucun point : ajoutez au moins 3 points pour tracer le périmètre."
  if (count < 3) {
    const missing = 3 - count
    return `${count} point${count > 1 ? "s" : ""} — encore ${missing} point${missing > 1 ? "s" : ""} au minimum`
  }
  return `${count} points — le périmètre est fermé automatiquement`
}

/**
 * The corner of a neighbouring quartier within `tolerance` screen pixels of `point`, else `point`:
 * quartiers that share a street share its corners exactly, so they touch without overlapping.
 * `toScreen` projects a position to pixels (the map's current view).
 */
export const snapToCorner = (
  point: Position,
  corners: ReadonlyArray<Position>,
  toScreen: (p: Position) => readonly [number, number],
  tolerance = 14
): Position => {
  const [x, y] = toScreen(point)
  let best: Position = point
  let bestDistance = tolerance
  for (const corner of corners) {
    const [cx, cy] = toScreen(corner)
    const distance = Math.hypot(cx - x, cy - y)
    if (distance <= bestDistance) {
      best = corner
      bestDistance = distance
    }
  }
  return best
}
