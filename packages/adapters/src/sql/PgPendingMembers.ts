import { SqlClient, SqlSchema } from "@effect/sql"
import { CommunityId } from "@vigie/domain/communities/Community"
import { Postcode } from "@vigie/domain/communities/Commune"
import { HomeAddress, MembershipId } from "@vigie/domain/membership/Membership"
import { PendingMember, PendingMembers } from "@vigie/domain/membership/PendingMember"
import { PersonName } from "@vigie/domain/shared/Text"
import { Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Row = Schema.Struct({
  id: MembershipId,
  community_id: CommunityId,
  first_name: PersonName,
  last_name: PersonName,
  address_line1: Schema.String,
  address_line2: Schema.NullOr(Schema.String),
  postcode: Postcode,
  city: Schema.String,
  lon: Schema.NullOr(Schema.Number),
  lat: Schema.NullOr(Schema.Number),
  created_at: Schema.DateTimeUtcFromDate
})

const FromRow = Schema.transform(Row, Schema.typeSchema(PendingMember), {
  strict: true,
  decode: (r) =>
    new PendingMember({
      membershipId: r.id,
      communityId: r.community_id,
      firstName: r.first_name,
      lastName: r.last_name,
      address: new HomeAddress({
        line1: r.address_line1,
        line2: Option.fromNullable(r.address_line2),
        postcode: r.postcode,
        city: r.city,
        location: r.lon === null || r.lat === null ? Option.none() : Option.some([r.lon, r.lat] as const)
      }, true),
      createdAt: r.created_at
    }, true),
  encode: (p) => ({
    id: p.membershipId,
    community_id: p.communityId,
    first_name: p.firstName,
    last_name: p.lastName,
    address_line1: p.address.line1,
    address_line2: Option.getOrNull(p.address.line2),
    postcode: p.address.postcode,
    city: p.address.city,
    lon: Option.getOrNull(Option.map(p.address.location, (l) => l[0])),
    lat: Option.getOrNull(Option.map(p.address.location, (l) => l[1])),
    created_at: p.createdAt
  })
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const ofCommunity = SqlSchema.findAll({
    Request: CommunityId,
    Result: FromRow,
    execute: (communityId) =>
      sql`
SELECT m.id, m.community_id, a.first_name, a.last_name, m.address_line1, m.address_line2, m.postcode, m.city,
  m.lon, m.lat, m.created_at
FROM memberships m JOIN accounts a ON a.id = m.account_id
WHERE m.community_id = ${communityId} AND m.status = 'pending_verification' AND a.status = 'active'
ORDER BY m.created_at, m.id`
  })
  return PendingMembers.of({
    ofCommunity: (communityId) =>
      ofCommunity(communityId).pipe(mapFailures(), Effect.withSpan("PgPendingMembers.ofCommunity"))
  })
})

export const layer = Layer.effect(PendingMembers, make)
