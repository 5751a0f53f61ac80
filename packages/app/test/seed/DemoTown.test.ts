import * as PgGazetteRepo from "@vigie/adapters/sql/PgGazetteRepo"
import * as PgProfileRepo from "@vigie/adapters/sql/PgProfileRepo"
import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as Argon2PasswordHasher from "@vigie/adapters/auth/Argon2PasswordHasher"
import * as EtalabCommuneDirectory from "@vigie/adapters/communes/EtalabCommuneDirectory"
import { describeEachDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { Communities, layer as communitiesLayer, perimeterProblem } from "@vigie/domain/communities/Communities"
import { InseeCode } from "@vigie/domain/communities/Commune"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { Effect, Exit, Layer, Schema } from "effect"
import * as Persistence from "../../src/Persistence.js"
import * as NodeSecretBox from "@vigie/adapters/crypto/NodeSecretBox"
import * as PgSecondFactorRepo from "@vigie/adapters/sql/PgSecondFactorRepo"
import * as PgStaffInvitationRepo from "@vigie/adapters/sql/PgStaffInvitationRepo"
import * as PgVigilantCommunes from "@vigie/adapters/sql/PgVigilantCommunes"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import { testSecrets } from "../support/TestPlatform.js"
import { DEMO_INSEE, seedDemoTown } from "../../src/seed/DemoTown.js"

const services = communitiesLayer.pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      Persistence.layer,
      PgGazetteRepo.layer,
      PgProfileRepo.layer,
      PgVigilantCommunes.layer,
      EtalabCommuneDirectory.layer,
      Argon2PasswordHasher.layer
    )
  ),
  Layer.provideMerge(
    Layer.mergeAll(PgSecondFactorRepo.layer, PgStaffInvitationRepo.layer, OutboxEmailSender.layer, NodeSecretBox.layer)
      .pipe(
        Layer.provideMerge(testSecrets)
      )
  )
)

const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<
    { communities: number; accounts: number; memberships: number; staff: number; pending: number; alerts: number }
  >`
    SELECT (SELECT count(*)::int FROM communities) AS communities,
           (SELECT count(*)::int FROM accounts) AS accounts,
           (SELECT count(*)::int FROM memberships) AS memberships,
           (SELECT count(*)::int FROM staff_roles) AS staff,
           (SELECT count(*)::int FROM memberships WHERE status = 'pending_verification') AS pending,
           (SELECT count(*)::int FROM alerts) AS alerts`
  return row!
})

const square: Polygon = {
  type: "Polygon",
  coordinates: [[[-0.54, 44.75], [-0.53, 44.75], [-0.53, 44.76], [-0.54, 44.76], [-0.54, 44.75]]]
}

