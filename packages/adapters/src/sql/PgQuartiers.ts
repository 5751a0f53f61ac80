import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import { Polygon } from "@vigie/domain/communities/GeoJson"
import { QuartierRepo } from "@vigie/domain/mairie/QuartierRepo"
import { MembershipId, MembershipRole, MembershipStatus } from "@vigie/domain/membership/Membership"
import { Effect, Layer, Option, Schema } from "effect"
import { CommunityFromRow } from "./PgCommunityRepo"
import { mapFailures } from "./SqlFailure"

const Referent = Schema.Struct({
  membershipId: MembershipId,
  firstName: Schema.String,
  lastName: Schema.String,
  status: AccountStatus
})

const ManagedRow = Schema.Struct({
  id: Schema.String,
  insee: Schema.String,
  name: Schema.String,
  perimeter: Schema.Unknown,
  status: Schema.String,
  verified_members: Schema.NonNegativeInt,
  referents: Schema.Union(Schema.Array(Referent), Schema.parseJson(Schema.Array(Referent)))
})

const MemberRow = Schema.Struct({
  membership_id: MembershipId,
  account_id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  account_status: AccountStatus,
  role: MembershipRole,
  status: MembershipStatus,
  address_line1: Schema.String,
  lon: Schema.NullOr(Schema.Number),
  lat: Schema.NullOr(Schema.Number)
})

/** The mairie's quartier screens: communities with their figures, members with their names and homes. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const listManaged = SqlSchema.findAll({
    Request: InseeCode,
    Result: ManagedRow,
    execute: (insee) =>
      sql`
SELECT c.id, c.insee, c.name, c.perimeter, c.status,
  (SELECT count(*)::int FROM memberships m WHERE m.community_id = c.id AND m.status = 'verified') AS verified_members,
  coalesce((
    SELECT json_agg(json_build_object('membershipId', m.id, 'firstName', a.first_name, 'lastName', a.last_name,
      'status', a.status) ORDER BY a.first_name, a.last_name, m.id)
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    WHERE m.community_id = c.id AND m.role = 'referent' AND m.status = 'verified'
  ), '[]'::json) AS referents
FROM communities c
WHERE c.insee = ${insee} AND c.status = 'active'
ORDER BY c.name, c.id`
  })

  const perimetersNear = SqlSchema.findAll({
    Request: Schema.Struct({ prefix: Schema.String, except: InseeCode }),
    Result: Schema.Struct({ perimeter: Polygon }),
    execute: ({ except, prefix }) =>
      sql`
SELECT c.perimeter FROM communities c
WHERE c.status = 'active' AND left(c.insee, ${prefix.length}) = ${prefix} AND c.insee <> ${except}
ORDER BY c.insee, c.id`
  })

  const members = SqlSchema.findAll({
    Request: CommunityId,
    Result: MemberRow,
    execute: (communityId) =>
      sql`
SELECT m.id AS membership_id, m.account_id, a.first_name, a.last_name, a.status AS account_status, m.role, m.status,
  m.address_line1, m.lon, m.lat
FROM memberships m JOIN accounts a ON a.id = m.account_id
WHERE m.community_id = ${communityId} AND m.status IN ('pending_verification', 'verified')
ORDER BY a.first_name, a.last_name, m.id`
  })

  const decodeCommunity = Schema.decodeUnknown(CommunityFromRow)

  return QuartierRepo.of({
    listManaged: (insee) =>
      listManaged(insee).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.map(decodeCommunity(row), (community) => ({
              community,
              verifiedMembers: row.verified_members,
              referents: row.referents
            })))
        ),
        mapFailures(),
        Effect.withSpan("PgQuartiers.listManaged")
      ),
    perimetersNear: (departement, except) =>
      perimetersNear({ prefix: departement, except }).pipe(
        Effect.map((rows) => rows.map((row) => row.perimeter)),
        mapFailures(),
        Effect.withSpan("PgQuartiers.perimetersNear")
      ),
    members: (communityId) =>
      members(communityId).pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            membershipId: r.membership_id,
            accountId: r.account_id,
            firstName: r.first_name,
            lastName: r.last_name,
            status: r.account_status,
            role: r.role,
            membershipStatus: r.status,
            addressLine1: r.address_line1,
            location: r.lon === null || r.lat === null ? Option.none() : Option.some([r.lon, r.lat] as const)
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgQuartiers.members")
      )
  })
})

export const layer = Layer.effect(QuartierRepo, make)
