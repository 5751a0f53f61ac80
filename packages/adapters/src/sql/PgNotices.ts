import { SqlClient, SqlSchema } from "@effect/sql"
import { Notices } from "@vigie/domain/delivery/Notices"
import type { HeldSubject, Notice } from "@vigie/domain/delivery/Notices"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Counts = Schema.Struct({ sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })
const Count = Schema.Struct({ n: Schema.NonNegativeInt })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /** The notice and its deliveries in one statement; no message when no recipient can receive it. */
  const notify = SqlSchema.single({
    Request: Schema.Any,
    Result: Counts,
    execute: ({ at, notice }: { readonly notice: Notice; readonly at: Date }) => {
      const [kind, subject] = notice.decision === "community_change"
        ? ["community_notice", "community_change_id"]
        : notice.decision === "community_proposal"
        ? ["proposal_notice", "proposal_id"]
        : notice.decision === "gazette"
        ? ["gazette_notice", "gazette_post_id"]
        : notice.decision === "gazette_activity"
        ? ["gazette_activity", "gazette_post_id"]
        : notice.decision === "conversation"
        ? ["conversation_notice", "conversation_id"]
        : ["notice", "audit_id"]
      const column = sql.literal(subject)
      return sql`
WITH target AS (
  SELECT ac.id, ac.email, ac.phone, ac.phone_verified FROM accounts ac
  WHERE ac.id = ANY (${notice.accountIds}::uuid[]) AND ac.status <> 'erased'
), dest AS (
  SELECT t.id AS account_id, 'sms'::text AS channel, t.phone AS destination FROM target t
  WHERE 'sms' = ANY (${notice.channels}::text[]) AND t.phone_verified AND t.phone IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = t.phone)
  UNION ALL
  SELECT t.id, 'email', t.email FROM target t WHERE 'email' = ANY (${notice.channels}::text[]) AND t.email IS NOT NULL
), message AS (
  INSERT INTO messages (kind, ${column}, body, created_at)
  SELECT ${kind}::text, ${notice.decisionId}::uuid, ${notice.body}::text, ${at}::timestamptz WHERE EXISTS (SELECT 1 FROM dest)
  RETURNING id
), inserted AS (
  INSERT INTO deliveries (message_id, ${column}, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT message.id, ${notice.decisionId}::uuid, d.account_id, d.channel, d.destination, ${at}::timestamptz,
         ${at}::timestamptz, ${at}::timestamptz
  FROM dest d CROSS JOIN message
  RETURNING channel
)
SELECT count(*) FILTER (WHERE channel = 'sms')::int AS sms, count(*) FILTER (WHERE channel = 'email')::int AS email
FROM inserted`
    }
  })

  const withhold = SqlSchema.single({
    Request: Schema.Any,
    Result: Count,
    execute: ({ at, subject }: { readonly subject: HeldSubject; readonly at: Date }) =>
      sql`
WITH withheld AS (
  UPDATE deliveries SET status = 'withheld', lease_expires_at = NULL, updated_at = ${at}
  WHERE alert_id = ${subject.id} AND status = 'pending'
  RETURNING 1
)
SELECT count(*)::int AS n FROM withheld`
  })

  const release = SqlSchema.single({
    Request: Schema.Any,
    Result: Counts,
    execute: ({ at, subject }: { readonly subject: HeldSubject; readonly at: Date }) =>
      sql`
WITH released AS (
  UPDATE deliveries SET status = 'pending', next_attempt_at = greatest(next_attempt_at, ${at}), updated_at = ${at}
  WHERE alert_id = ${subject.id} AND status = 'withheld'
  RETURNING channel
)
SELECT count(*) FILTER (WHERE channel = 'sms')::int AS sms, count(*) FILTER (WHERE channel = 'email')::int AS email
FROM released`
  })

  return Notices.of({
    notify: (notice, at) =>
      notice.accountIds.length === 0
        ? Effect.succeed({ sms: 0, email: 0 })
        : notify({ notice, at: DateTime.toDateUtc(at) }).pipe(mapFailures(), Effect.withSpan("PgNotices.notify")),
    withhold: (subject, at) =>
      withhold({ subject, at: DateTime.toDateUtc(at) }).pipe(
        Effect.map((r) => r.n),
        mapFailures(),
        Effect.withSpan("PgNotices.withhold")
      ),
    release: (subject, at) =>
      release({ subject, at: DateTime.toDateUtc(at) }).pipe(mapFailures(), Effect.withSpan("PgNotices.release"))
  })
})

export const layer = Layer.effect(Notices, make)
