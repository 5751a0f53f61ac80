import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import { perimeterProblem } from "../../src/communities/Communities.js"
import type { Polygon, Position } from "../../src/communities/GeoJson.js"
import { containsPoint, membersOutside, perimetersOverlap } from "../../src/communities/Perimeter.js"

const polygon = (ring: ReadonlyArray<readonly [number, number]>): Polygon => ({
  type: "Polygon",
  coordinates: [[...ring, ring[0]!]] as unknown as Polygon["coordinates"]
})
const rectangle = (w: number, s: number, e: number, n: number) => polygon([[w, s], [e, s], [e, n], [w, n]])
const reversed = (p: Polygon): Polygon => ({
  type: "Polygon",
  coordinates: [[...p.coordinates[0]].reverse()] as unknown as Polygon["coordinates"]
})
const moved = (p: Polygon, dx: number, dy: number): Polygon => ({
  type: "Polygon",
  coordinates: [p.coordinates[0].map(([x, y]) => [x + dx, y + dy])] as unknown as Polygon["coordinates"]
})

// Integer grid coordinates keep every orientation test exact.
const small = fc.integer({ min: -8, max: 8 })
const rect = fc.tuple(small, small, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .map(([w, s, width, height]) => ({ w, s, e: w + width, n: s + height }))
/** Valid simple perimeters (what perimeterProblem accepts), 3 to 7 corners on a small grid. */
const perimeter = fc.array(fc.tuple(small, small), { minLength: 3, maxLength: 7 })
  .map((ps) => polygon(ps))
  .filter((p) =>
    perimeterProblem(p) === undefined && new Set(p.coordinates[0].map(String)).size === p.coordinates[0].length - 1
  )

const U = polygon([[0, 0], [6, 0], [6, 6], [4, 6], [4, 2], [2, 2], [2, 6], [0, 6]])

describe("perimetersOverlap", () => {
  it.each(
    [
      ["crossing squares", rectangle(0, 0, 2, 2), rectangle(1, 1, 3, 3), true],
      ["one inside the other, no contact", rectangle(0, 0, 10, 10), rectangle(2, 2, 3, 3), true],
      ["one inside the other, sharing a side", rectangle(0, 0, 10, 10), rectangle(0, 0, 3, 3), true],
      ["identical", rectangle(0, 0, 2, 2), rectangle(0, 0, 2, 2), true],
      ["identical, drawn the other way round", rectangle(0, 0, 2, 2), reversed(rectangle(0, 0, 2, 2)), true],
      ["a triangle half of the square", rectangle(0, 0, 2, 2), polygon([[0, 0], [2, 0], [2, 2]]), true],
      ["sharing a whole side (touching)", rectangle(0, 0, 2, 2), rectangle(2, 0, 4, 2), false],
      ["sharing part of a side (touching)", rectangle(0, 0, 2, 2), rectangle(2, 1, 4, 5), false],
      ["touching at a corner", rectangle(0, 0, 2, 2), rectangle(2, 2, 4, 4), false],
      ["a corner on the other's side", rectangle(0, 0, 2, 2), polygon([[2, 1], [4, 0], [4, 2]]), false],
      ["apart", rectangle(0, 0, 2, 2), rectangle(5, 5, 6, 6), false],
      ["in the notch of a U, touching its three sides", U, rectangle(2, 2, 4, 6), false],
      ["in the notch of a U and into its base", U, rectangle(2, 1, 4, 6), true],
      ["the two halves of a square cut on its diagonal", polygon([[0, 0], [2, 0], [2, 2]]),
        polygon([[0, 0], [2, 2], [0, 2]]), false]
    ] as const
  )("%s → %s", (_, a, b, expected) => {
    expect(perimetersOverlap(a, b)).toBe(expected)
    expect(perimetersOverlap(b, a)).toBe(expected)
  })

  it.prop(
    "two rectangles overlap iff their spans overlap with some length on both axes (touching is not overlap)",
    [rect, rect],
    ([a, b]) => {
      const expected = Math.max(a.w, b.w) < Math.min(a.e, b.e) && Math.max(a.s, b.s) < Math.min(a.n, b.n)
      expect(perimetersOverlap(rectangle(a.w, a.s, a.e, a.n), rectangle(b.w, b.s, b.e, b.n))).toBe(expected)
    },
    { fastCheck: { numRuns: 1000 } }
  )

  it.prop("symmetric, and blind to the direction a ring is drawn in", [perimeter, perimeter], ([a, b]) => {
    const overlap = perimetersOverlap(a, b)
    expect(perimetersOverlap(b, a)).toBe(overlap)
    expect(perimetersOverlap(reversed(a), b)).toBe(overlap)
    expect(perimetersOverlap(a, reversed(b))).toBe(overlap)
  }, { fastCheck: { numRuns: 500 } })

  it.prop("a valid perimeter overlaps itself and any shift of less than its size", [perimeter,
    fc.constantFrom(-1, 0, 1), fc.constantFrom(-1, 0, 1)], ([p, dx, dy]) => {
    expect(perimetersOverlap(p, p)).toBe(true)
    // A shift by a fraction of the grid step keeps most of the area shared.
    expect(perimetersOverlap(p, moved(p, dx / 64, dy / 64))).toBe(true)
  }, { fastCheck: { numRuns: 300 } })

  it.prop("a perimeter moved beyond its bounding box no longer overlaps it", [perimeter], ([p]) => {
    expect(perimetersOverlap(p, moved(p, 20, 0))).toBe(false)
    expect(perimetersOverlap(p, moved(p, 0, -20))).toBe(false)
  })

  it.prop(
    "a corner of one strictly inside the other means they overlap",
    [perimeter, perimeter],
    ([a, b]) => {
      const onEdge = (p: Polygon, point: Position) => {
        const ring = p.coordinates[0]
        return ring.slice(0, -1).some((s, i) => {
          const e = ring[i + 1]!
          const cross = (e[0] - s[0]) * (point[1] - s[1]) - (e[1] - s[1]) * (point[0] - s[0])
          return cross === 0 && Math.min(s[0], e[0]) <= point[0] && point[0] <= Math.max(s[0], e[0]) &&
            Math.min(s[1], e[1]) <= point[1] && point[1] <= Math.max(s[1], e[1])
        })
      }
      const strictlyIn = a.coordinates[0].some((v) => containsPoint(b, v) && !onEdge(b, v))
      fc.pre(strictlyIn)
      expect(perimetersOverlap(a, b)).toBe(true)
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "the two parts of a rectangle cut by a broken line touch and never overlap, and each overlaps the whole",
    [rect, fc.integer({ min: 0, max: 100 })],
    ([r, k]) => {
      fc.pre(r.e - r.w >= 2)
      // Cut from the bottom to the top at x = cut, with one bend at mid-height.
      const cut = r.w + 1 + (k % (r.e - r.w - 1))
      const bend = r.w + 1 + ((k * 7) % (r.e - r.w - 1))
      const mid = (r.s + r.n) / 2
      const left = polygon([[r.w, r.s], [cut, r.s], [bend, mid], [cut, r.n], [r.w, r.n]])
      const right = polygon([[cut, r.s], [r.e, r.s], [r.e, r.n], [cut, r.n], [bend, mid]])
      const whole = rectangle(r.w, r.s, r.e, r.n)
      expect(perimetersOverlap(left, right)).toBe(false)
      expect(perimetersOverlap(left, whole)).toBe(true)
      expect(perimetersOverlap(right, whole)).toBe(true)
    }
  )
})

describe("membersOutside", () => {
  const at = (x: number, y: number) => Option.some([x, y] as Position)
  const member = fc.record({
    id: fc.uuid(),
    location: fc.option(fc.tuple(small, small).map(([x, y]) => [x, y] as Position), { nil: undefined })
      .map(Option.fromNullable)
  })

  it("lists the homes outside, keeps those inside or on the boundary and those with no known location", () => {
    const members = [
      { id: "in", location: at(1, 1) },
      { id: "out", location: at(5, 1) },
      { id: "edge", location: at(2, 1) },
      { id: "corner", location: at(2, 2) },
      { id: "unknown", location: Option.none() },
      { id: "notch", location: at(3, 4) }
    ]
    expect(membersOutside(rectangle(0, 0, 2, 2), members).map((m) => m.id)).toEqual(["out", "notch"])
    expect(membersOutside(U, members).map((m) => m.id)).toEqual(["notch"])
  })

  it.prop(
    "in a rectangle: outside iff the home is beyond its bounds, in the members' order",
    [rect, fc.array(member, { maxLength: 30 })],
    ([r, members]) => {
      const expected = members.filter((m) =>
        Option.match(m.location, {
          onNone: () => false,
          onSome: ([x, y]) => x < r.w || x > r.e || y < r.s || y > r.n
        })
      )
      expect(membersOutside(rectangle(r.w, r.s, r.e, r.n), members)).toEqual(expected)
    }
  )

  it.prop(
    "a larger perimeter leaves out no one a smaller one inside it keeps",
    [perimeter, fc.array(member, { maxLength: 30 }), fc.integer({ min: 1, max: 3 })],
    ([p, members, grow]) => {
      const ring = p.coordinates[0]
      const xs = ring.map((v) => v[0])
      const ys = ring.map((v) => v[1])
      const around = rectangle(
        Math.min(...xs) - grow,
        Math.min(...ys) - grow,
        Math.max(...xs) + grow,
        Math.max(...ys) + grow
      )
      const outsideBig = new Set(membersOutside(around, members).map((m) => m.id))
      const outsideSmall = new Set(membersOutside(p, members).map((m) => m.id))
      for (const id of outsideBig) expect(outsideSmall.has(id)).toBe(true)
    }
  )
})
