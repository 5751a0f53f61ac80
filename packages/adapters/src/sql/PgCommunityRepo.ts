import { SqlClient, SqlSchema } from "@effect/sql"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { Community, CommunityId, CommunityStatus } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { NewCommunity } from "@vigie/domain/communities/CommunityRepo"
import { Polygon } from "@vigie/domain/communities/GeoJson"
import { BoundedText } from "@vigie/domain/shared/Text"
import { Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const CommunityRow = Schema.Struct({
  id: CommunityId,
  insee: InseeCode,
  name: BoundedText(120),
  perimeter: Polygon,
  status: CommunityStatus
})

export const CommunityFromRow = Schema.transform(CommunityRow, Schema.typeSchema(Community), {
  strict: true,
  decode: (row) => new Community(row, true),
  encode: (community) => ({ ...community })
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const insert = SqlSchema.single({
    Request: Schema.Struct({ insee: InseeCode, name: Schema.String, perimeter: Polygon }),
    Result: CommunityFromRow,
    execute: (community) =>
      sql`INSERT INTO communities (insee, name, perimeter)
          VALUES (${community.insee}, ${community.name}, ${JSON.stringify(community.perimeter)}::jsonb)
          RETURNING id, insee, name, perimeter, status`
  })

  const findById = SqlSchema.findOne({
    Request: CommunityId,
    Result: CommunityFromRow,
    execute: (id) => sql`SELECT id, insee, name, perimeter, status FROM communities WHERE id = ${id}`
  })

  const listByCommune = SqlSchema.findAll({
    Request: InseeCode,
    Result: CommunityFromRow,
    execute: (insee) =>
      sql`SELECT id, insee, name, perimeter, status FROM communities WHERE insee = ${insee} ORDER BY name, id`
  })

  return CommunityRepo.of({
    insert: (community: NewCommunity) =>
      insert(community).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.insert")),
    findById: (id) => findById(id).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.findById")),
    listByCommune: (insee) => listByCommune(insee).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.listByCommune"))
  })
})

export const layer = Layer.effect(CommunityRepo, make)
