import { SqlClient, SqlSchema } from "@effect/sql"
import { MessageId } from "@vigie/domain/delivery/Delivery"
import type { MessageSubject } from "@vigie/domain/delivery/Delivery"
import { Outbox } from "@vigie/domain/delivery/Outbox"
import type { AudienceMessage, PlannedMessage } from "@vigie/domain/delivery/Outbox"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { audienceMessage, chosenCtes, plannedCtes, scopeCte, scopeIdsSelect } from "./FanOutPlan"
import { mapFailures } from "./SqlFailure"

/**
 * Where a subject is stored: messages and deliveries name it in one column per kind of subject (an
 * alert for the alerts' messages, a bulletin for the mairie's). The only place that maps subjects to
 * the storage; moderation notices are written by their own port.
 */
const subjectColumn = (kind: string): "alert_id" | "bulletin_id" => {
  switch (kind) {
    case "alert":
    case "followup":
    case "closing":
      return "alert_id"
    case "bulletin":
      return "bulletin_id"
    default:
      throw new Error(`the outbox stores no message of kind "${kind}"`)
  }
}

const column = (subject: MessageSubject) => Effect.try(() => subjectColumn(subject.kind)).pipe(Effect.orDie)

const Counts = Schema.Struct({ sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })
const AudienceCounts = Schema.Struct({ ...Counts.fields, voice: Schema.NonNegativeInt })
const MessageRow = Schema.Struct({ id: MessageId })
const ScopeIds = Schema.Struct({ ids: Schema.Array(Schema.String) })
const CopyResult = Schema.Struct({
  id: Schema.NullOr(MessageId),
  sms: Schema.NonNegativeInt,
  email: Schema.NonNegativeInt
})

/** The `alert` CTE of an AudienceMessage: $1..$7 (author, urgency, scope kind, community, commune, subset, now). */
const audienceCte = audienceMessage({
  authorId: "$1",
  urgency: "$2",
  scopeKind: "$3",
  communityId: "$4",
  insee: "$5",
  communityIds: "$6",
  now: "$7"
})

const audienceParams = (message: AudienceMessage, now: DateTime.Utc) => {
  const a = message.audience
  return [
    message.authorId,
    message.priority,
    a._tag === "Community" ? "community" : "commune",
    a._tag === "Community" ? a.communityId : null,
    a._tag === "Commune" ? a.insee : null,
    a._tag === "Commune" ? Option.getOrNull(a.communityIds) : null,
    DateTime.toDateUtc(now)
  ]
}

const countsOf = `
SELECT (count(*) FILTER (WHERE channel = 'sms'))::int AS sms,
       (count(*) FILTER (WHERE channel = 'email'))::int AS email`

/** The communities in scope of a message (FanOutPlan's `scope`), the first step of a count or a fan-out. */
const scopeStatement = `WITH ${audienceCte}, ${scopeCte} ${scopeIdsSelect}`

/**
 * Recipients per channel of a message not written yet, the fan-out's CTEs counted in the same pass
 * (one statement): SMS, e-mail, and the voice calls the fan-out would place on the voice channel (its
 * `planned` rows: urgent messages, `voice_urgent`, a verified phone or a paper landline, once per
 * account). $8 the scope.
 */
const countStatement = `WITH ${audienceCte}, ${plannedCtes("$8::uuid[]")}${countsOf},
       (count(*) FILTER (WHERE channel = 'voice'))::int AS voice FROM planned`

