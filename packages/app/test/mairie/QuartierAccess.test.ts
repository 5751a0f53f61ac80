import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { PasswordHasher } from "@vigie/domain/accounts/PasswordHasher"
import { InseeCode } from "@vigie/domain/communities/Commune"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { Email } from "@vigie/domain/shared/Text"
import { Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { enrolStaff, logInWithSecondStep } from "../support/StaffSignIn.js"
import { platform } from "../support/TestPlatform.js"
import { makeWorld, PASSWORD } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

const box = (w: number, s: number, e: number, n: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]]
})

/**
 * The authorization matrix's actors hold no admin (its rows are checked for every actor kind): here a
 * platform admin, signed in with its second factor, calls every quartier RPC through the RPC server
 * on a commune where it holds no other role, and gets data from each.
 */
for (const db of databases) {
  describe(`quartier RPCs as a platform admin [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("admin", (it) => {
      it.scoped("an admin may call every quartier RPC", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`qa-${db.name}`)
          const email = Schema.decodeSync(Email)(`admin.qa.${db.name}@example.org`)
          const admin = yield* (yield* AccountRepo).insert({
            firstName: "Adèle",
            lastName: "Admin",
            email: Option.some(email),
            phone: Option.none(),
            phoneVerified: false,
            passwordHash: Option.some(yield* (yield* PasswordHasher).hash(Redacted.make(PASSWORD))),
            staffRoles: [{ _tag: "Admin" }]
          }).pipe(Effect.orDie)
          const recovery = (yield* enrolStaff(admin))[0]
          const login = yield* logInWithSecondStep(email, PASSWORD, recovery).pipe(Effect.orDie)
          const client = yield* RpcTest.makeClient(VigieRpcs, { flatten: false })
          const asAdmin = <A, E, R>(call: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(call, { cookie: `vigie_session=${Redacted.value(login.token)}` })

          const created = yield* asAdmin(client.CreateCommunity({
            insee: world.communityA.insee,
            name: "Quartier de l'admin",
            perimeter: box(-0.5, 44.74, -0.49, 44.75)
          }))
          const listed = yield* asAdmin(client.ListManagedCommunities({ insee: world.communityA.insee }))
          expect(listed.map((l) => l.community.id)).toContain(created.id)
          const renamed = yield* asAdmin(client.RenameCommunity({ communityId: created.id, name: "Quartier renommé" }))
          expect(renamed.name).toBe("Quartier renommé")
          const preview = yield* asAdmin(
            client.PreviewRedraw({ communityId: created.id, perimeter: box(-0.5, 44.74, -0.48, 44.75) })
          )
          expect(preview.outside).toStrictEqual([])
          const redrawn = yield* asAdmin(client.RedrawCommunity({
            communityId: created.id,
            perimeter: box(-0.5, 44.74, -0.48, 44.75),
            acknowledged: []
          }))
          expect(redrawn.perimeter).toStrictEqual(box(-0.5, 44.74, -0.48, 44.75))
          const members = yield* asAdmin(client.ListCommunityMembers({ communityId: world.communityA.id }))
          const verified = members.find((m) => m.verified && m.role === "resident")!
          yield* asAdmin(
            client.AppointReferent({ communityId: world.communityA.id, membershipId: verified.membershipId })
          )
          yield* asAdmin(
            client.RemoveReferent({ communityId: world.communityA.id, membershipId: verified.membershipId })
          )
          yield* asAdmin(client.ArchiveCommunity({ communityId: created.id }))
          const after = yield* asAdmin(client.ListManagedCommunities({ insee: world.communityA.insee }))
          expect(after.map((l) => l.community.id)).not.toContain(created.id)

          // The commune's name; a commune without quartier starts on its département's quartiers.
          const own = yield* asAdmin(client.GetManagedCommune({ insee: world.communityA.insee }))
          expect(own).toStrictEqual({ insee: world.communityA.insee, name: "Cadaujac", startExtent: Option.none() })
          const villenave = yield* asAdmin(client.GetManagedCommune({ insee: InseeCode.make("33550") }))
          expect(villenave.name).toBe("Villenave-d'Ornon")
          const extent = Option.getOrThrow(villenave.startExtent)
          for (const [lon, lat] of world.communityA.perimeter.coordinates[0]) {
            expect(lon).toBeGreaterThanOrEqual(extent.west)
            expect(lon).toBeLessThanOrEqual(extent.east)
            expect(lat).toBeGreaterThanOrEqual(extent.south)
            expect(lat).toBeLessThanOrEqual(extent.north)
          }
          // Brest (Finistère): no quartier in the département, all of France.
          const brest = yield* asAdmin(client.GetManagedCommune({ insee: InseeCode.make("29019") }))
          expect(brest).toStrictEqual({ insee: "29019", name: "Brest", startExtent: Option.none() })
          const unknown = yield* asAdmin(client.GetManagedCommune({ insee: InseeCode.make("99999") })).pipe(Effect.flip)
          expect(unknown._tag).toBe("UnknownCommune")
        }), { timeout: 120_000 })
    })
  })
}
