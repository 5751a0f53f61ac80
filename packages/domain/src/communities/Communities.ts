import { Context, Effect, Layer, Option } from "effect"
import type { InseeCode } from "./Commune.js"
import { CommuneDirectory } from "./CommuneDirectory.js"
import type { Community } from "./Community.js"
import { InvalidPerimeter, UnknownCommune } from "./CommunityErrors.js"
import { CommunityRepo, type NewCommunity } from "./CommunityRepo.js"
import type { Polygon, Position } from "./GeoJson.js"

const area = (ring: ReadonlyArray<Position>) => {
  let twice = 0
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!
    const [x2, y2] = ring[i + 1]!
    twice += x1 * y2 - x2 * y1
  }
  return Math.abs(twice) / 2
}

const segmentsCross = (a: Position, b: Position, c: Position, d: Position) => {
  const orient = (p: Position, q: Position, r: Position) =>
    Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))
  return orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0
}

/**
 * Why a perimeter cannot be a community's: an outer ring with no area (all points on a line), or
 * edges of the outer ring that cross each other (a bow tie), where "inside" means nothing.
 */
export const perimeterProblem = (perimeter: Polygon): InvalidPerimeter["reason"] | undefined => {
  const ring = perimeter.coordinates[0]
  const edges = ring.length - 1
  for (let i = 0; i < edges; i++) {
    for (let j = i + 2; j < edges; j++) {
      if (i === 0 && j === edges - 1) continue
      if (segmentsCross(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return "self_intersecting"
    }
  }
  return area(ring) === 0 ? "degenerate" : undefined
}

/** Creating and listing communities, checked against the official list of communes. */
export class Communities extends Context.Tag("@vigie/domain/Communities")<
  Communities,
  {
    /** Creates a community in a commune of the official list, with a perimeter that encloses something. */
    readonly create: (input: NewCommunity) => Effect.Effect<Community, UnknownCommune | InvalidPerimeter>
    readonly listByCommune: (insee: InseeCode) => Effect.Effect<ReadonlyArray<Community>, UnknownCommune>
  }
>() {}

export const make = Effect.gen(function*() {
  const directory = yield* CommuneDirectory
  const repo = yield* CommunityRepo
  const knownCommune = (insee: InseeCode) =>
    directory.findByInsee(insee).pipe(
      Effect.flatMap(Option.match({ onNone: () => Effect.fail(new UnknownCommune({ insee })), onSome: Effect.succeed }))
    )
  return Communities.of({
    create: (input) =>
      Effect.gen(function*() {
        yield* knownCommune(input.insee)
        const problem = perimeterProblem(input.perimeter)
        if (problem !== undefined) return yield* new InvalidPerimeter({ insee: input.insee, reason: problem })
        return yield* repo.insert(input)
      }),
    listByCommune: (insee) => Effect.zipRight(knownCommune(insee), repo.listByCommune(insee))
  })
})

export const layer = Layer.effect(Communities, make)
