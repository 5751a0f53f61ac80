import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import { Gazette } from "@vigie/domain/gazette/Gazette"
import { DateTime, Duration, Effect, Layer } from "effect"
import * as Server from "../../src/http/Server.js"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

for (const db of databases) {
  describe(`a member's Gazette posts and their personal data [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("export and erasure", (it) => {
      it.scoped("are in the member's export, and leave with an erased account: nobody reads them any more", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-gdpr-${db.name}`)
          const gazette = yield* Gazette
          const data = yield* PersonalDataRepo
          const author = actorOf(world.accounts.memberA)
          const published = yield* gazette.publish(author, {
            communityId: world.communityA.id,
            title: "Poussette à donner",
            body: "Bon état, à prendre devant le 12 rue du Port.",
            photos: [],
            details: { _tag: "annonce", offer: "donne" }
          })
          expect(published.post.status).toBe("published")
          const postId = published.post.id
          // A neighbour reads it.
          expect((yield* gazette.get(actorOf(world.accounts.referentA), postId)).title).toBe("Poussette à donner")

          const files = yield* data.collect(world.accounts.memberA.id, new Uint8Array(32))
          const mine = files.find((f) => f.name === "gazette-publications.json")!.content as ReadonlyArray<
            Record<string, unknown>
          >
          expect(mine.map((p) => [p["title"], p["kind"], p["status"]])).toContainEqual([
            "Poussette à donner",
            "annonce",
            "published"
          ])

          yield* data.erase(world.accounts.memberA.id, yield* DateTime.now)
          const after = yield* Effect.flip(gazette.get(actorOf(world.accounts.referentA), postId))
          expect(after._tag).toBe("GazettePostNotFound")
          const sql = yield* SqlClient.SqlClient
          expect(yield* sql`SELECT title, body, status FROM gazette_posts WHERE id = ${postId}`).toEqual([
            { title: "Publication retirée", body: "—", status: "withdrawn" }
          ])
        }))
    })
  })
}
