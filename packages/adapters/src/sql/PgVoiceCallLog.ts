import { SqlClient, SqlSchema } from "@effect/sql"
import { StoredVoiceCall, VoiceCallLog, VoiceCallStatus } from "@vigie/domain/channels/VoiceCallLog"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Row = Schema.Struct({
  reference: Schema.String,
  destination: PhoneE164,
  text: Schema.String,
  digits: Schema.NullOr(Schema.String),
  outbox: Schema.Boolean,
  provider_id: Schema.NullOr(Schema.String),
  status: VoiceCallStatus,
  pressed: Schema.NullOr(Schema.String),
  created_at: Schema.DateTimeUtcFromDate,
  updated_at: Schema.DateTimeUtcFromDate
})

const FromRow = Schema.transform(Row, Schema.typeSchema(StoredVoiceCall), {
  strict: true,
  decode: (row) =>
    new StoredVoiceCall({
      reference: row.reference,
      to: row.destination,
      text: row.text,
      digits: Option.fromNullable(row.digits),
      outbox: row.outbox,
      providerId: Option.fromNullable(row.provider_id),
      status: row.status,
      pressed: Option.fromNullable(row.pressed),
      createdAt: row.created_at,
      updatedAt: row.updated_at
    }, true),
  encode: () => {
    throw new Error("voice calls are never encoded to rows")
  }
})

const columns = `reference, destination, text, digits, outbox, provider_id, status, pressed, created_at, updated_at`

/** The voice calls placed, in `voice_calls` (migration 0039). */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const at = (now: DateTime.Utc) => DateTime.toDateUtc(now)

  const find = SqlSchema.findOne({
    Request: Schema.String,
    Result: FromRow,
    execute: (reference) => sql.unsafe(`SELECT ${columns} FROM voice_calls WHERE reference = $1`, [reference])
  })
  const latest = SqlSchema.findAll({
    Request: Schema.Int,
    Result: FromRow,
    execute: (limit) =>
      sql.unsafe(`SELECT ${columns} FROM voice_calls ORDER BY updated_at DESC, reference LIMIT $1`, [limit])
  })

  return VoiceCallLog.of({
    placing: (call, outbox, now) =>
      sql`
INSERT INTO voice_calls (reference, destination, text, digits, outbox, status, created_at, updated_at)
VALUES (${call.reference}, ${call.to}, ${call.text}, ${call.digits ?? null}, ${outbox}, 'placing', ${at(now)}, ${
        at(now)
      })
ON CONFLICT (reference) DO UPDATE SET destination = excluded.destination, text = excluded.text,
  digits = excluded.digits, outbox = excluded.outbox, provider_id = NULL, status = 'placing', pressed = NULL,
  detail = NULL, updated_at = excluded.updated_at`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgVoiceCallLog.placing")
      ),
    placed: (reference, providerId, now) =>
      sql`UPDATE voice_calls SET provider_id = ${providerId}, updated_at = ${at(now)},
  status = CASE WHEN status = 'placing' THEN 'placed' ELSE status END
WHERE reference = ${reference}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgVoiceCallLog.placed")),
    failed: (reference, reason, now) =>
      sql`UPDATE voice_calls SET status = 'failed', detail = ${reason.slice(0, 300)}, updated_at = ${at(now)}
WHERE reference = ${reference}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgVoiceCallLog.failed")),
    find: (reference) => find(reference).pipe(mapFailures(), Effect.withSpan("PgVoiceCallLog.find")),
    answered: (reference, now) =>
      sql`UPDATE voice_calls SET status = 'answered', updated_at = ${at(now)}
WHERE reference = ${reference} AND status IN ('placing', 'placed')`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgVoiceCallLog.answered")
      ),
    pressed: (reference, digits, now) =>
      sql`UPDATE voice_calls SET pressed = ${digits.slice(0, 20)}, updated_at = ${at(now)},
  status = CASE WHEN status IN ('placing', 'placed') THEN 'answered' ELSE status END
WHERE reference = ${reference}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgVoiceCallLog.pressed")),
    ended: (reference, status, detail, now) =>
      sql`UPDATE voice_calls SET status = ${status}, detail = ${detail.slice(0, 300)}, updated_at = ${at(now)}
WHERE reference = ${reference}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgVoiceCallLog.ended")),
    latest: (limit) => latest(limit).pipe(mapFailures(), Effect.withSpan("PgVoiceCallLog.latest"))
  })
})

export const layer: Layer.Layer<VoiceCallLog, never, SqlClient.SqlClient> = Layer.effect(VoiceCallLog, make)
