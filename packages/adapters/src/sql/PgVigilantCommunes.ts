import { SqlClient } from "@effect/sql"
import { PoliceContact } from "@vigie/domain/administration/VigilantCommune"
import { VigilantCommuneRepo, type VigilantCommuneRow } from "@vigie/domain/administration/VigilantCommuneRepo"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Row = Schema.Struct({
  insee: InseeCode,
  activated_at: Schema.DateFromSelf,
  police_phone: Schema.NullOr(Schema.String),
  police_details: Schema.NullOr(Schema.String)
})

const FiguresRow = Schema.Struct({ insee: InseeCode, quartiers: Schema.Int, verified: Schema.Int, alerts: Schema.Int })

const toRow = (row: typeof Row.Type): VigilantCommuneRow => ({
  insee: row.insee,
  activatedAt: DateTime.unsafeMake(row.activated_at),
  policeContact: new PoliceContact({
    phone: Option.fromNullable(row.police_phone),
    details: Option.fromNullable(row.police_details)
  })
})

export const make = Effect.map(SqlClient.SqlClient, (sql) => {
  const columns = sql.literal("insee, activated_at, police_phone, police_details")
  return VigilantCommuneRepo.of({
    activate: (insee, by, at) =>
      sql<{ insee: string }>`
INSERT INTO vigilant_communes (insee, activated_at, activated_by)
VALUES (${insee}, ${DateTime.toDateUtc(at)}, ${by}::uuid)
ON CONFLICT (insee) DO NOTHING
RETURNING insee`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgVigilantCommunes.activate")
      ),

    find: (insee) =>
      sql`SELECT ${columns} FROM vigilant_communes WHERE insee = ${insee}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Row))),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toRow)),
        mapFailures(),
        Effect.withSpan("PgVigilantCommunes.find")
      ),

    list: sql`SELECT ${columns} FROM vigilant_communes ORDER BY insee`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Schema.Array(Row))),
      Effect.map((rows) => rows.map(toRow)),
      mapFailures(),
      Effect.withSpan("PgVigilantCommunes.list")
    ),

    vigilantAmong: (insees) =>
      insees.length === 0
        ? Effect.succeed(new Set())
        : sql<{ insee: InseeCode }>`SELECT insee FROM vigilant_communes WHERE insee = ANY (${insees}::text[])`.pipe(
          Effect.map((rows) => new Set(rows.map((r) => r.insee))),
          mapFailures(),
          Effect.withSpan("PgVigilantCommunes.vigilantAmong")
        ),

    setPoliceContact: (insee, contact, by, at) =>
      sql<{ insee: string }>`
UPDATE vigilant_communes SET police_phone = ${Option.getOrNull(contact.phone)},
  police_details = ${Option.getOrNull(contact.details)},
  police_contact_updated_at = ${DateTime.toDateUtc(at)}, police_contact_updated_by = ${by}::uuid
WHERE insee = ${insee}
RETURNING insee`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgVigilantCommunes.setPoliceContact")
      ),

    figures: (insees, now) => {
      if (insees.length === 0) return Effect.succeed(new Map())
      const at = DateTime.toDateUtc(now)
      // Alerts counted as the commune's statistics count them (PgCommuneStatistics): published or
      // resolved, residents' and town ones, of the 30 days before now.
      return sql`
SELECT w.insee,
  (SELECT count(*) FROM communities c WHERE c.insee = w.insee AND c.status = 'active')::int AS quartiers,
  (SELECT count(DISTINCT m.account_id) FROM memberships m
     JOIN communities c ON c.id = m.community_id
     JOIN accounts acc ON acc.id = m.account_id
   WHERE c.insee = w.insee AND c.status = 'active' AND m.status = 'verified' AND acc.status = 'active')::int AS verified,
  (SELECT count(*) FROM alerts a WHERE a.insee = w.insee AND a.status IN ('published', 'resolved')
     AND a.created_at > ${at}::timestamptz - interval '30 days' AND a.created_at <= ${at}::timestamptz)::int AS alerts
FROM unnest(${insees}::text[]) AS w (insee)`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(FiguresRow))),
        Effect.map((rows) =>
          new Map(
            rows.map((
              r
            ) => [r.insee, { quartiers: r.quartiers, verifiedMembers: r.verified, alertsLast30Days: r.alerts }])
          )
        ),
        mapFailures(),
        Effect.withSpan("PgVigilantCommunes.figures")
      )
    }
  })
})

export const layer = Layer.effect(VigilantCommuneRepo, make)