/**
 * The deliveries of a message, planned and written by ONE `INSERT ... SELECT` with exactly the rules
 * of the domain's `recipients` (delivery/FanOut.ts), as FanOutPlan's CTEs write them (the preview
 * counts with the same CTEs):
 * - scope: the audience's community, or the communities of its commune (all, or the chosen subset),
 *   active ones only (an archived community receives nothing);
 * - verified memberships in scope, of active accounts, one row per account whatever the number of
 *   memberships (a semi-join), never the author;
 * - preferences per channel, `all` when the account has no row; SMS needs a verified phone that is
 *   not suppressed, e-mail an address;
 * - `next_attempt_at` (notBefore): `now` for urgent messages; for info ones, when the local minute of
 *   `now` in Europe/Paris falls in the quiet hours (start inclusive, end exclusive, start = end means
 *   none, start > end wraps over midnight), the start of the current UTC minute plus the minutes left
 *   until their end, as `releaseTime` counts them.
 * `ON CONFLICT DO NOTHING` on the unique (message, account, channel) key makes it idempotent. `now` is
 * a parameter, never the server clock. Rows are inserted in the order of the unique key: the new
 * entries of `deliveries_once` and `deliveries_account` then land page after page instead of at random
 * over indexes larger than the buffer cache (a 519,000-row insert into the national bench's table:
 * 12 % faster sorted, sort included, in two interleaved pairs). $8 the message, $9 the subject, $10 the channels, $11 the
 * communities in scope (`scopeStatement`, in the same transaction).
 */
const fanOutStatement = (col: string) => `
WITH ${audienceCte}, ${plannedCtes("$11::uuid[]")}, inserted AS (
  INSERT INTO deliveries (message_id, ${col}, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT $8::uuid, $9::uuid, p.account_id, p.channel, p.destination, p.not_before, a.now, a.now
  FROM planned p CROSS JOIN alert a
  WHERE p.channel = ANY ($10::text[])
  ORDER BY p.account_id, p.channel
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)${countsOf} FROM inserted`

/** The `alert` CTE of a message to chosen accounts: only its priority ($2) and clock ($3) are read. */
const chosenCte = audienceMessage({
  authorId: "NULL",
  urgency: "$2",
  scopeKind: "NULL",
  communityId: "NULL",
  insee: "NULL",
  communityIds: "NULL",
  now: "$3"
})

/**
 * The deliveries of a message to chosen accounts, by the fan-out's channel rules (preferences for the
 * priority, verified and unsuppressed phone, quiet hours): $1 the accounts, $4 the message, $5 the subject.
 */
const directStatement = (col: string) => `
WITH ${chosenCte}, ${chosenCtes("$1::uuid[]")}, inserted AS (
  INSERT INTO deliveries (message_id, ${col}, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT $4::uuid, $5::uuid, p.account_id, p.channel, p.destination, p.not_before, a.now, a.now
  FROM planned p CROSS JOIN alert a
  WHERE p.channel <> 'voice'
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)${countsOf} FROM inserted`

/**
 * A message to those who got an earlier one, and its deliveries, in ONE statement: the message row is
 * written only when someone is to receive it and no such message exists (the unique indexes of
 * messages: one closing per alert, one follow-up per original), and its deliveries copy (account,
 * channel, destination) from the deliveries of the earlier message ($1 subject, $2 kind) that did not
 * end failed or dead, nor were cancelled or wiped by an erasure (empty destination), leaving out the accounts of $6 and SMS to numbers suppressed since (STOP). A
 * delivery still held for quiet hours keeps its time, so the new message never overtakes the first.
 * $3 the new message's subject, $4 its kind, $5 now. Returns the message id (NULL when none was
 * written) and counts per channel.
 */
