import * as PgGazetteRepo from "@vigie/adapters/sql/PgGazetteRepo"
import * as PgProfileRepo from "@vigie/adapters/sql/PgProfileRepo"
import { SqlClient } from "@effect/sql"
import * as Argon2PasswordHasher from "@vigie/adapters/auth/Argon2PasswordHasher"
import * as EtalabCommuneDirectory from "@vigie/adapters/communes/EtalabCommuneDirectory"
import * as NodeSecretBox from "@vigie/adapters/crypto/NodeSecretBox"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as PgSecondFactorRepo from "@vigie/adapters/sql/PgSecondFactorRepo"
import * as PgStaffInvitationRepo from "@vigie/adapters/sql/PgStaffInvitationRepo"
import * as PgVigilantCommunes from "@vigie/adapters/sql/PgVigilantCommunes"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as Communities from "@vigie/domain/communities/Communities"
import { Config, Console, Effect, Layer } from "effect"
import * as Persistence from "../Persistence.js"
import {
  DEMO_COMMUNE_NAME,
  DEMO_INSEE,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  type DemoTownReport,
  seedDemoTown
} from "../seed/DemoTown.js"

/** development seeds the demo town; production (the default) never does. */
export const environment = Config.literal("development", "production")("VIGIE_ENV").pipe(
  Config.withDefault("production" as const)
)

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length))

export const printReport = (report: DemoTownReport) =>
  Console.log(
    [
      report.created
        ? `Demo town seeded: ${DEMO_COMMUNE_NAME} (INSEE ${DEMO_INSEE}), ${report.communities} communities, ` +
          `${report.residents} residents (${report.pending} awaiting their activation letter), mairie, police, moderation.`
        : `Demo town already there: ${DEMO_COMMUNE_NAME} (INSEE ${DEMO_INSEE}), ${report.communities} communities; data reused.`,
      "",
      `Demo logins (password for all: ${DEMO_PASSWORD})`,
      ...report.logins.map((l) =>
        `  ${pad(l.role, 18)} ${pad(l.name, 20)} ${pad(l.email, 36)} ${pad(l.phone, 13)} ${l.community}`
      ),
      "",
      `Staff accounts (mairie, police, moderators, admin) then ask for a second code: add the TOTP secret ${DEMO_TOTP_SECRET}`,
      "to an authenticator app, or read the current code in the dev inbox (/dev).",
      "Claire Martin (mairie) has not signed up yet: her invitation e-mail, with the link where she chooses a password, is in the dev inbox.",
      "A real town joins: as Admin Vigie, open /admin, make Villenave-d'Ornon (33550) a Mairie Vigilante, invite its agent",
      "(the invitation e-mail is in the dev inbox), who draws its first quartier at /mairie/quartiers (the admin may too,",
      "from the commune's \"Quartiers\" link) and appoints its référents among the residents who joined it."
    ].join("\n")
  )

/**
 * What the demo staff's sign-in needs: the second factors (sealed under the server's key), the
 * invitations, and the e-mail outbox where the invited agent's invitation waits.
 */
export const staffSignInStorage = Layer.mergeAll(
  PgSecondFactorRepo.layer,
  PgStaffInvitationRepo.layer,
  OutboxEmailSender.layer,
  NodeSecretBox.layer
).pipe(Layer.provideMerge(NodeSecrets.layer))

/**
 * Seeds the demo town in one transaction (all of it or nothing), unless VIGIE_ENV is production.
 */
export const seed = Effect.gen(function*() {
  const env = yield* environment
  if (env === "production") {
    yield* Console.log("VIGIE_ENV=production: no demo data is seeded.")
    return
  }
  const sql = yield* SqlClient.SqlClient
  const report = yield* sql.withTransaction(seedDemoTown)
  yield* printReport(report)
}).pipe(
  Effect.provide(
    Communities.layer.pipe(
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
      Layer.provideMerge(staffSignInStorage)
    )
  )
)
