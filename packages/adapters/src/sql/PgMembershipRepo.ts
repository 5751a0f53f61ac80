import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { Postcode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import {
  HomeAddress,
  Membership,
  MembershipId,
  MembershipRole,
  MembershipStatus
} from "@vigie/domain/membership/Membership"
import { AlreadyMember } from "@vigie/domain/membership/MembershipErrors"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import type { NewMembership } from "@vigie/domain/membership/MembershipRepo"
import { BoundedText } from "@vigie/domain/shared/Text"
import { Effect, Layer, Option, Schema } from "effect"
import { mapFailures, uniqueViolation } from "./SqlFailure"

const MembershipRow = Schema.Struct({
  id: MembershipId,
  account_id: AccountId,
  community_id: CommunityId,
  role: MembershipRole,
  status: MembershipStatus,
  home: Schema.Boolean,
  address_line1: BoundedText(200),
  address_line2: Schema.OptionFromNullOr(BoundedText(200)),
  postcode: Postcode,
  city: BoundedText(120),
  lon: Schema.NullOr(Schema.Number),
  lat: Schema.NullOr(Schema.Number),
  created_at: Schema.DateTimeUtcFromDate,
  verified_at: Schema.OptionFromNullOr(Schema.DateTimeUtcFromDate)
})

export const MembershipFromRow = Schema.transform(MembershipRow, Schema.typeSchema(Membership), {
  strict: true,
  decode: (row) =>
    new Membership({
      id: row.id,
      accountId: row.account_id,
      communityId: row.community_id,
      role: row.role,
      status: row.status,
      home: row.home,
      address: new HomeAddress({
        line1: row.address_line1,
        line2: row.address_line2,
        postcode: row.postcode,
        city: row.city,
        location: row.lon === null || row.lat === null ? Option.none() : Option.some([row.lon, row.lat] as const)
      }),
      createdAt: row.created_at,
      verifiedAt: row.verified_at
    }),
  encode: (m) => ({
    id: m.id,
    account_id: m.accountId,
    community_id: m.communityId,
    role: m.role,
    status: m.status,
    home: m.home,
    address_line1: m.address.line1,
    address_line2: m.address.line2,
    postcode: m.address.postcode,
    city: m.address.city,
    lon: Option.getOrNull(Option.map(m.address.location, (p) => p[0])),
    lat: Option.getOrNull(Option.map(m.address.location, (p) => p[1])),
    created_at: m.createdAt,
    verified_at: m.verifiedAt
  })
})

const columns = `id, account_id, community_id, role, status, home, address_line1, address_line2, postcode, city,
  lon, lat, created_at, verified_at`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /** The first membership of an account is its home: `home` is set when the account has none yet. */
  const insert = SqlSchema.single({
    Request: Schema.Any,
    Result: MembershipFromRow,
    execute: (m: NewMembership) => {
      const location = Option.getOrNull(m.address.location)
      return sql`
INSERT INTO memberships (account_id, community_id, role, status, home, address_line1, address_line2, postcode, city,
  lon, lat, verified_at)
SELECT ${m.accountId}::uuid, ${m.communityId}::uuid, ${m.role}::text, ${m.status}::text,
  NOT EXISTS (SELECT 1 FROM memberships WHERE account_id = ${m.accountId} AND home),
  ${m.address.line1}::text, ${
        Option.getOrNull(m.address.line2)
      }::text, ${m.address.postcode}::text, ${m.address.city}::text,
  ${location?.[0] ?? null}::double precision, ${location?.[1] ?? null}::double precision,
  CASE WHEN ${m.status}::text = 'verified' THEN now() END
RETURNING ${sql.literal(columns)}`
    }
  })

  const findById = SqlSchema.findOne({
    Request: MembershipId,
    Result: MembershipFromRow,
    execute: (id) => sql`SELECT ${sql.literal(columns)} FROM memberships WHERE id = ${id}`
  })

  const listByAccount = SqlSchema.findAll({
    Request: AccountId,
    Result: MembershipFromRow,
    execute: (accountId) =>
      sql`SELECT ${sql.literal(columns)} FROM memberships WHERE account_id = ${accountId}
          ORDER BY home DESC, created_at, id`
  })

  return MembershipRepo.of({
    insert: (membership) =>
      insert(membership).pipe(
        // Two first memberships inserted at once: the loser is simply not the home one.
        Effect.catchIf((error) => uniqueViolation(error) === "memberships_one_home", () => insert(membership)),
        mapFailures({
          memberships_account_community_key: () => new AlreadyMember({ communityId: membership.communityId })
        }),
        Effect.withSpan("PgMembershipRepo.insert")
      ),
    findById: (id) => findById(id).pipe(mapFailures(), Effect.withSpan("PgMembershipRepo.findById")),
    listByAccount: (accountId) =>
      listByAccount(accountId).pipe(mapFailures(), Effect.withSpan("PgMembershipRepo.listByAccount")),
    setStatus: (id, status) =>
      sql`UPDATE memberships
          SET status = ${status},
              verified_at = CASE WHEN ${status} = 'verified' AND status <> 'verified' THEN now() ELSE verified_at END
          WHERE id = ${id}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgMembershipRepo.setStatus")),
    moveStatus: (id, from, to) =>
      sql`UPDATE memberships SET status = ${to} WHERE id = ${id} AND status = ${from} RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgMembershipRepo.moveStatus")
      ),
    endForCommunity: (community, ids, reason) =>
      ids.length === 0
        ? Effect.succeed([])
        : sql<{ readonly id: MembershipId }>`
UPDATE memberships SET status = 'left', left_reason = ${reason}, role = 'resident', home = false
WHERE community_id = ${community} AND id = ANY (${ids}::uuid[])
  AND status IN ('pending_verification', 'verified')
RETURNING id`.pipe(
          Effect.map((rows) => rows.map((r) => r.id)),
          mapFailures(),
          Effect.withSpan("PgMembershipRepo.endForCommunity")
        ),
    setRole: (id, role) =>
      sql`UPDATE memberships SET role = ${role} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgMembershipRepo.setRole")
      )
  })
})

export const layer = Layer.effect(MembershipRepo, make)
