import { assert } from "@effect/vitest"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { Effect, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { repositories, square } from "./Fixtures"

describeEachDatabase("PgCommunityRepo", (it) => {
  it.effect("inserts communities and lists them by commune", () =>
    Effect.gen(function*() {
      const communities = yield* CommunityRepo
      const insee = "2A004" as InseeCode
      const b = yield* communities.insert({ insee, name: "Les Sanguinaires", perimeter: square })
      const a = yield* communities.insert({ insee, name: "Le Cours", perimeter: square })
      yield* communities.insert({ insee: "33063" as InseeCode, name: "Chartrons", perimeter: square })
      assert.strictEqual(a.status, "active")
      assert.deepStrictEqual(a.perimeter, square)
      assert.deepStrictEqual(yield* communities.findById(b.id), Option.some(b))
      assert.deepStrictEqual(yield* communities.listByCommune(insee), [a, b])
      assert.deepStrictEqual(yield* communities.findById(crypto.randomUUID() as CommunityId), Option.none())
    }).pipe(Effect.provide(repositories)))
})
