import { SqlClient } from "@effect/sql"
import { AccountId, type StaffRole } from "@vigie/domain/accounts/Account"
import { revocation } from "@vigie/domain/accounts/StaffRolePolicy"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { StaffRoleRepo } from "@vigie/domain/mairie/StaffRoleRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const column = { Moderator: "moderator", Admin: "admin", MairieAgent: "mairie_agent",
  MunicipalPolice: "municipal_police" } as const

const RoleRow = Schema.Struct({ role: Schema.Literal("moderator", "admin", "mairie_agent", "municipal_police"),
  insee: Schema.NullOr(InseeCode) })

const ListRow = Schema.Struct({
  ...RoleRow.fields,
  account_id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  email: Schema.NullOr(Schema.String),
  created_at: Schema.DateFromSelf
})

/** The domain's role from a row's `role` and `insee`. */
const toRole = (row: typeof RoleRow.Type): StaffRole =>
  row.role === "admin"
    ? { _tag: "Admin" }
    : row.role === "moderator"
    ? { _tag: "Moderator" }
    : row.role === "mairie_agent"
    ? { _tag: "MairieAgent", insee: row.insee! }
    : { _tag: "MunicipalPolice", insee: row.insee! }

export const make = Effect.map(SqlClient.SqlClient, (sql) => {
  const inseeOf = (role: StaffRole) => "insee" in role ? role.insee : null
  return StaffRoleRepo.of({
    grant: (accountId, role) =>
      sql<{ n: number }>`
WITH granted AS (
  INSERT INTO staff_roles (account_id, role, insee)
  SELECT ${accountId}::uuid, ${column[role._tag]}::text, ${inseeOf(role)}::text
  WHERE NOT EXISTS (
    SELECT 1 FROM staff_roles WHERE account_id = ${accountId}::uuid AND role = ${column[role._tag]}::text
      AND coalesce(insee, '') = coalesce(${inseeOf(role)}::text, ''))
  RETURNING 1
)
SELECT count(*)::int AS n FROM granted`.pipe(
        Effect.map((rows) => (rows[0]?.n ?? 0) > 0),
        mapFailures(),
        Effect.withSpan("PgStaffRoles.grant")
      ),

    revoke: (accountId, role) =>
      Effect.gen(function*() {
        // The admin roles of active accounts, locked: a concurrent revocation waits, then sees this one's.
        const admins = yield* sql<{ account_id: AccountId }>`
SELECT r.account_id FROM staff_roles r JOIN accounts a ON a.id = r.account_id
WHERE r.role = 'admin' AND a.status = 'active'
ORDER BY r.account_id FOR UPDATE OF r`
        const held = yield* sql`SELECT role, insee FROM staff_roles WHERE account_id = ${accountId}::uuid`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(RoleRow)))
        )
        const decision = revocation(accountId, role, held.map(toRole), admins.map((a) => a.account_id))
        if (decision === "revoke") {
          yield* sql`DELETE FROM staff_roles WHERE account_id = ${accountId}::uuid
            AND role = ${column[role._tag]}::text AND coalesce(insee, '') = coalesce(${inseeOf(role)}::text, '')`
        }
        return decision
      }).pipe(sql.withTransaction, mapFailures(), Effect.withSpan("PgStaffRoles.revoke")),

    list: (insee) =>
      sql`
SELECT r.account_id, r.role, r.insee, r.created_at, a.first_name, a.last_name, a.email
FROM staff_roles r JOIN accounts a ON a.id = r.account_id
WHERE a.status <> 'erased' AND (${Option.getOrNull(insee)}::text IS NULL OR r.insee = ${Option.getOrNull(insee)}::text)
ORDER BY r.insee NULLS FIRST, r.role, a.last_name, a.first_name, r.account_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(ListRow))),
        Effect.map((rows) =>
          rows.map((row) => ({
            accountId: row.account_id,
            firstName: row.first_name,
            lastName: row.last_name,
            email: Option.fromNullable(row.email),
            role: toRole(row),
            grantedAt: DateTime.unsafeMake(row.created_at)
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgStaffRoles.list")
      )
  })
})

export const layer = Layer.effect(StaffRoleRepo, make)
