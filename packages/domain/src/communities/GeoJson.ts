import { Schema } from "effect"

/** A [longitude, latitude] pair in WGS84, as GeoJSON orders it. */
export const Position = Schema.Tuple(
  Schema.Number.pipe(Schema.between(-180, 180)),
  Schema.Number.pipe(Schema.between(-90, 90))
)
export type Position = typeof Position.Type

/** A closed ring: at least four positions, the last equal to the first. */
export const LinearRing = Schema.Array(Position).pipe(
  Schema.minItems(4),
  Schema.maxItems(10_000),
  Schema.filter((ring) => {
    const first = ring[0]!
    const last = ring[ring.length - 1]!
    return (first[0] === last[0] && first[1] === last[1]) || "a ring must end where it starts"
  }, {
    // Random arrays are almost never closed: generate closed rings so the schema serves as an arbitrary.
    arbitrary: () => (fc) => {
      const degrees = (max: number) => fc.integer({ min: -max * 1e6, max: max * 1e6 }).map((n) => n / 1e6)
      return fc.array(fc.tuple(degrees(180), degrees(90)), { minLength: 3, maxLength: 12 }).map((ps) => [...ps, ps[0]!])
    }
  })
)

/** A GeoJSON Polygon: an outer ring and optional holes. */
export const Polygon = Schema.Struct({
  type: Schema.Literal("Polygon"),
  coordinates: Schema.NonEmptyArray(LinearRing).pipe(Schema.maxItems(100))
}).annotations({ identifier: "Polygon" })
export type Polygon = typeof Polygon.Type
