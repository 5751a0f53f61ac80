import { Polygon } from "@vigie/domain/communities/GeoJson"
import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  closeRing,
  formatPoints,
  parsePoints,
  pointsOf,
  pointsStatus,
  roundPosition,
  snapToCorner
} from "../../src/components/Perimeter.js"

const position = fc.tuple(
  fc.integer({ min: -180e6, max: 180e6 }).map((n) => n / 1e6),
  fc.integer({ min: -90e6, max: 90e6 }).map((n) => n / 1e6)
)

describe("the points of a drawn perimeter", () => {
  it("reads back what it writes, one \"longitude, latitude\" a line", () => {
    fc.assert(fc.property(fc.array(position, { maxLength: 30 }), (points) => {
      // A last point equal to the first would be read as a closed ring and dropped.
      fc.pre(points.length < 2 || String(points[0]) !== String(points[points.length - 1]))
      expect(parsePoints(formatPoints(points))).toEqual({ ok: true, points })
    }))
  })

  it("accepts semicolons or spaces between the numbers, French decimal commas then, and skips blank lines", () => {
    expect(parsePoints("-0,5321; 44,7712\n\n  -0.53 44.78  \n-0.52, 44.77\n")).toEqual({
      ok: true,
      points: [[-0.5321, 44.7712], [-0.53, 44.78], [-0.52, 44.77]]
    })
  })

  it("drops a last point equal to the first: the ring is closed anyway", () => {
    expect(parsePoints("1, 2\n3, 4\n5, 6\n1, 2")).toEqual({ ok: true, points: [[1, 2], [3, 4], [5, 6]] })
  })

  it("names every bad line in French, with its number", () => {
    const parsed = parsePoints("-0.53, 44.77\nla mairie\n200, 44\n-0.5, 95\n1, 2, 3")
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { line: 2,
          message:
            "Ligne 2 : « la mairie » n'est pas un point « longitude, latitude » (par exemple -0.5321, 44.7712)." },
        { line: 3, message: "Ligne 3 : la longitude doit être comprise entre -180 et 180." },
        { line: 4, message: "Ligne 4 : la latitude doit être comprise entre -90 et 90." },
        { line: 5,
          message: "Ligne 5 : « 1, 2, 3 » n'est pas un point « longitude, latitude » (par exemple -0.5321, 44.7712)." }
      ]
    })
  })

  it("closes three points or more into a GeoJSON Polygon the domain accepts, and gives the points back", () => {
    fc.assert(fc.property(fc.array(position, { minLength: 3, maxLength: 30 }), (points) => {
      const polygon = closeRing(points)!
      expect(Schema.is(Polygon)(polygon)).toBe(true)
      const ring = polygon.coordinates[0]
      expect(ring[0]).toEqual(ring[ring.length - 1])
      expect(pointsOf(polygon)).toEqual(points)
    }))
    expect(closeRing([[1, 2], [3, 4]])).toBeUndefined()
  })

  it("rounds points to six decimals and tells how many there are", () => {
    expect(roundPosition([-0.123456789, 44.987654321])).toEqual([-0.123457, 44.987654])
    expect(pointsStatus(0)).toBe("Aucun point : ajoutez au moins 3 points pour tracer le périmètre.")
    expect(pointsStatus(1)).toBe("1 point — encore 2 points au minimum")
    expect(pointsStatus(2)).toBe("2 points — encore 1 point au minimum")
    expect(pointsStatus(3)).toBe("3 points — le périmètre est fermé automatiquement")
  })

  it("snaps a point to a neighbour's corner within the tolerance on screen, to the nearest one", () => {
    // One degree = 100 pixels.
    const toScreen = (p: readonly [number, number]) => [p[0] * 100, p[1] * 100] as const
    const corners: Array<[number, number]> = [[1, 1], [1.1, 1], [2, 2]]
    expect(snapToCorner([1.05, 1.03], corners, toScreen)).toEqual([1, 1])
    expect(snapToCorner([1.08, 1.01], corners, toScreen)).toEqual([1.1, 1])
    expect(snapToCorner([1.5, 1.5], corners, toScreen)).toEqual([1.5, 1.5])
  })
})
