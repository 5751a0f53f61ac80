import { SqlClient, SqlSchema } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import { AuthorityOrigin } from "@vigie/domain/mairie/TownAlert"
import { BulletinId, BulletinText, ReferentBulletin } from "@vigie/domain/mairie/ReferentBulletin"
import { ReferentBulletinRepo } from "@vigie/domain/mairie/ReferentBulletinRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const BulletinRow = Schema.Struct({
  id: BulletinId,
  insee: InseeCode,
  origin: AuthorityOrigin,
  community_ids: Schema.Array(CommunityId),
  text: BulletinText,
  created_at: Schema.DateTimeUtcFromDate
})
const toBulletin = (r: typeof BulletinRow.Type) =>
  new ReferentBulletin({ id: r.id, insee: r.insee, origin: r.origin, communityIds: r.community_ids, text: r.text,
    createdAt: r.created_at })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const findByIds = SqlSchema.findAll({
    Request: Schema.Array(BulletinId),
    Result: BulletinRow,
    execute: (ids) =>
      sql`SELECT id, insee, origin, community_ids, text, created_at FROM referent_bulletins WHERE id = ANY (${ids}::uuid[])`
  })

  return ReferentBulletinRepo.of({
    findByIds: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : Effect.map(findByIds(ids), (rows) => rows.map(toBulletin))).pipe(
        mapFailures(),
        Effect.withSpan("PgReferentBulletins.findByIds")
      ),
    insert: (b, now) =>
      sql.withTransaction(Effect.gen(function*() {
        const rows = yield* sql`
INSERT INTO referent_bulletins (insee, author_id, origin, community_ids, text, created_at)
VALUES (${b.insee}, ${b.authorId}, ${b.origin}, ${b.communityIds}::uuid[], ${b.text}, ${DateTime.toDateUtc(now)})
RETURNING id, insee, origin, community_ids, text, created_at`
        const bulletin = toBulletin(yield* Schema.decodeUnknown(BulletinRow)(rows[0]))
        const referents = yield* sql<{ account_id: AccountId }>`
INSERT INTO referent_inbox (account_id, bulletin_id, created_at)
SELECT DISTINCT m.account_id, ${bulletin.id}::uuid, ${DateTime.toDateUtc(now)}::timestamptz
FROM memberships m JOIN accounts a ON a.id = m.account_id
WHERE m.community_id = ANY (${b.communityIds}::uuid[]) AND m.role = 'referent' AND m.status = 'verified'
  AND a.status = 'active'
ON CONFLICT DO NOTHING
RETURNING account_id`
        return { bulletin, referents: referents.map((r) => r.account_id) }
      })).pipe(mapFailures(), Effect.withSpan("PgReferentBulletins.insert")),
    bill: (id, smsSegments, sms) =>
      sql`
UPDATE referent_bulletins SET sms_segments = ${smsSegments}, billed_segments = ${sms * smsSegments}
WHERE id = ${id}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgReferentBulletins.bill")
      ),
    inbox: (accountId, before, limit) =>
      Effect.gen(function*() {
        const cursor = Option.getOrNull(Option.map(before, DateTime.toDateUtc))
        const rows = yield* sql`
SELECT b.id, b.insee, b.origin, b.community_ids, b.text, b.created_at
FROM referent_inbox i JOIN referent_bulletins b ON b.id = i.bulletin_id
WHERE i.account_id = ${accountId} AND (${cursor}::timestamptz IS NULL OR i.created_at < ${cursor}::timestamptz)
ORDER BY i.created_at DESC, b.id DESC
LIMIT ${limit}`
        return (yield* Schema.decodeUnknown(Schema.Array(BulletinRow))(rows)).map(toBulletin)
      }).pipe(mapFailures(), Effect.withSpan("PgReferentBulletins.inbox"))
  })
})

export const layer = Layer.effect(ReferentBulletinRepo, make)