describeEachDatabase("The demo town seed", (it) => {
  it.effect("seeds Cadaujac once, in one transaction, and a second run changes nothing", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const first = yield* sql.withTransaction(seedDemoTown)
      assert.isTrue(first.created)
      const after = yield* counts
      assert.deepStrictEqual(after, { communities: 3, accounts: 46, memberships: 44, staff: 6, pending: 4, alerts: 18 })
      const [history] = yield* sql<{ resolved: number; deliveries: number; trusted: number }>`
        SELECT (SELECT count(*)::int FROM alerts WHERE status = 'resolved' AND closed_at IS NOT NULL) AS resolved,
               (SELECT count(*)::int FROM deliveries) AS deliveries,
               (SELECT count(*)::int FROM (SELECT author_id FROM alerts GROUP BY author_id HAVING count(*) >= 2) t) AS trusted`
      // The past is not re-sent on first start, and nine residents are past the first-alerts hold.
      assert.deepStrictEqual(history, { resolved: 18, deliveries: 0, trusted: 9 })
      const roles = first.logins.map((l) => l.role)
      assert.includeMembers(roles, ["référent", "voisin", "agent mairie", "police municipale", "modératrice",
        "modérateur", "administrateur"])
      // The admin who opens another commune in the demo (README: Villenave-d'Ornon).
      assert.strictEqual(first.logins.find((l) => l.role === "administrateur")?.email, "admin.vigie.staff@example.org")
      assert.strictEqual(roles.filter((r) => r === "référent").length, 3)
      // Demo staff are enrolled (TOTP); the invited agent's link waits in the e-mail outbox.
      const [signIn] = yield* sql<{ enrolled: number; invitations: number; mails: number }>`
        SELECT (SELECT count(*)::int FROM second_factors WHERE enrolled_at IS NOT NULL) AS enrolled,
               (SELECT count(*)::int FROM staff_invitations WHERE used_at IS NULL) AS invitations,
               (SELECT count(*)::int FROM email_outbox WHERE text LIKE '%/invitation#%') AS mails`
      assert.deepStrictEqual(signIn, { enrolled: 5, invitations: 1, mails: 1 })
      // Cadaujac is a Mairie Vigilante, its police contact entered (its public page shows it).
      const [vigilant] = yield* sql<{ insee: string; phone: string }>`
        SELECT insee, police_phone AS phone FROM vigilant_communes`
      assert.deepStrictEqual(vigilant, { insee: "33080", phone: "05 56 30 94 50" })
      // A living annuaire: eight profiles, one of a member who left it; Hugo (Le Bourg) shows his street.
      const [annuaire] = yield* sql<{ profiles: number; unlisted: number; hugo: string }>`
        SELECT (SELECT count(*)::int FROM member_profiles) AS profiles,
               (SELECT count(*)::int FROM member_profiles WHERE NOT listed) AS unlisted,
               (SELECT p.visibility->>'street' FROM member_profiles p JOIN accounts a ON a.id = p.account_id
                WHERE a.first_name = 'Hugo') AS hugo`
      assert.deepStrictEqual(annuaire, { profiles: 8, unlisted: 1, hugo: "members" })

      const second = yield* sql.withTransaction(seedDemoTown)
      assert.isFalse(second.created)
      assert.deepStrictEqual(yield* counts, after)
      assert.deepStrictEqual(second.logins.map((l) => l.email), first.logins.map((l) => l.email))

      const [referents] = yield* sql<{ n: number }>`
        SELECT count(DISTINCT community_id)::int AS n FROM memberships WHERE role = 'referent' AND status = 'verified'`
      assert.strictEqual(referents!.n, 3)
    }).pipe(Effect.provide(services)))

  it.effect("refuses a community in a commune that is not in the official list, and writes nothing", () =>
    Effect.gen(function*() {
      const communities = yield* Communities
      const before = yield* counts
      const exit = yield* Effect.exit(
        communities.create({ insee: Schema.decodeSync(InseeCode)("99999"), name: "Nulle part", perimeter: square })
      )
      assert.deepStrictEqual(
        Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error._tag : "no failure",
        "UnknownCommune"
      )
      assert.deepStrictEqual(yield* counts, before)
    }).pipe(Effect.provide(services)))

  it.effect("refuses a perimeter that encloses nothing or crosses itself", () =>
    Effect.gen(function*() {
      const communities = yield* Communities
      const line: Polygon = { type: "Polygon",
        coordinates: [[[-0.54, 44.75], [-0.53, 44.75], [-0.52, 44.75], [-0.54, 44.75]]] }
      const bowTie: Polygon = {
        type: "Polygon",
        coordinates: [[[-0.54, 44.75], [-0.53, 44.76], [-0.53, 44.75], [-0.54, 44.76], [-0.54, 44.75]]]
      }
      assert.strictEqual(perimeterProblem(square), undefined)
      for (const [perimeter, reason] of [[line, "degenerate"], [bowTie, "self_intersecting"]] as const) {
        const exit = yield* Effect.exit(communities.create({ insee: DEMO_INSEE, name: "Essai", perimeter }))
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
          assert.strictEqual(exit.cause.error._tag, "InvalidPerimeter")
          assert.strictEqual((exit.cause.error as { reason: string }).reason, reason)
        }
      }
    }).pipe(Effect.provide(services)))
})
