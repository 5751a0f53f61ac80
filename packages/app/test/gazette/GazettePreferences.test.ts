import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { defaultGazetteChoices, type GazetteChoices } from "@vigie/domain/gazette/GazettePreferences"
import { SqlClient } from "@effect/sql"
import { Duration, Effect, Layer } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

const quiet: GazetteChoices = {
  communication: "immediate",
  perdu_trouve: "weekly",
  entraide: "none",
  annonce: "none",
  covoiturage: "none",
  evenement: "weekly",
  vie_du_quartier: "none",
  compte_rendu: "none"
}

for (const db of databases) {
  describe(`Gazette notification preferences [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("through the RPCs", (it) => {
      it.scoped("each member starts from the defaults, changes only their own choices, and anonymous callers are refused", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-preferences-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const sql = yield* SqlClient.SqlClient
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })

          const before = yield* as("memberA", client.GetGazettePreferences({}))
          expect(before.choices).toEqual(defaultGazetteChoices)
          expect(before.mairieSms).toBe(false)

          const saved = yield* as("memberA", client.UpdateGazettePreferences({ choices: quiet, mairieSms: true }))
          expect(saved.choices).toEqual(quiet)
          expect(yield* as("memberA", client.GetGazettePreferences({}))).toMatchObject({ choices: quiet,
            mairieSms: true })
          // Stored one column per kind: what the digest planner reads set-based.
          const rows = yield* sql<{ entraide: string; mairie_sms: boolean }>`
            SELECT entraide, mairie_sms FROM gazette_preferences WHERE account_id = ${world.accounts.memberA.id}`
          expect(rows).toEqual([{ entraide: "none", mairie_sms: true }])

          // Another member is untouched.
          expect((yield* as("memberB", client.GetGazettePreferences({}))).choices).toEqual(defaultGazetteChoices)

          // Anonymous: refused.
          expect((yield* Effect.flip(client.GetGazettePreferences({})))._tag).toBe("Unauthenticated")
        }))
    })
  })
}
