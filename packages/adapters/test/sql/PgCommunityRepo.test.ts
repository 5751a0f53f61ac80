import { assert } from "@effect/vitest"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { SqlClient } from "@effect/sql"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { DateTime, Effect, Exit, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { email, repositories, square } from "./Fixtures"

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

  it.effect("renames, redraws and archives active communities only; records changes, never altered", () =>
    Effect.gen(function*() {
      const communities = yield* CommunityRepo
      const sql = yield* SqlClient.SqlClient
      const at = yield* DateTime.now
      const agent = yield* (yield* AccountRepo).insert({
        firstName: "Agnès",
        lastName: "Mairie",
        email: Option.some(email()),
        phone: Option.none(),
        phoneVerified: false,
        passwordHash: Option.none(),
        staffRoles: []
      })
      const insee = "33281" as InseeCode
      const c = yield* communities.insert({ insee, name: "Arlac", perimeter: square })
      const bigger: Polygon = { type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }
      const renamed = Option.getOrThrow(yield* communities.rename(c.id, "Arlac Nord", at))
      assert.strictEqual(renamed.name, "Arlac Nord")
      const redrawn = Option.getOrThrow(yield* communities.redraw(c.id, bigger, at))
      assert.deepStrictEqual(redrawn.perimeter, bigger)
      const changeId = yield* communities.recordChange({
        communityId: c.id,
        actorId: agent.id,
        at,
        change: { _tag: "Redrawn", before: square, after: bigger }
      })
      assert.isTrue(yield* communities.archive(c.id, at))
      assert.isFalse(yield* communities.archive(c.id, at))
      assert.isTrue(Option.isNone(yield* communities.rename(c.id, "Encore", at)))
      assert.isTrue(Option.isNone(yield* communities.redraw(c.id, square, at)))
      const stored = Option.getOrThrow(yield* communities.findById(c.id))
      assert.deepStrictEqual([stored.name, stored.status, stored.perimeter], ["Arlac Nord", "archived", bigger])
      const [row] = yield* sql<{ action: string; perimeter_before: unknown; perimeter_after: unknown }>`
        SELECT action, perimeter_before, perimeter_after FROM community_changes WHERE id = ${changeId}`
      assert.deepStrictEqual(row, { action: "redrawn", perimeter_before: square, perimeter_after: bigger })
      const altered = yield* Effect.exit(sql`UPDATE community_changes SET action = 'archived' WHERE id = ${changeId}`)
      assert.isTrue(Exit.isFailure(altered))
    }).pipe(Effect.provide(repositories)))
})
