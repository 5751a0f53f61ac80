import { SqlClient, SqlSchema } from "@effect/sql"
import { Account, AccountId, AccountStatus, StaffRole } from "@vigie/domain/accounts/Account"
import { EmailAlreadyUsed, PhoneAlreadyUsed } from "@vigie/domain/accounts/AccountErrors"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { NewAccount } from "@vigie/domain/accounts/AccountRepo"
import { Email, PersonName, PhoneE164 } from "@vigie/domain/shared/Text"
import { Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

/** An account row with its staff roles, aggregated as JSON in the domain's tagged form. */
const AccountRow = Schema.Struct({
  id: AccountId,
  first_name: PersonName,
  last_name: PersonName,
  email: Schema.OptionFromNullOr(Email),
  phone: Schema.OptionFromNullOr(PhoneE164),
  phone_verified: Schema.Boolean,
  status: AccountStatus,
  staff_roles: Schema.Array(StaffRole),
  created_at: Schema.DateTimeUtcFromDate
})

export const AccountFromRow = Schema.transform(AccountRow, Schema.typeSchema(Account), {
  strict: true,
  decode: (row) =>
    new Account({
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      phone: row.phone,
      phoneVerified: row.phone_verified,
      status: row.status,
      staffRoles: row.staff_roles,
      createdAt: row.created_at
    }, true),
  encode: (account) => ({
    id: account.id,
    first_name: account.firstName,
    last_name: account.lastName,
    email: account.email,
    phone: account.phone,
    phone_verified: account.phoneVerified,
    status: account.status,
    staff_roles: account.staffRoles,
    created_at: account.createdAt
  })
})

const roleColumn = { Moderator: "moderator", Admin: "admin", MairieAgent: "mairie_agent",
  MunicipalPolice: "municipal_police" } as const

/** Staff roles in the domain's encoded form, `{ _tag, insee? }`, from rows `r` of `source`. */
const staffRolesJson = (source: string) =>
  `coalesce((
  SELECT json_agg(json_strip_nulls(json_build_object(
    '_tag', CASE r.role WHEN 'moderator' THEN 'Moderator' WHEN 'admin' THEN 'Admin'
                        WHEN 'mairie_agent' THEN 'MairieAgent' ELSE 'MunicipalPolice' END,
    'insee', r.insee)) ORDER BY r.role, r.insee)
  FROM ${source}), '[]'::json)`

/** Every column of `AccountFromRow`, from `accounts a`. */
export const selectAccount = `SELECT a.id, a.first_name, a.last_name, a.email, a.phone, a.phone_verified, a.status,
  a.created_at, ${staffRolesJson("staff_roles r WHERE r.account_id = a.id")} AS staff_roles
FROM accounts a`

const uniqueContact = {
  accounts_email_key: () => new EmailAlreadyUsed(),
  accounts_phone_key: () => new PhoneAlreadyUsed()
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const insertAccount = SqlSchema.single({
    Request: Schema.Any,
    Result: AccountFromRow,
    execute: (account: NewAccount) => {
      const roles = account.staffRoles
      return sql`
WITH a AS (
  INSERT INTO accounts (first_name, last_name, email, phone, phone_verified, password_hash)
  VALUES (${account.firstName}, ${account.lastName}, ${Option.getOrNull(account.email)},
          ${Option.getOrNull(account.phone)}, ${account.phoneVerified}, ${Option.getOrNull(account.passwordHash)})
  RETURNING *
), r AS (
  INSERT INTO staff_roles (account_id, role, insee)
  SELECT DISTINCT a.id, x.role, x.insee
  FROM a, unnest(${roles.map((role) => roleColumn[role._tag])}::text[],
                 ${roles.map((role) => ("insee" in role ? role.insee : null))}::text[]) AS x (role, insee)
  RETURNING role, insee
)
SELECT a.id, a.first_name, a.last_name, a.email, a.phone, a.phone_verified, a.status, a.created_at,
  ${sql.literal(staffRolesJson("r"))} AS staff_roles
FROM a`
    }
  })

  const findOne = SqlSchema.findOne({
    Request: Schema.Struct({ column: Schema.Literal("id", "email", "phone"), value: Schema.String }),
    Result: AccountFromRow,
    execute: ({ column, value }) =>
      column === "email"
        ? sql`${sql.literal(selectAccount)} WHERE lower(a.email) = lower(${value})`
        : sql`${sql.literal(selectAccount)} WHERE ${sql.literal(`a.${column}`)} = ${value}`
  })

  return AccountRepo.of({
    insert: (account) =>
      insertAccount(account).pipe(mapFailures(uniqueContact), Effect.withSpan("PgAccountRepo.insert")),
    findById: (id) =>
      findOne({ column: "id", value: id }).pipe(mapFailures(), Effect.withSpan("PgAccountRepo.findById")),
    findByEmail: (email) =>
      findOne({ column: "email", value: email }).pipe(
        mapFailures(),
        Effect.withSpan("PgAccountRepo.findByEmail")
      ),
    findByPhone: (phone) =>
      findOne({ column: "phone", value: phone }).pipe(mapFailures(), Effect.withSpan("PgAccountRepo.findByPhone")),
    passwordHash: (id) =>
      sql<{ readonly password_hash: string | null }>`SELECT password_hash FROM accounts WHERE id = ${id}`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]?.password_hash)),
        mapFailures(),
        Effect.withSpan("PgAccountRepo.passwordHash")
      ),
    setStatus: (id, status) =>
      sql`UPDATE accounts SET status = ${status} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgAccountRepo.setStatus")
      ),
    moveStatus: (id, from, to) =>
      sql`UPDATE accounts SET status = ${to} WHERE id = ${id} AND status = ${from} RETURNING 1 AS one`.pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgAccountRepo.moveStatus")
      ),
    setPhoneVerified: (id, phone) =>
      sql`UPDATE accounts SET phone = ${phone}, phone_verified = true WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures({ accounts_phone_key: () => new PhoneAlreadyUsed() }),
        Effect.withSpan("PgAccountRepo.setPhoneVerified")
      )
  })
})

export const layer = Layer.effect(AccountRepo, make)