const copyStatement = (fromCol: string, col: string) => `
WITH source AS (
  SELECT d.account_id, d.channel, d.destination, d.next_attempt_at
  FROM messages m
  JOIN deliveries d ON d.message_id = m.id
  WHERE m.${fromCol} = $1 AND m.kind = $2
    AND d.status NOT IN ('failed', 'dead', 'cancelled', 'withheld')
    AND d.destination <> ''
    AND d.account_id <> ALL ($6::uuid[])
    AND d.channel <> 'voice'
    AND NOT (d.channel = 'sms' AND EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = d.destination))
), message AS (
  INSERT INTO messages (${col}, kind, created_at)
  SELECT $3::uuid, $4::text, $5::timestamptz
  WHERE EXISTS (SELECT 1 FROM source)
  ON CONFLICT DO NOTHING
  RETURNING id
), inserted AS (
  INSERT INTO deliveries (message_id, ${col}, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT message.id, $3::uuid, s.account_id, s.channel, s.destination, greatest(s.next_attempt_at, $5::timestamptz),
         $5::timestamptz, $5::timestamptz
  FROM source s CROSS JOIN message
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)
SELECT (SELECT id FROM message) AS id,
       (count(*) FILTER (WHERE channel = 'sms'))::int AS sms,
       (count(*) FILTER (WHERE channel = 'email'))::int AS email
FROM inserted`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /** The message of a subject: created once, found afterwards (also when another process created it). */
  const messageOf = SqlSchema.single({
    Request: Schema.Struct({ subject: Schema.String, kind: Schema.String, now: Schema.DateTimeUtcFromDate }),
    Result: MessageRow,
    execute: ({ kind, now, subject }) => {
      const col = sql.literal(subjectColumn(kind))
      const found = sql`SELECT id FROM messages WHERE ${col} = ${subject}::uuid AND kind = ${kind}`
      return sql`
WITH created AS (
  INSERT INTO messages (${col}, kind, created_at) VALUES (${subject}::uuid, ${kind}, ${now})
  ON CONFLICT DO NOTHING
  RETURNING id
)
SELECT id FROM created
UNION ALL
SELECT id FROM messages WHERE ${col} = ${subject}::uuid AND kind = ${kind}`.pipe(
        Effect.flatMap((rows) => rows.length > 0 ? Effect.succeed(rows) : found)
      )
    }
  })

  const planned = (statement: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe(statement, params).pipe(Effect.flatMap((rows) => Schema.decodeUnknown(Counts)(rows[0])))

  /** The communities in scope of `message`, resolved first so that the planner sees them (FanOutPlan). */
  const scopeOf = (params: ReadonlyArray<unknown>) =>
    sql.unsafe(scopeStatement, params).pipe(
      Effect.flatMap((rows) => Schema.decodeUnknown(ScopeIds)(rows[0])),
      Effect.map((row) => row.ids)
    )

  return Outbox.of({
    fanOut: (subject, message, now, channels = ["sms", "email", "voice"]) =>
      Effect.gen(function*() {
        const col = yield* column(subject)
        const { id } = yield* messageOf({ subject: subject.id, kind: subject.kind, now })
        const params = audienceParams(message, now)
        const scope = yield* scopeOf(params)
        const counts = yield* planned(fanOutStatement(col), [...params, id, subject.id, channels, scope])
        return { messageId: id, ...counts }
      }).pipe(mapFailures(), Effect.withSpan("PgOutbox.fanOut", { attributes: { kind: subject.kind } })),
    count: (message, now) =>
      Effect.gen(function*() {
        const params = audienceParams(message, now)
        const scope = yield* scopeOf(params)
        const rows = yield* sql.unsafe(countStatement, [...params, scope])
        return yield* Schema.decodeUnknown(AudienceCounts)(rows[0])
      }).pipe(mapFailures(), Effect.withSpan("PgOutbox.count")),
    copyRecipients: (from, subject, excluded, now) =>
      Effect.gen(function*() {
        const fromCol = yield* column(from)
        const col = yield* column(subject)
        const rows = yield* sql.unsafe(copyStatement(fromCol, col), [
          from.id,
          from.kind,
          subject.id,
          subject.kind,
          DateTime.toDateUtc(now),
          excluded
        ])
        const r = yield* Schema.decodeUnknown(CopyResult)(rows[0])
        return r.id === null
          ? Option.none<PlannedMessage>()
          : Option.some({ messageId: r.id, sms: r.sms, email: r.email })
      }).pipe(mapFailures(), Effect.withSpan("PgOutbox.copyRecipients", { attributes: { kind: subject.kind } })),
    direct: (subject, recipients, priority, now) =>
      Effect.gen(function*() {
        const col = yield* column(subject)
        const { id } = yield* messageOf({ subject: subject.id, kind: subject.kind, now })
        const counts = yield* planned(directStatement(col), [
          recipients,
          priority,
          DateTime.toDateUtc(now),
          id,
          subject.id
        ])
        return { messageId: id, ...counts }
      }).pipe(mapFailures(), Effect.withSpan("PgOutbox.direct", { attributes: { kind: subject.kind } }))
  })
})

export const layer: Layer.Layer<Outbox, never, SqlClient.SqlClient> = Layer.effect(Outbox, make)
