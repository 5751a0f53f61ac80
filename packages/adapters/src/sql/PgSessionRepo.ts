import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { Session, SessionId } from "@vigie/domain/accounts/Session"
import { SessionRepo } from "@vigie/domain/accounts/SessionRepo"
import { Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const SessionRow = Schema.Struct({
  id: SessionId,
  account_id: AccountId,
  created_at: Schema.DateTimeUtcFromDate,
  last_seen_at: Schema.DateTimeUtcFromDate,
  expires_at: Schema.DateTimeUtcFromDate
})

const SessionFromRow = Schema.transform(SessionRow, Schema.typeSchema(Session), {
  strict: true,
  decode: (r) =>
    new Session({ id: r.id, accountId: r.account_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at }, true),
  encode: (s) => ({ id: s.id, account_id: s.accountId, created_at: s.createdAt, last_seen_at: s.lastSeenAt,
    expires_at: s.expiresAt })
})

const columns = "id, account_id, created_at, last_seen_at, expires_at"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const insert = SqlSchema.single({
    Request: Schema.Any,
    Result: SessionFromRow,
    execute: (s: Parameters<SessionRepo["Type"]["insert"]>[0]) =>
      sql`
INSERT INTO sessions (account_id, token_hash, created_at, last_seen_at, expires_at)
VALUES (${s.accountId}, ${s.tokenHash}, ${new Date(s.createdAt.epochMillis)}, ${new Date(s.createdAt.epochMillis)},
  ${new Date(s.expiresAt.epochMillis)})
RETURNING ${sql.literal(columns)}`
  })

  const findByTokenHash = SqlSchema.findOne({
    Request: Schema.Uint8ArrayFromSelf,
    Result: SessionFromRow,
    execute: (hash) => sql`SELECT ${sql.literal(columns)} FROM sessions WHERE token_hash = ${hash}`
  })

  return SessionRepo.of({
    insert: (s) => insert(s).pipe(mapFailures(), Effect.withSpan("PgSessionRepo.insert")),
    findByTokenHash: (hash) =>
      findByTokenHash(hash).pipe(mapFailures(), Effect.withSpan("PgSessionRepo.findByTokenHash")),
    touch: (id, at) =>
      sql`UPDATE sessions SET last_seen_at = ${new Date(at.epochMillis)} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgSessionRepo.touch")
      ),
    delete: (id) =>
      sql`DELETE FROM sessions WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgSessionRepo.delete")
      ),
    deleteByAccount: (accountId) =>
      sql`DELETE FROM sessions WHERE account_id = ${accountId}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgSessionRepo.deleteByAccount")
      )
  })
})

export const layer = Layer.effect(SessionRepo, make)
