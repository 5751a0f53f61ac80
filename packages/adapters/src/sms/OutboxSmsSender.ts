import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { SMS_BATCH_LIMIT, SmsSender, SmsUnavailable } from "@vigie/domain/channels/SmsSender"
import type { SmsBatch, SmsReceipt, SmsRejected } from "@vigie/domain/channels/SmsSender"
import { Effect, Layer, Schema } from "effect"

/** One SMS as the dev inbox shows it. */
export class SmsOutboxEntry extends Schema.Class<SmsOutboxEntry>("SmsOutboxEntry")({
  providerId: Schema.String,
  destination: Schema.String,
  text: Schema.String,
  createdAt: Schema.DateTimeUtcFromDate
}) {}

/**
 * Keeps every message in `sms_outbox` instead of sending it (development, demos, tests); the dev
 * inbox reads them back. Provider ids are `outbox-sms-<n>`.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const send = (batch: SmsBatch): Effect.Effect<SmsReceipt, SmsRejected | SmsUnavailable> => {
    if (batch.destinations.length === 0) return Effect.succeed({ accepted: [] })
    if (batch.destinations.length > SMS_BATCH_LIMIT) {
      return Effect.die(new RangeError(`an SMS batch holds at most ${SMS_BATCH_LIMIT} destinations`))
    }
    return sql<{ id: string; providerId: string }>`
INSERT INTO sms_outbox (destination, text)
SELECT d.value, ${batch.text}
FROM jsonb_array_elements_text(${JSON.stringify(batch.destinations)}::jsonb) WITH ORDINALITY AS d(value, ord)
ORDER BY d.ord
RETURNING id::text AS id, provider_id AS "providerId"`.pipe(
      Effect.map((rows) => {
        // Ids come from one sequence, drawn in destination order.
        const ordered = [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        return {
          accepted: batch.destinations.map((destination, i) => ({ destination, providerId: ordered[i]!.providerId }))
        }
      }),
      Effect.catchTag("SqlError", (error) => new SmsUnavailable({ reason: `outbox: ${error.message}` })),
      Effect.withSpan("OutboxSmsSender.send", { attributes: { destinations: batch.destinations.length } })
    )
  }

  return SmsSender.of({ send })
})

export const layer: Layer.Layer<SmsSender, never, SqlClient.SqlClient> = Layer.effect(SmsSender, make)

/** The latest `limit` messages of the outbox, newest first, for the dev inbox. */
export const listSmsOutbox = (
  limit: number
): Effect.Effect<ReadonlyArray<SmsOutboxEntry>, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* SqlSchema.findAll({
      Request: Schema.Int,
      Result: SmsOutboxEntry,
      execute: (limit) =>
        sql`SELECT provider_id AS "providerId", destination, text, created_at AS "createdAt"
FROM sms_outbox ORDER BY id DESC LIMIT ${limit}`
    })(limit)
  }).pipe(
    Effect.catchTag("ParseError", Effect.die),
    Effect.withSpan("OutboxSmsSender.list")
  )
