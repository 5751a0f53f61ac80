import { SqlClient, SqlSchema } from "@effect/sql"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { Community, CommunityId, CommunityStatus } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { CommunityChange, NewCommunity } from "@vigie/domain/communities/CommunityRepo"
import { Polygon } from "@vigie/domain/communities/GeoJson"
import { BoundedText } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Schema } from "effect"
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

  const rename = SqlSchema.findOne({
    Request: Schema.Any,
    Result: CommunityFromRow,
    execute: ({ at, id, name }: { readonly id: CommunityId; readonly name: string; readonly at: Date }) =>
      sql`UPDATE communities SET name = ${name}, updated_at = ${at}
          WHERE id = ${id} AND status = 'active'
          RETURNING id, insee, name, perimeter, status`
  })

  const redraw = SqlSchema.findOne({
    Request: Schema.Any,
    Result: CommunityFromRow,
    execute: ({ at, id, perimeter }: { readonly id: CommunityId; readonly perimeter: Polygon; readonly at: Date }) =>
      sql`UPDATE communities SET perimeter = ${JSON.stringify(perimeter)}::jsonb, updated_at = ${at}
          WHERE id = ${id} AND status = 'active'
          RETURNING id, insee, name, perimeter, status`
  })

  const recordChange = SqlSchema.single({
    Request: Schema.Any,
    Result: Schema.Struct({ id: Schema.UUID }),
    execute: (c: CommunityChange) => {
      const redrawn = c.change._tag === "Redrawn" ? c.change : undefined
      return sql`
INSERT INTO community_changes (community_id, action, actor_id, at, perimeter_before, perimeter_after)
VALUES (${c.communityId}, ${redrawn === undefined ? "archived" : "redrawn"}, ${c.actorId}, ${DateTime.toDateUtc(c.at)},
  ${redrawn === undefined ? null : JSON.stringify(redrawn.before)}::jsonb,
  ${redrawn === undefined ? null : JSON.stringify(redrawn.after)}::jsonb)
RETURNING id`
    }
  })

  return CommunityRepo.of({
    insert: (community: NewCommunity) =>
      insert(community).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.insert")),
    findById: (id) => findById(id).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.findById")),
    listByCommune: (insee) =>
      listByCommune(insee).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.listByCommune")),
    rename: (id, name, at) =>
      rename({ id, name, at: DateTime.toDateUtc(at) }).pipe(mapFailures(), Effect.withSpan("PgCommunityRepo.rename")),
    redraw: (id, perimeter, at) =>
      redraw({ id, perimeter, at: DateTime.toDateUtc(at) }).pipe(
        mapFailures(),
        Effect.withSpan("PgCommunityRepo.redraw")
      ),
    archive: (id, at) =>
      sql`UPDATE communities SET status = 'archived', updated_at = ${DateTime.toDateUtc(at)}
          WHERE id = ${id} AND status = 'active' RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgCommunityRepo.archive")
      ),
    recordChange: (change) =>
      recordChange(change).pipe(Effect.map((r) => r.id), mapFailures(), Effect.withSpan("PgCommunityRepo.recordChange"))
  })
})

export const layer = Layer.effect(CommunityRepo, make)
