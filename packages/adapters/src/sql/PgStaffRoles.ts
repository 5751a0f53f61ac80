import { SqlClient } from "@effect/sql"
import { StaffRoleRepo } from "@vigie/domain/mairie/StaffRoleRepo"
import { Effect, Layer } from "effect"
import { mapFailures } from "./SqlFailure"

const column = { Moderator: "moderator", Admin: "admin", MairieAgent: "mairie_agent",
  MunicipalPolice: "municipal_police" } as const

export const make = Effect.map(SqlClient.SqlClient, (sql) =>
  StaffRoleRepo.of({
    grant: (accountId, role) =>
      sql<{ n: number }>`
WITH granted AS (
  INSERT INTO staff_roles (account_id, role, insee)
  SELECT ${accountId}::uuid, ${column[role._tag]}::text, ${"insee" in role ? role.insee : null}::text
  WHERE NOT EXISTS (
    SELECT 1 FROM staff_roles WHERE account_id = ${accountId}::uuid AND role = ${column[role._tag]}::text
      AND coalesce(insee, '') = coalesce(${"insee" in role ? role.insee : null}::text, ''))
  RETURNING 1
)
SELECT count(*)::int AS n FROM granted`.pipe(
        Effect.map((rows) => (rows[0]?.n ?? 0) > 0),
        mapFailures(),
        Effect.withSpan("PgStaffRoles.grant")
      )
  }))

export const layer = Layer.effect(StaffRoleRepo, make)
