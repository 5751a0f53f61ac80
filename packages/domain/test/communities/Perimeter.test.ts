import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { Polygon, Position } from "../../src/communities/GeoJson.js"
import { boundingBox, containsPoint } from "../../src/communities/Perimeter.js"

const polygon = (...rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Polygon => ({
  type: "Polygon",
  coordinates: rings.map((r) => [...r, r[0]!]) as unknown as Polygon["coordinates"]
})
const rectangle = (w: number, s: number, e: number, n: number) => polygon([[w, s], [e, s], [e, n], [w, n]])

// A square block of Bordeaux, about 1 km a side.
const square = rectangle(-0.59, 44.83, -0.576, 44.84)
// A U-shaped quartier: the notch (x 2..4, y 2..6) is outside.
const u = polygon([[0, 0], [6, 0], [6, 6], [4, 6], [4, 2], [2, 2], [2, 6], [0, 6]])
// A square with a park in the middle that is not part of it.
const withHole = polygon([[0, 0], [10, 0], [10, 10], [0, 10]], [[4, 4], [6, 4], [6, 6], [4, 6]])

describe("containsPoint", () => {
  it.each(
    [
      ["square, centre", square, [-0.583, 44.835], true],
      ["square, east of it", square, [-0.57, 44.835], false],
      ["square, north of it", square, [-0.583, 44.85], false],
      ["U, left arm", u, [1, 5], true],
      ["U, right arm", u, [5, 5], true],
      ["U, base", u, [3, 1], true],
      ["U, inside the notch", u, [3, 4], false],
      ["U, inside its bounding box but in the notch", u, [3, 5.9], false],
      ["U, outside", u, [7, 3], false],
      ["hole: in the ring", withHole, [2, 2], true],
      ["hole: in the hole", withHole, [5, 5], false],
      ["hole: between hole and edge", withHole, [5, 8], true],
      ["hole: outside everything", withHole, [11, 5], false]
    ] as const
  )("%s → %s", (_, poly, point, expected) => {
    expect(containsPoint(poly, point as Position)).toBe(expected)
  })

  const coord = fc.double({ min: -10, max: 10, noNaN: true })
  it.prop(
    "a point is in a rectangle iff strictly within its bounds (off the edges)",
    [coord, coord, coord, coord, coord, coord],
    ([a, b, c, d, x, y]) => {
      const [w, e] = [Math.min(a, c), Math.max(a, c)]
      const [s, n] = [Math.min(b, d), Math.max(b, d)]
      fc.pre(w < e && s < n && x !== w && x !== e && y !== s && y !== n)
      expect(containsPoint(rectangle(w, s, e, n), [x, y])).toBe(w < x && x < e && s < y && y < n)
    },
    { fastCheck: { numRuns: 500 } }
  )

  it.prop(
    "a point on the edge shared by two adjacent rectangles belongs to exactly one of them",
    [fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }),
      fc.double({ min: 0.01, max: 0.99, noNaN: true })],
    ([x0, width, height, t]) => {
      const left = rectangle(x0, 0, x0 + width, height)
      const right = rectangle(x0 + width, 0, x0 + 2 * width, height)
      const onEdge: Position = [x0 + width, t * height]
      expect(Number(containsPoint(left, onEdge)) + Number(containsPoint(right, onEdge))).toBe(1)
    }
  )
})

describe("boundingBox", () => {
  it("of the outer ring, holes ignored", () => {
    expect(boundingBox(u)).toEqual({ west: 0, south: 0, east: 6, north: 6 })
    expect(boundingBox(withHole)).toEqual({ west: 0, south: 0, east: 10, north: 10 })
    expect(boundingBox(square)).toEqual({ west: -0.59, south: 44.83, east: -0.576, north: 44.84 })
  })
})
