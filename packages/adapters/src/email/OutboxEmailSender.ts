import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { EMAIL_BATCH_LIMIT, EmailSender, EmailUnavailable } from "@vigie/domain/channels/EmailSender"
import type { EmailMessage, EmailOutcome } from "@vigie/domain/channels/EmailSender"
import { Effect, Layer, Schema } from "effect"

/** One e-mail as the dev inbox shows it. */
export class EmailOutboxEntry extends Schema.Class<EmailOutboxEntry>("EmailOutboxEntry")({
  providerId: Schema.String,
  destination: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  html: Schema.String,
  createdAt: Schema.DateTimeUtcFromDate
}) {}

/**
 * Keeps every e-mail in `email_outbox` instead of sending it (development, demos, tests); every
 * message is Accepted with a provider id `outbox-email-<n>`.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const send = (batch: ReadonlyArray<EmailMessage>): Effect.Effect<ReadonlyArray<EmailOutcome>, EmailUnavailable> => {
    if (batch.length === 0) return Effect.succeed([])
    if (batch.length > EMAIL_BATCH_LIMIT) {
      return Effect.die(new RangeError(`an e-mail batch holds at most ${EMAIL_BATCH_LIMIT} messages`))
    }
    return sql<{ id: string; providerId: string }>`
INSERT INTO email_outbox (destination, subject, text, html)
SELECT m.value->>'to', m.value->>'subject', m.value->>'text', m.value->>'html'
FROM jsonb_array_elements(${JSON.stringify(batch)}::jsonb) WITH ORDINALITY AS m(value, ord)
ORDER BY m.ord
RETURNING id::text AS id, provider_id AS "providerId"`.pipe(
      Effect.map((rows) => {
        // Ids come from one sequence, drawn in message order.
        const ordered = [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        return batch.map((message, i): EmailOutcome => ({
          _tag: "Accepted",
          to: message.to,
          providerId: ordered[i]!.providerId
        }))
      }),
      Effect.catchTag("SqlError", (error) => new EmailUnavailable({ reason: `outbox: ${error.message}` })),
      Effect.withSpan("OutboxEmailSender.send", { attributes: { messages: batch.length } })
    )
  }

  return EmailSender.of({ send })
})

export const layer: Layer.Layer<EmailSender, never, SqlClient.SqlClient> = Layer.effect(EmailSender, make)

/** The latest `limit` e-mails of the outbox, newest first, for the dev inbox. */
export const listEmailOutbox = (
  limit: number
): Effect.Effect<ReadonlyArray<EmailOutboxEntry>, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* SqlSchema.findAll({
      Request: Schema.Int,
      Result: EmailOutboxEntry,
      execute: (limit) =>
        sql`SELECT provider_id AS "providerId", destination, subject, text, html, created_at AS "createdAt"
FROM email_outbox ORDER BY id DESC LIMIT ${limit}`
    })(limit)
  }).pipe(
    Effect.catchTag("ParseError", Effect.die),
    Effect.withSpan("OutboxEmailSender.list")
  )
