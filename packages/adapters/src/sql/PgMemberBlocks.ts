import { SqlClient } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { MemberBlocks } from "@vigie/domain/membership/MemberBlocks"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const BlockRow = Schema.Struct({ blocker_id: AccountId, blocked_id: AccountId, created_at: Schema.DateTimeUtcFromDate })

/** The blocks between members (table member_blocks, 0035). */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const some = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(statement, (rows) => rows.length > 0)

  return MemberBlocks.of({
    block: (blockerId, blockedId, at) =>
      some(sql`
INSERT INTO member_blocks (blocker_id, blocked_id, created_at) VALUES (${blockerId}, ${blockedId}, ${
        DateTime.toDateUtc(at)
      })
ON CONFLICT DO NOTHING RETURNING 1 AS one`).pipe(mapFailures(), Effect.withSpan("PgMemberBlocks.block")),
    unblock: (blockerId, blockedId) =>
      some(
        sql`DELETE FROM member_blocks WHERE blocker_id = ${blockerId} AND blocked_id = ${blockedId} RETURNING 1 AS one`
      )
        .pipe(mapFailures(), Effect.withSpan("PgMemberBlocks.unblock")),
    blockedBy: (blockerId) =>
      sql`
SELECT blocker_id, blocked_id, created_at FROM member_blocks WHERE blocker_id = ${blockerId}
ORDER BY created_at DESC, blocked_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(BlockRow))),
        Effect.map((rows) =>
          rows.map((r) => ({ blockerId: r.blocker_id, blockedId: r.blocked_id, createdAt: r.created_at }))
        ),
        mapFailures(),
        Effect.withSpan("PgMemberBlocks.blockedBy")
      ),
    blockersOf: (blockedId) =>
      sql`SELECT blocker_id FROM member_blocks WHERE blocked_id = ${blockedId}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ blocker_id: AccountId })))),
        Effect.map((rows) => rows.map((r) => r.blocker_id)),
        mapFailures(),
        Effect.withSpan("PgMemberBlocks.blockersOf")
      ),
    isBlockedBy: (blockedId, blockerId) =>
      some(sql`SELECT 1 AS one FROM member_blocks WHERE blocker_id = ${blockerId} AND blocked_id = ${blockedId}`)
        .pipe(mapFailures(), Effect.withSpan("PgMemberBlocks.isBlockedBy")),
    eitherBlocks: (a, b) =>
      some(sql`
SELECT 1 AS one FROM member_blocks
WHERE (blocker_id = ${a} AND blocked_id = ${b}) OR (blocker_id = ${b} AND blocked_id = ${a})`)
        .pipe(mapFailures(), Effect.withSpan("PgMemberBlocks.eitherBlocks")),
    among: (accountIds) =>
      accountIds.length < 2 ? Effect.succeed([]) : sql`
SELECT blocker_id, blocked_id FROM member_blocks
WHERE blocker_id = ANY (${accountIds}::uuid[]) AND blocked_id = ANY (${accountIds}::uuid[])`.pipe(
        Effect.flatMap(
          Schema.decodeUnknown(Schema.Array(Schema.Struct({ blocker_id: AccountId, blocked_id: AccountId })))
        ),
        Effect.map((rows) => rows.map((r) => ({ blockerId: r.blocker_id, blockedId: r.blocked_id }))),
        mapFailures(),
        Effect.withSpan("PgMemberBlocks.among")
      )
  })
})

export const layer = Layer.effect(MemberBlocks, make)
