import { SqlClient, SqlSchema } from "@effect/sql"
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
const Counts = Schema.Struct({ sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })

/**
 * A bulletin's deliveries, in one statement, to the référents its inbox entries were just written for
 * (so the same people, once each however many chosen communities they are référent of): SMS to a
 * verified phone that did not opt out, e-mail to the address, as their preferences allow. A bulletin
 * from the mairie or the police is information the référent has to relay in time: it counts as
 * urgent, so 'urgent_only' receives it and quiet hours do not delay it; 'none' receives nothing.
 */
const deliverStatement = `
WITH referent AS (
  SELECT acc.id AS account_id, acc.phone, acc.email, acc.phone_verified,
         coalesce(p.sms, 'all') AS sms_preference, coalesce(p.email, 'all') AS email_preference,
         s.phone IS NOT NULL AS suppressed
  FROM referent_inbox i
  JOIN accounts acc ON acc.id = i.account_id
  LEFT JOIN notification_preferences p ON p.account_id = acc.id
  LEFT JOIN sms_suppressions s ON s.phone = acc.phone
  WHERE i.bulletin_id = $2::uuid AND acc.status = 'active'
), inserted AS (
  INSERT INTO deliveries (message_id, bulletin_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT $1::uuid, $2::uuid, r.account_id, ch.channel, ch.destination, $3::timestamptz, $3::timestamptz, $3::timestamptz
  FROM referent r
  CROSS JOIN LATERAL (VALUES
    ('sms', r.phone, r.sms_preference IN ('all', 'urgent_only') AND r.phone_verified AND r.phone IS NOT NULL AND NOT r.suppressed),
    ('email', r.email, r.email_preference IN ('all', 'urgent_only') AND r.email IS NOT NULL)
  ) AS ch (channel, destination, allowed)
  WHERE ch.allowed
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)
SELECT (count(*) FILTER (WHERE channel = 'sms'))::int AS sms,
       (count(*) FILTER (WHERE channel = 'email'))::int AS email
FROM inserted`

const toBulletin = (r: typeof BulletinRow.Type) =>
  new ReferentBulletin({ id: r.id, insee: r.insee, origin: r.origin, communityIds: r.community_ids, text: r.text, createdAt: r.created_at })

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
    send: (b, now) =>
      sql.withTransaction(Effect.gen(function*() {
        const rows = yield* sql`
INSERT INTO referent_bulletins (insee, author_id, origin, community_ids, text, created_at)
VALUES (${b.insee}, ${b.authorId}, ${b.origin}, ${b.communityIds}::uuid[], ${b.text}, ${DateTime.toDateUtc(now)})
RETURNING id, insee, origin, community_ids, text, created_at`
        const bulletin = toBulletin(yield* Schema.decodeUnknown(BulletinRow)(rows[0]))
        const [count] = yield* sql<{ n: number }>`
WITH delivered AS (
  INSERT INTO referent_inbox (account_id, bulletin_id, created_at)
  SELECT DISTINCT m.account_id, ${bulletin.id}::uuid, ${DateTime.toDateUtc(now)}::timestamptz
  FROM memberships m JOIN accounts a ON a.id = m.account_id
  WHERE m.community_id = ANY (${b.communityIds}::uuid[]) AND m.role = 'referent' AND m.status = 'verified'
    AND a.status = 'active'
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM delivered`
        const [message] = yield* sql<{ id: string }>`
INSERT INTO messages (bulletin_id, kind, created_at) VALUES (${bulletin.id}, 'bulletin', ${DateTime.toDateUtc(now)})
RETURNING id`
        const written = yield* sql.unsafe(deliverStatement, [message!.id, bulletin.id, DateTime.toDateUtc(now)]).pipe(
          Effect.flatMap((rows) => Schema.decodeUnknown(Counts)(rows[0]))
        )
        yield* sql`UPDATE referent_bulletins SET sms_segments = ${b.smsSegments}, billed_segments = ${written.sms * b.smsSegments}
                   WHERE id = ${bulletin.id}`
        return { bulletin, referents: count?.n ?? 0, ...written }
      })).pipe(mapFailures(), Effect.withSpan("PgReferentBulletins.send")),
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
