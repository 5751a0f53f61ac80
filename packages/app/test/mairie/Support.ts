import * as PgMairie from "@vigie/adapters/sql/PgMairie"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import { SqlClient } from "@effect/sql"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Community } from "@vigie/domain/communities/Community"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import * as AuthoritiesInbox from "@vigie/domain/mairie/AuthoritiesInbox"
import * as TownAlerts from "@vigie/domain/mairie/TownAlerts"
import * as CommuneStatistics from "@vigie/domain/mairie/CommuneStatistics"
import * as ReferentBulletins from "@vigie/domain/mairie/ReferentBulletins"
import * as StaffAccounts from "@vigie/domain/mairie/StaffAccounts"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { Effect, Layer, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { homeAddress } from "../support/World.js"

export const publicUrl = new URL("http://vigie.test")

/** The mairie's use cases and adapters over the whole test platform. */
export const mairieServices = Layer.mergeAll(
  TownAlerts.layer,
  AuthoritiesInbox.layer,
  ReferentBulletins.layer,
  CommuneStatistics.layer,
  StaffAccounts.layer
).pipe(Layer.provideMerge(Layer.mergeAll(PgMairie.layer, MairieSettings.layerWith())))

export const mairiePlatform = (db: TestDatabase) => mairieServices.pipe(Layer.provideMerge(platform(db)))

let counter = 0
/**
 * A resident reachable on both channels (a verified phone), verified in `communities` (or with
 * `status`), optionally with preferences, an SMS opt-out, voice calls for urgent alerts, or a
 * landline attested by a paper registration instead of a verified phone (`landline`).
 */
export const resident = (
  communities: ReadonlyArray<Community>,
  options: {
    readonly status?: MembershipStatus
    readonly sms?: "all" | "urgent_only" | "none"
    readonly email?: "all" | "urgent_only" | "none"
    readonly stopped?: boolean
    readonly phone?: boolean
    readonly voiceUrgent?: boolean
    readonly landline?: boolean
  } = {}
) =>
  Effect.gen(function*() {
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const sql = yield* SqlClient.SqlClient
    counter++
    const n = `${process.pid % 1000}${String(counter).padStart(4, "0")}${Math.floor(Math.random() * 10)}`
    const phone = `+3361${n.padStart(7, "0").slice(-7)}` as PhoneE164
    const withPhone = options.phone ?? true
    const account = yield* accounts.insert({
      firstName: "Voisin",
      lastName: `N${n}`,
      email: Option.some(`voisin.${n}.${crypto.randomUUID().slice(0, 6)}@example.org` as Email),
      phone: withPhone ? Option.some(phone) : Option.none(),
      phoneVerified: withPhone && options.landline !== true,
      passwordHash: Option.none(),
      staffRoles: []
    }).pipe(Effect.orDie)
    for (const community of communities) {
      const membership = yield* memberships.insert({
        accountId: account.id,
        communityId: community.id,
        role: "resident",
        status: options.status ?? "verified",
        address: homeAddress(`${counter} rue des Vignes`)
      }).pipe(Effect.orDie)
      if (options.landline === true) {
        yield* sql`INSERT INTO paper_registrations (membership_id, account_id, recorded_at, consent, phone_kind)
          VALUES (${membership.id}, ${account.id}, now(), true, 'landline')`.pipe(Effect.orDie)
      }
    }
    if (options.sms !== undefined || options.email !== undefined || options.voiceUrgent !== undefined) {
      yield* sql`INSERT INTO notification_preferences (account_id, sms, email, voice_urgent)
        VALUES (${account.id}, ${options.sms ?? "all"}, ${options.email ?? "all"}, ${options.voiceUrgent ?? false})`
        .pipe(Effect.orDie)
    }
    if (options.stopped === true) {
      yield* sql`INSERT INTO sms_suppressions (phone, reason) VALUES (${phone}, 'stop_keyword')`.pipe(Effect.orDie)
    }
    return account
  })

/** Deliveries written for an alert, per channel. */
export const deliveriesOf = (alertId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ channel: string; n: number }>`
      SELECT channel, count(*)::int AS n FROM deliveries WHERE alert_id = ${alertId} GROUP BY channel`.pipe(
      Effect.orDie
    )
    return {
      sms: rows.find((r) => r.channel === "sms")?.n ?? 0,
      email: rows.find((r) => r.channel === "email")?.n ?? 0
    }
  })

/** Voice deliveries (calls) written for an alert. */
export const callsOf = (alertId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM deliveries WHERE alert_id = ${alertId} AND channel = 'voice'`.pipe(Effect.orDie)
    return row!.n
  })

export { actorOf }
