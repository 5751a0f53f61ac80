import { SqlClient } from "@effect/sql"
import type { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import * as PgAccountRepo from "@vigie/adapters/sql/PgAccountRepo"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgOutbox from "@vigie/adapters/sql/PgOutbox"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as AlertPublisher from "@vigie/domain/alerts/AlertPublisher"
import * as PgCommunityRepo from "@vigie/adapters/sql/PgCommunityRepo"
import * as PgMembershipRepo from "@vigie/adapters/sql/PgMembershipRepo"
import * as PgPreferencesRepo from "@vigie/adapters/sql/PgPreferencesRepo"
import * as PgVerificationRepo from "@vigie/adapters/sql/PgVerificationRepo"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Effect, Layer, Option } from "effect"

/** Every SQL repository, over the suite's SqlClient, and alerts written with their messages (AlertPublisher). */
export const repositories = Layer.provideMerge(
  AlertPublisher.layer,
  Layer.mergeAll(
    PgAccountRepo.layer,
    PgCommunityRepo.layer,
    PgMembershipRepo.layer,
    PgVerificationRepo.layer,
    PgPreferencesRepo.layer,
    PgAlertRepo.layer,
    PgOutbox.layer,
    SqlTransactor.layer
  )
)

/** Empties every table in one statement. */
export const truncate = (sql: SqlClient.SqlClient) =>
  sql`TRUNCATE deliveries, messages, alerts, sms_suppressions, notification_preferences, phone_verifications,
      address_verifications, memberships, staff_roles, communities, accounts CASCADE`

export const unique = () => crypto.randomUUID().slice(0, 8)

export const email = (tag = unique()) => `${tag}@example.fr` as Email

export const phone = () => `+336${String(Math.floor(Math.random() * 100_000_000)).padStart(8, "0")}` as PhoneE164

export const square: Polygon = {
  type: "Polygon",
  coordinates: [[[-0.58, 44.84], [-0.57, 44.84], [-0.57, 44.85], [-0.58, 44.85], [-0.58, 44.84]]]
}

export const bordeaux = "33063" as InseeCode
export const merignac = "33281" as InseeCode

export const address = (line1 = "12 rue des Lilas") =>
  new HomeAddress({
    line1,
    line2: Option.none(),
    postcode: "33000" as Postcode,
    city: "Bordeaux",
    location: Option.some([-0.575, 44.845] as const)
  })

/**
 * A neighbour with an e-mail, a verified phone and a verified membership of `communityId`: someone
 * every alert of that community reaches on both channels.
 */
export const verifiedResident = (communityId: CommunityId, n: number, home = address()) =>
  Effect.gen(function*() {
    const account = yield* (yield* AccountRepo).insert({
      firstName: "Voisin",
      lastName: `N${n}`,
      email: Option.some(email()),
      phone: Option.some(phone()),
      phoneVerified: true,
      passwordHash: Option.none(),
      staffRoles: []
    })
    yield* (yield* MembershipRepo).insert({ accountId: account.id, communityId, role: "resident", status: "verified",
      address: home })
    return account
  }).pipe(Effect.orDie)
