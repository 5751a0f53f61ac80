import { SqlClient } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { DeliveryId, MessageId } from "@vigie/domain/delivery/Delivery"
import { ClaimedDelivery, DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import type { Claim } from "@vigie/domain/delivery/DeliveryRepo"
import { DeliveryChannel } from "@vigie/domain/delivery/NotificationPreferences"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const ClaimedRow = Schema.Struct({
  id: DeliveryId,
  attempts: Schema.Int,
  message_id: MessageId,
  kind: Schema.NonEmptyString,
  subject_id: Schema.String,
  account_id: AccountId,
  channel: DeliveryChannel,
  destination: Schema.String,
  body: Schema.NullOr(Schema.String)
})
const decodeClaimed = Schema.decodeUnknown(Schema.Array(ClaimedRow))

const toClaimed = (row: typeof ClaimedRow.Type): ClaimedDelivery =>
  new ClaimedDelivery({
    id: row.id,
    attempts: row.attempts,
    messageId: row.message_id,
    subject: { kind: row.kind, id: row.subject_id },
    accountId: row.account_id,
    channel: row.channel,
    destination: row.destination,
    body: Option.fromNullable(row.body)
  }, true)

/**
 * Claims due rows in one statement. While a row is `sending`, its `next_attempt_at` is the end of its
 * lease (as is `lease_expires_at`), so "due" is one range over the `deliveries_claim` index for both
 * pending rows and expired leases, and a worker that died gives its rows back by itself. `FOR UPDATE
 * SKIP LOCKED` lets any number of workers claim at once without waiting on each other or sharing a row.
 * The subject of a message is its kind and the one subject column it fills (an alert, a bulletin or
 * a moderation decision, `messages_one_subject`); the texts are loaded by the kind's renderer.
 */
const claimStatement = `
WITH due AS (
  SELECT id FROM deliveries
  WHERE channel = $1 AND status IN ('pending', 'sending') AND next_attempt_at <= $2
  ORDER BY next_attempt_at
  LIMIT $3
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE deliveries d
  SET status = 'sending', attempts = d.attempts + 1, lease_expires_at = $4, next_attempt_at = $4, updated_at = $2
  FROM due
  WHERE d.id = due.id
  RETURNING d.id, d.attempts, d.message_id, d.account_id, d.channel, d.destination
)
SELECT c.id::text AS id, c.attempts, c.message_id, m.kind,
       coalesce(m.alert_id, m.bulletin_id, m.audit_id, m.community_change_id, m.proposal_id, m.gazette_post_id,
                m.gazette_digest_id, m.conversation_id, m.veille_id)::text AS subject_id,
       c.account_id, c.channel, c.destination, m.body
FROM claimed c
JOIN messages m ON m.id = c.message_id
ORDER BY c.id`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const count = (statement: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe<{ n: number }>(statement, params).pipe(Effect.map((rows) => rows[0]?.n ?? 0))

  const ids = (claims: ReadonlyArray<Claim>) => claims.map((c) => c.id)
  const attempts = (claims: ReadonlyArray<Claim>) => claims.map((c) => c.attempts)
  const at = (now: DateTime.Utc) => DateTime.toDateUtc(now)

  const withError =
    (status: "failed" | "dead", name: string) =>
    (rows: ReadonlyArray<Claim & { readonly error: string }>, now: DateTime.Utc) =>
      rows.length === 0 ? Effect.succeed(0) : count(
        `
WITH changed AS (
  UPDATE deliveries d
  SET status = '${status}', last_error = u.error, lease_expires_at = NULL, updated_at = $1
  FROM unnest($2::bigint[], $3::int[], $4::text[]) AS u (id, attempts, error)
  WHERE d.id = u.id AND d.attempts = u.attempts AND d.status = 'sending'
  RETURNING 1
)
SELECT count(*)::int AS n FROM changed`,
        [at(now), ids(rows), attempts(rows), rows.map((r) => r.error.slice(0, 1000))]
      ).pipe(mapFailures(), Effect.withSpan(`PgDeliveryRepo.${name}`, { attributes: { rows: rows.length } }))

  return DeliveryRepo.of({
    claim: (channel, limit, now, leaseUntil) =>
      sql.unsafe(claimStatement, [channel, at(now), limit, at(leaseUntil)]).pipe(
        Effect.flatMap(decodeClaimed),
        Effect.map((rows) => rows.map(toClaimed)),
        mapFailures(),
        Effect.withSpan("PgDeliveryRepo.claim", { attributes: { channel, limit } })
      ),
    // The lease ends at `next_attempt_at` too (see the claim), so both move; `updated_at` stays the
    // time of the claim or the outcome. A lease that lapsed but that nobody took back (same attempts)
    // is still this claim's and may be extended: a claim by another worker changes `attempts` under
    // the row lock, so the two never both win.
    renew: (claims, leaseUntil) =>
      claims.length === 0 ? Effect.succeed([]) : sql.unsafe<{ id: string }>(
        `
UPDATE deliveries d
SET lease_expires_at = $1, next_attempt_at = $1
FROM unnest($2::bigint[], $3::int[]) AS u (id, attempts)
WHERE d.id = u.id AND d.attempts = u.attempts AND d.status = 'sending'
RETURNING d.id::text AS id`,
        [at(leaseUntil), ids(claims), attempts(claims)]
      ).pipe(
        Effect.map((rows) => rows.map((r) => r.id as DeliveryId)),
        mapFailures(),
        Effect.withSpan("PgDeliveryRepo.renew", { attributes: { rows: claims.length } })
      ),
    markSent: (sent, now) =>
      sent.length === 0 ? Effect.succeed(0) : count(
        `
WITH changed AS (
  UPDATE deliveries d
  SET status = 'sent', provider_id = u.provider_id, last_error = NULL, lease_expires_at = NULL, updated_at = $1
  FROM unnest($2::bigint[], $3::int[], $4::text[]) AS u (id, attempts, provider_id)
  WHERE d.id = u.id AND d.attempts = u.attempts AND d.status = 'sending'
  RETURNING 1
)
SELECT count(*)::int AS n FROM changed`,
        [at(now), ids(sent), attempts(sent), sent.map((s) => s.providerId)]
      ).pipe(mapFailures(), Effect.withSpan("PgDeliveryRepo.markSent", { attributes: { rows: sent.length } })),
    markRetry: (retry, now) =>
      retry.length === 0 ? Effect.succeed(0) : count(
        `
WITH changed AS (
  UPDATE deliveries d
  SET status = 'pending', next_attempt_at = u.next_attempt_at, last_error = u.error, lease_expires_at = NULL,
      updated_at = $1
  FROM unnest($2::bigint[], $3::int[], $4::timestamptz[], $5::text[]) AS u (id, attempts, next_attempt_at, error)
  WHERE d.id = u.id AND d.attempts = u.attempts AND d.status = 'sending'
  RETURNING 1
)
SELECT count(*)::int AS n FROM changed`,
        [
          at(now),
          ids(retry),
          attempts(retry),
          retry.map((r) => DateTime.formatIso(r.at)),
          retry.map((r) => r.error.slice(0, 1000))
        ]
      ).pipe(mapFailures(), Effect.withSpan("PgDeliveryRepo.markRetry", { attributes: { rows: retry.length } })),
    markFailed: withError("failed", "markFailed"),
    markDead: withError("dead", "markDead")
  })
})

export const layer: Layer.Layer<DeliveryRepo, never, SqlClient.SqlClient> = Layer.effect(DeliveryRepo, make)
