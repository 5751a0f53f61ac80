import { SqlClient, SqlSchema } from "@effect/sql"
import { MessageUuid } from "@vigie/domain/sms/InboundSms"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import type { ClaimedReply } from "@vigie/domain/sms/InboundSmsRepo"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const ClaimedRow = Schema.Struct({
  messageUuid: MessageUuid,
  to: PhoneE164,
  text: Schema.String,
  attempts: Schema.NonNegativeInt,
  status: Schema.Literal("sending", "cancelled")
})

const date = (at: DateTime.Utc) => DateTime.toDateUtc(at)

/** InboundSmsRepo on PostgreSQL (`inbound_sms`, `sms_reply_throttle`; migration 0006). */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const claimReplies = SqlSchema.findAll({
    Request: Schema.Any,
    Result: ClaimedRow,
    execute: ({ limit, leaseUntil, messageUuid, now }: {
      readonly now: Date
      readonly leaseUntil: Date
      readonly limit: number
      readonly messageUuid: string | null
    }) =>
      sql`
WITH due AS (
  SELECT message_uuid FROM inbound_sms
  WHERE reply_status IN ('pending', 'sending') AND reply_next_attempt_at <= ${now}
    AND (${messageUuid}::text IS NULL OR message_uuid = ${messageUuid}::text)
  ORDER BY reply_next_attempt_at
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED
), judged AS (
  SELECT due.message_uuid,
         i.reply_kind <> 'stopped' AND EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = i.reply_to) AS cancel
  FROM due JOIN inbound_sms i ON i.message_uuid = due.message_uuid
)
UPDATE inbound_sms i
SET reply_status = CASE WHEN j.cancel THEN 'cancelled' ELSE 'sending' END,
    reply_attempts = i.reply_attempts + CASE WHEN j.cancel THEN 0 ELSE 1 END,
    reply_next_attempt_at = CASE WHEN j.cancel THEN NULL ELSE ${leaseUntil}::timestamptz END,
    reply_error = CASE WHEN j.cancel THEN 'number suppressed before the reply was sent' ELSE i.reply_error END
FROM judged j
WHERE i.message_uuid = j.message_uuid
RETURNING i.message_uuid AS "messageUuid", i.reply_to AS "to", i.reply_text AS "text",
          i.reply_attempts AS "attempts", i.reply_status AS "status"`
  })

  return InboundSmsRepo.of({
    claim: (sms, now) =>
      sql<{ messageUuid: string }>`
INSERT INTO inbound_sms (message_uuid, from_number, to_number, text, type, received_at)
VALUES (${sms.messageUuid}, ${sms.from}, ${sms.to}, ${sms.text}, ${sms.type}, ${date(now)})
ON CONFLICT (message_uuid) DO NOTHING
RETURNING message_uuid AS "messageUuid"`.pipe(
        Effect.map((rows) => rows.length === 1),
        mapFailures(),
        Effect.withSpan("PgInboundSms.claim")
      ),

    settle: (messageUuid, settlement) => {
      const reply = Option.getOrNull(settlement.reply)
      return sql`
UPDATE inbound_sms
SET outcome = ${settlement.outcome},
    alert_id = ${Option.getOrNull(settlement.alertId)}::uuid,
    reply_kind = ${reply?.kind ?? null}::text,
    reply_to = ${reply?.to ?? null}::text,
    reply_text = ${reply?.text ?? null}::text,
    reply_status = CASE WHEN ${reply === null}::boolean THEN NULL ELSE 'pending' END,
    reply_next_attempt_at = CASE WHEN ${reply === null}::boolean THEN NULL ELSE received_at END
WHERE message_uuid = ${messageUuid}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgInboundSms.settle"))
    },

    allowReply: (phone, kind, now, window) =>
      sql`
INSERT INTO sms_reply_throttle (phone, kind, last_sent_at) VALUES (${phone}, ${kind}, ${date(now)})
ON CONFLICT (phone, kind) DO UPDATE SET last_sent_at = excluded.last_sent_at
WHERE sms_reply_throttle.last_sent_at <= excluded.last_sent_at - make_interval(secs => ${Duration.toSeconds(window)})
RETURNING 1 AS allowed`.pipe(
        Effect.map((rows) => rows.length === 1),
        mapFailures(),
        Effect.withSpan("PgInboundSms.allowReply")
      ),

    neighboursAlerted: (alertId) =>
      sql<{ n: number }>`
SELECT count(DISTINCT d.account_id)::int AS n
FROM messages m JOIN deliveries d ON d.message_id = m.id
WHERE m.alert_id = ${alertId} AND m.kind = 'alert'`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        mapFailures(),
        Effect.withSpan("PgInboundSms.neighboursAlerted")
      ),

    claimReplies: (options) =>
      claimReplies({
        now: date(options.now),
        leaseUntil: date(DateTime.addDuration(options.now, options.lease)),
        limit: options.limit,
        messageUuid: options.messageUuid ?? null
      }).pipe(
        Effect.map((rows) =>
          rows.flatMap((row): Array<ClaimedReply> =>
            row.status === "sending" ? [{ messageUuid: row.messageUuid, to: row.to, text: row.text, attempts: row.attempts }] : []
          )
        ),
        mapFailures(),
        Effect.withSpan("PgInboundSms.claimReplies")
      ),

    markReplySent: (messageUuid, providerId, now) =>
      sql`
UPDATE inbound_sms
SET reply_status = 'sent', reply_provider_id = ${providerId}, reply_sent_at = ${date(now)},
    reply_next_attempt_at = NULL, reply_error = NULL
WHERE message_uuid = ${messageUuid} AND reply_status = 'sending'`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgInboundSms.markReplySent")
      ),

    markReplyFailed: (messageUuid, error, _now, retryAt) =>
      sql`
UPDATE inbound_sms
SET reply_status = ${Option.isSome(retryAt) ? "pending" : "failed"},
    reply_next_attempt_at = ${Option.getOrNull(Option.map(retryAt, date))}::timestamptz,
    reply_error = ${error}
WHERE message_uuid = ${messageUuid} AND reply_status = 'sending'`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgInboundSms.markReplyFailed")
      )
  })
})

export const layer = Layer.effect(InboundSmsRepo, make)
