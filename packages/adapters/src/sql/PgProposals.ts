import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import { Polygon } from "@vigie/domain/communities/GeoJson"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { ProposalId, ProposalStatus } from "@vigie/domain/proposals/CommunityProposal"
import { ProposalRepo } from "@vigie/domain/proposals/ProposalRepo"
import type { NewProposal, ProposalOutcome, ProposalScope, StoredProposal } from "@vigie/domain/proposals/ProposalRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const ProposalRow = Schema.Struct({
  id: ProposalId,
  requester_id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  account_status: AccountStatus,
  insee: InseeCode,
  name: Schema.String,
  reason: Schema.String,
  perimeter: Polygon,
  address_line1: Schema.String,
  address_line2: Schema.NullOr(Schema.String),
  postcode: Postcode,
  city: Schema.String,
  lon: Schema.NullOr(Schema.Number),
  lat: Schema.NullOr(Schema.Number),
  status: ProposalStatus,
  created_at: Schema.DateTimeUtcFromDate,
  decided_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  refusal_reason: Schema.NullOr(Schema.String),
  community_id: Schema.NullOr(CommunityId)
})

const fromRow = (r: typeof ProposalRow.Type): StoredProposal => ({
  id: r.id,
  requesterId: r.requester_id,
  requesterFirstName: r.first_name,
  requesterLastName: r.last_name,
  requesterStatus: r.account_status,
  insee: r.insee,
  name: r.name,
  reason: r.reason,
  perimeter: r.perimeter,
  address: new HomeAddress({
    line1: r.address_line1,
    line2: Option.fromNullable(r.address_line2),
    postcode: r.postcode,
    city: r.city,
    location: r.lon === null || r.lat === null ? Option.none() : Option.some([r.lon, r.lat] as const)
  }, true),
  status: r.status,
  createdAt: r.created_at,
  decidedAt: Option.fromNullable(r.decided_at),
  refusalReason: Option.fromNullable(r.refusal_reason),
  communityId: Option.fromNullable(r.community_id)
})

/** Quartier proposals in `community_proposals`, with their requester's names from `accounts`. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const select = sql`
SELECT p.id, p.requester_id, a.first_name, a.last_name, a.status AS account_status, p.insee, p.name, p.reason,
  p.perimeter, p.address_line1, p.address_line2, p.postcode, p.city, p.lon, p.lat, p.status, p.created_at,
  p.decided_at, p.refusal_reason, p.community_id
FROM community_proposals p JOIN accounts a ON a.id = p.requester_id`

  const insert = SqlSchema.single({
    Request: Schema.Any,
    Result: Schema.Struct({ id: ProposalId }),
    execute: (p: NewProposal) => {
      const location = Option.getOrNull(p.address.location)
      return sql`
INSERT INTO community_proposals (requester_id, insee, name, reason, perimeter, address_line1, address_line2, postcode,
  city, lon, lat, created_at)
VALUES (${p.requesterId}, ${p.insee}, ${p.name}, ${p.reason}, ${JSON.stringify(p.perimeter)}::jsonb,
  ${p.address.line1}, ${Option.getOrNull(p.address.line2)}::text, ${p.address.postcode}, ${p.address.city},
  ${location === null ? null : location[0]}::double precision, ${
        location === null ? null : location[1]
      }::double precision,
  ${DateTime.toDateUtc(p.at)})
RETURNING id`
    }
  })

  const find = SqlSchema.findOne({
    Request: ProposalId,
    Result: ProposalRow,
    execute: (id) => sql`${select} WHERE p.id = ${id}`
  })

  const listByRequester = SqlSchema.findAll({
    Request: AccountId,
    Result: ProposalRow,
    execute: (accountId) =>
      sql`${select} WHERE p.requester_id = ${accountId} ORDER BY p.created_at DESC, p.id LIMIT 200`
  })

  const list = SqlSchema.findAll({
    Request: Schema.Any,
    Result: ProposalRow,
    execute: (scope: ProposalScope) =>
      sql`${select} WHERE ${
        scope._tag === "Commune"
          ? sql`p.insee = ${scope.insee}`
          : sql`NOT EXISTS (SELECT 1 FROM vigilant_communes v WHERE v.insee = p.insee)`
      }
ORDER BY (p.status = 'pending') DESC,
  CASE WHEN p.status = 'pending' THEN p.created_at END ASC,
  p.decided_at DESC, p.id
LIMIT 200`
  })

  const countPending = SqlSchema.single({
    Request: AccountId,
    Result: Schema.Struct({ n: Schema.NonNegativeInt }),
    execute: (accountId) =>
      sql`SELECT count(*)::int AS n FROM community_proposals WHERE requester_id = ${accountId} AND status = 'pending'`
  })

  const decide = (id: ProposalId, outcome: ProposalOutcome, by: AccountId, at: DateTime.Utc) =>
    sql`
UPDATE community_proposals SET status = ${outcome.status},
  community_id = ${outcome.status === "accepted" ? outcome.communityId : null}::uuid,
  refusal_reason = ${outcome.status === "refused" ? outcome.reason : null}::text,
  decided_by = ${by}, decided_at = ${DateTime.toDateUtc(at)}
WHERE id = ${id} AND status = 'pending'
RETURNING 1 AS one`.pipe(Effect.map((rows) => rows.length > 0))

  return ProposalRepo.of({
    insert: (p) => insert(p).pipe(Effect.map((r) => r.id), mapFailures(), Effect.withSpan("PgProposals.insert")),
    find: (id) => find(id).pipe(Effect.map(Option.map(fromRow)), mapFailures(), Effect.withSpan("PgProposals.find")),
    listByRequester: (accountId) =>
      listByRequester(accountId).pipe(
        Effect.map((rows) => rows.map(fromRow)),
        mapFailures(),
        Effect.withSpan("PgProposals.listByRequester")
      ),
    list: (scope) =>
      list(scope).pipe(Effect.map((rows) => rows.map(fromRow)), mapFailures(), Effect.withSpan("PgProposals.list")),
    countPending: (accountId) =>
      countPending(accountId).pipe(Effect.map((r) => r.n), mapFailures(), Effect.withSpan("PgProposals.countPending")),
    decide: (id, outcome, by, at) =>
      decide(id, outcome, by, at).pipe(mapFailures(), Effect.withSpan("PgProposals.decide"))
  })
})

export const layer = Layer.effect(ProposalRepo, make)
