import { SqlClient, SqlSchema } from "@effect/sql"
import { MessageUuid } from "@vigie/domain/sms/InboundSms"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import type {
  ClaimedReply,
  InboxClaim,
  InboxEntry,
  ReplyThrottle,
  SenderFacts,
  Settlement
} from "@vigie/domain/sms/InboundSmsRepo"
import { InboundSms } from "@vigie/domain/sms/InboundSms"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import type { Array as Arr } from "effect"
import { DateTime, Duration, Effect, Exit, Layer, Option, Schema } from "effect"
import { acrossFibers } from "./AcrossFibers"
import { AccountFromRow, selectAccount } from "./PgAccountRepo"
import { MembershipFromRow } from "./PgMembershipRepo"
import { mapFailures } from "./SqlFailure"

const membershipColumns = ["id", "account_id", "community_id", "role", "status", "home", "address_line1",
  "address_line2", "postcode", "city", "lon", "lat", "created_at", "verified_at"]

/**
 * The sender's facts: one row per membership of the account holding the number (one row with nulls
 * when there is none), the account's columns and the suppression repeated on each. `claimed` tells
 * whether the statement's lock found the message still this worker's (true when it locks nothing).
 */
const senderSql = (phone: string, claimed: string) => `
SELECT ${claimed} AS claimed,
       EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = ${phone}) AS suppressed,
       acc.*, ${membershipColumns.map((c) => `m.${c} AS m_${c}`).join(", ")}
FROM (SELECT 1) one
LEFT JOIN (${selectAccount} WHERE a.phone = ${phone}) acc ON true
LEFT JOIN memberships m ON m.account_id = acc.id
ORDER BY m.home DESC, m.created_at, m.id`

/**
 * The lock of a claimed message and the sender's facts in one statement: `claimed` is whether the
 * message is still leased by this claim (then locked until the transaction ends).
 */
const lockSql = `
WITH mine AS (
  SELECT 1 FROM inbound_sms
  WHERE message_uuid = $1 AND handling = 'handling' AND handle_attempts = $2
  FOR UPDATE
)
${senderSql("$3::text", "EXISTS (SELECT 1 FROM mine)")}`

/** The facts of several numbers at once, rows ordered by number (`number`), as in `senderSql`. */
const factsSql = `
SELECT p.phone AS number, true AS claimed,
       EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = p.phone) AS suppressed,
       acc.*, ${membershipColumns.map((c) => `m.${c} AS m_${c}`).join(", ")}
FROM unnest($1::text[]) AS p (phone)
LEFT JOIN LATERAL (${selectAccount} WHERE a.phone = p.phone) acc ON true
LEFT JOIN memberships m ON m.account_id = acc.id
ORDER BY p.phone, m.home DESC, m.created_at, m.id`

const decodeAccount = Schema.decodeUnknown(AccountFromRow)
const decodeMemberships = Schema.decodeUnknown(Schema.Array(MembershipFromRow))

type Row = Record<string, unknown>

/** A `settleQueued`, settled with the others waiting (`settleBatch`). */
interface ToSettle {
  readonly claim: InboxClaim
  readonly settlement: Settlement
  readonly throttle: ReplyThrottle | undefined
}

/** At most this many messages in one `record` or `settleQueued` (or numbers in one `senderFacts`) statement. */
const RECORD_BATCH = 200
/** `record` (and `settleQueued`, `senderFacts`) statements in flight at once: one runs while the next batch gathers. */
const RECORDERS = 2
const gathering = { maxBatchSize: RECORD_BATCH, inFlight: RECORDERS }

/** The facts of `senderSql`'s rows; none when the message was not claimed. */
const facts = (rows: ReadonlyArray<Row>) =>
  Effect.gen(function*() {
    const first = rows[0]
    if (first?.["claimed"] !== true) return Option.none<SenderFacts>()
    const account = first["id"] === null ? Option.none() : Option.some(yield* decodeAccount(first))
    const memberships = yield* decodeMemberships(
      rows.filter((row) => row["m_id"] !== null).map((row) =>
        Object.fromEntries(membershipColumns.map((c) => [c, row[`m_${c}`]]))
      )
    )
    return Option.some<SenderFacts>({ suppressed: first["suppressed"] === true, account, memberships })
  })

const ClaimedRow = Schema.Struct({
  messageUuid: MessageUuid,
  to: PhoneE164,
  text: Schema.String,
  attempts: Schema.NonNegativeInt,
  status: Schema.Literal("sending", "cancelled")
})

const date = (at: DateTime.Utc) => DateTime.toDateUtc(at)

const ClaimedInboxRow = Schema.Struct({
  messageUuid: Schema.String,
  from: Schema.String,
  to: Schema.String,
  text: Schema.String,
  type: Schema.String,
  attempts: Schema.NonNegativeInt,
  seq: Schema.String
})

/** A message to record. */
export interface ToRecord {
  readonly entry: InboxEntry
  readonly now: DateTime.Utc
}

/** Inserts messages in the inbox in one statement, pending, in their order; the MessageUUIDs it inserted. */
const insertInbox = (entries: ReadonlyArray<ToRecord>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ messageUuid: string }>`
INSERT INTO inbound_sms (message_uuid, sender, from_number, to_number, text, type, received_at, handling, handle_next_attempt_at)
SELECT message_uuid, sender, from_number, to_number, text, type, at, 'pending', at
FROM unnest(
  ${entries.map((r) => r.entry.sms.messageUuid)}::text[], ${entries.map((r) => r.entry.sender)}::text[],
  ${entries.map((r) => r.entry.sms.from)}::text[], ${entries.map((r) => r.entry.sms.to)}::text[],
  ${entries.map((r) => r.entry.sms.text)}::text[], ${entries.map((r) => r.entry.sms.type)}::text[],
  ${entries.map((r) => date(r.now))}::timestamptz[]
) WITH ORDINALITY AS t (message_uuid, sender, from_number, to_number, text, type, at, n)
ORDER BY n
ON CONFLICT (message_uuid) DO NOTHING
RETURNING message_uuid AS "messageUuid"`)

/**
 * `record` for several messages in one statement (one round trip and one commit for all), each as if
 * alone: a MessageUUID met twice is recorded by its first copy. When the statement fails (a row the
 * table refuses, a lost connection), each message is recorded by a statement of its own, so that one
 * cannot fail the others; the exits (whether each was new) come in the order of `entries`.
 */
export const recordBatch = (
  entries: ReadonlyArray<ToRecord>
): Effect.Effect<ReadonlyArray<Exit.Exit<boolean>>, never, SqlClient.SqlClient> => {
  const firsts = new Set<number>()
  const seen = new Set<string>()
  entries.forEach((r, i) => {
    if (!seen.has(r.entry.sms.messageUuid)) firsts.add(i)
    seen.add(r.entry.sms.messageUuid)
  })
  const unique = entries.filter((_, i) => firsts.has(i))
  return insertInbox(unique).pipe(
    mapFailures(),
    Effect.map((rows) => {
      const inserted = new Set(rows.map((row) => row.messageUuid))
      return entries.map((r, i) => Exit.succeed(firsts.has(i) && inserted.has(r.entry.sms.messageUuid)))
    }),
    Effect.catchAllCause((cause) =>
      unique.length > 1
        ? Effect.forEach(entries, (r, i) =>
          firsts.has(i)
            ? Effect.map(recordBatch([r]), (exits) => exits[0]!)
            : Effect.succeed(Exit.succeed(false)))
        : Effect.succeed(entries.map((_, i) => (firsts.has(i) ? Exit.failCause(cause) : Exit.succeed(false))))
    )
  )
}

/** InboundSmsRepo on PostgreSQL (`inbound_sms`, `sms_reply_throttle`; migrations 0006 and 0012). */
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

  /**
   * `settleQueued` in batches: the settlements waiting when a batch starts go in one statement (one
   * round trip and one commit for all), each settled as alone, only while its claim holds. A batch
   * holds a MessageUUID once and a throttled (number, kind) once; the others wait for the next batch.
   * When a batch fails, each of its messages is settled alone, so one cannot fail the others.
   */
  const settleBatch = (
    batch: ReadonlyArray<ToSettle>
  ): Effect.Effect<ReadonlyArray<Exit.Exit<Option.Option<boolean>>>> => {
    const throttle = batch.find((r) => r.throttle !== undefined)?.throttle
    const window = throttle === undefined ? 0 : Duration.toSeconds(throttle.window)
    const reply = (r: ToSettle) => Option.getOrNull(r.settlement.reply)
    return sql<{ messageUuid: string; replied: boolean }>`
WITH input AS (
  SELECT * FROM unnest(
    ${batch.map((r) => r.claim.sms.messageUuid)}::text[], ${batch.map((r) => r.claim.attempts)}::int[],
    ${batch.map((r) => date(r.throttle?.now ?? DateTime.unsafeMake(0)))}::timestamptz[], ${
      batch.map((r) => r.settlement.outcome)
    }::text[],
    ${batch.map((r) => Option.getOrNull(r.settlement.alertId))}::uuid[],
    ${batch.map((r) => reply(r)?.kind ?? null)}::text[], ${batch.map((r) => reply(r)?.to ?? null)}::text[],
    ${batch.map((r) => reply(r)?.text ?? null)}::text[], ${
      batch.map((r) => reply(r) !== null && r.throttle !== undefined)
    }::boolean[]
  ) AS t (message_uuid, attempts, at, outcome, alert_id, kind, reply_to, reply_text, throttled)
), mine AS (
  SELECT i.*, s.received_at FROM input i
  JOIN inbound_sms s ON s.message_uuid = i.message_uuid AND s.handling = 'handling' AND s.handle_attempts = i.attempts
  FOR UPDATE OF s
), allowed AS (
  INSERT INTO sms_reply_throttle (phone, kind, last_sent_at)
  SELECT m.reply_to, m.kind, m.at FROM mine m WHERE m.throttled
  ON CONFLICT (phone, kind) DO UPDATE SET last_sent_at = excluded.last_sent_at
  WHERE sms_reply_throttle.last_sent_at <= excluded.last_sent_at - make_interval(secs => ${window})
  RETURNING phone, kind
), decided AS (
  SELECT m.*, m.kind IS NOT NULL
    AND (NOT m.throttled OR EXISTS (SELECT 1 FROM allowed a WHERE a.phone = m.reply_to AND a.kind = m.kind)) AS replied
  FROM mine m
)
UPDATE inbound_sms s
SET outcome = d.outcome, alert_id = d.alert_id,
    reply_kind = CASE WHEN d.replied THEN d.kind END, reply_to = CASE WHEN d.replied THEN d.reply_to END,
    reply_text = CASE WHEN d.replied THEN d.reply_text END, reply_status = CASE WHEN d.replied THEN 'pending' END,
    reply_next_attempt_at = CASE WHEN d.replied THEN d.received_at END,
    handling = 'handled', handle_next_attempt_at = NULL, handle_error = NULL
FROM decided d
WHERE s.message_uuid = d.message_uuid
RETURNING s.message_uuid AS "messageUuid", d.replied AS replied`.pipe(
      Effect.map((rows) => {
        const replied = new Map(rows.map((row) => [row.messageUuid, row.replied === true]))
        return batch.map((r) => Exit.succeed(Option.fromNullable(replied.get(r.claim.sms.messageUuid))))
      }),
      mapFailures(),
      Effect.catchAllCause((cause) =>
        batch.length > 1
          ? Effect.map(Effect.forEach(batch, (r) => settleBatch([r])), (exits) => exits.flat())
          : Effect.succeed(batch.map(() => Exit.failCause(cause)))
      )
    )
  }

  /** Splits waiting settlements into batches by the rules of `settleBatch`, in arrival order. */
  const batchesOf = (waiting: ReadonlyArray<ToSettle>): Array<Array<ToSettle>> => {
    const batches: Array<{ items: Array<ToSettle>; keys: Set<string>; window: number }> = []
    for (const r of waiting) {
      const window = r.throttle === undefined ? -1 : Duration.toSeconds(r.throttle.window)
      const to = Option.getOrNull(r.settlement.reply)
      const keys = [`m:${r.claim.sms.messageUuid}`,
        ...(to !== null && r.throttle !== undefined ? [`t:${to.to}:${to.kind}`] : [])]
      const batch = batches.find((b) =>
        (b.window === window || window < 0 || b.window < 0) && keys.every((k) => !b.keys.has(k))
      )
      if (batch === undefined) {
        batches.push({ items: [r], keys: new Set(keys), window })
      } else {
        batch.items.push(r)
        for (const k of keys) batch.keys.add(k)
        if (batch.window < 0) batch.window = window
      }
    }
    return batches.map((b) => b.items)
  }

  /** `senderFacts` in batches: the numbers asked while the previous read ran are read by one statement. */
  const senderFacts = yield* acrossFibers(
    (phones: Arr.NonEmptyReadonlyArray<string>) =>
      sql.unsafe<Row>(factsSql, [[...new Set(phones)]]).pipe(
        Effect.flatMap((rows) => {
          const byNumber = new Map<string, Array<Row>>()
          for (const row of rows) {
            const number = row["number"] as string
            const list = byNumber.get(number)
            if (list === undefined) byNumber.set(number, [row])
            else list.push(row)
          }
          return Effect.forEach(phones, (phone) => Effect.exit(facts(byNumber.get(phone) ?? [])))
        }),
        Effect.orDie
      ),
    gathering
  )

  const recorder = yield* acrossFibers(
    (batch: Arr.NonEmptyReadonlyArray<ToRecord>) => Effect.provideService(recordBatch(batch), SqlClient.SqlClient, sql),
    gathering
  )

  /** Settles the waiting settlements in batches by the rules of `settleBatch`; the exits in `waiting`'s order. */
  const settler = yield* acrossFibers(
    (waiting: Arr.NonEmptyReadonlyArray<ToSettle>) =>
      Effect.gen(function*() {
        const exits = new Map<ToSettle, Exit.Exit<Option.Option<boolean>>>()
        for (const batch of batchesOf(waiting)) {
          const settled = yield* settleBatch(batch)
          batch.forEach((r, i) => exits.set(r, settled[i]!))
        }
        return waiting.map((r) => exits.get(r)!)
      }),
    gathering
  )

  const claimInbox = SqlSchema.findAll({
    Request: Schema.Any,
    Result: ClaimedInboxRow,
    execute: ({ leaseUntil, limit, now }: { readonly now: Date; readonly leaseUntil: Date; readonly limit: number }) =>
      sql`
WITH heads AS (
  SELECT DISTINCT ON (sender) message_uuid FROM inbound_sms
  WHERE handling IN ('pending', 'handling')
  ORDER BY sender, seq
), due AS (
  SELECT i.message_uuid FROM inbound_sms i
  WHERE i.message_uuid IN (SELECT message_uuid FROM heads)
    AND i.handling IN ('pending', 'handling') AND i.handle_next_attempt_at <= ${now}
  ORDER BY i.seq
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED
)
UPDATE inbound_sms i
SET handling = 'handling', handle_attempts = i.handle_attempts + 1, handle_next_attempt_at = ${leaseUntil}
FROM due
WHERE i.message_uuid = due.message_uuid
RETURNING i.message_uuid AS "messageUuid", i.from_number AS "from", i.to_number AS "to", i.text, i.type,
          i.handle_attempts AS attempts, i.seq::text AS seq`
  })

  return InboundSmsRepo.of({
    record: (entry, now) =>
      recorder({ entry, now }).pipe(
        Effect.withSpan("PgInboundSms.record", { captureStackTrace: false })
      ),

    claimInbox: (options) =>
      claimInbox({
        now: date(options.now),
        leaseUntil: date(DateTime.addDuration(options.now, options.lease)),
        limit: options.limit
      }).pipe(
        Effect.map((rows) =>
          [...rows].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq))).map((row) => ({
            sms: new InboundSms({ messageUuid: row.messageUuid as MessageUuid, from: row.from, to: row.to,
              text: row.text, type: row.type }, {
              disableValidation: true
            }),
            attempts: row.attempts
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgInboundSms.claimInbox", { captureStackTrace: false })
      ),

    lockClaim: (claim, phone) =>
      sql.unsafe<Row>(lockSql, [claim.sms.messageUuid, claim.attempts, phone]).pipe(
        Effect.flatMap(facts),
        mapFailures(),
        Effect.withSpan("PgInboundSms.lockClaim", { captureStackTrace: false })
      ),

    senderFacts: (phone) =>
      senderFacts(phone).pipe(
        Effect.flatMap((found) => found),
        mapFailures(),
        Effect.withSpan("PgInboundSms.senderFacts", { captureStackTrace: false })
      ),

    settleQueued: (claim, settlement, throttle) =>
      settler({ claim, settlement, throttle }).pipe(
        Effect.withSpan("PgInboundSms.settleQueued", { captureStackTrace: false })
      ),

    settle: (claim, settlement, throttle) => {
      const reply = Option.getOrNull(settlement.reply)
      const throttled = reply !== null && throttle !== undefined
      return sql<{ replied: boolean }>`
WITH mine AS (
  SELECT message_uuid FROM inbound_sms
  WHERE message_uuid = ${claim.sms.messageUuid} AND handling = 'handling' AND handle_attempts = ${claim.attempts}
  FOR UPDATE
), allowed AS (
  INSERT INTO sms_reply_throttle (phone, kind, last_sent_at)
  SELECT ${reply?.to ?? null}::text, ${reply?.kind ?? null}::text, ${
        throttle === undefined ? null : date(throttle.now)
      }::timestamptz
  WHERE ${throttled}::boolean AND EXISTS (SELECT 1 FROM mine)
  ON CONFLICT (phone, kind) DO UPDATE SET last_sent_at = excluded.last_sent_at
  WHERE sms_reply_throttle.last_sent_at
    <= excluded.last_sent_at - make_interval(secs => ${
        throttle === undefined ? 0 : Duration.toSeconds(throttle.window)
      })
  RETURNING 1
), decided AS (
  SELECT ${reply !== null}::boolean AND (NOT ${throttled}::boolean OR EXISTS (SELECT 1 FROM allowed)) AS replied
)
UPDATE inbound_sms
SET outcome = ${settlement.outcome},
    alert_id = ${Option.getOrNull(settlement.alertId)}::uuid,
    reply_kind = CASE WHEN d.replied THEN ${reply?.kind ?? null}::text END,
    reply_to = CASE WHEN d.replied THEN ${reply?.to ?? null}::text END,
    reply_text = CASE WHEN d.replied THEN ${reply?.text ?? null}::text END,
    reply_status = CASE WHEN d.replied THEN 'pending' END,
    reply_next_attempt_at = CASE WHEN d.replied THEN received_at END,
    handling = 'handled', handle_next_attempt_at = NULL, handle_error = NULL
FROM decided d
WHERE message_uuid IN (SELECT message_uuid FROM mine)
RETURNING d.replied AS replied`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => row.replied === true)),
        mapFailures(),
        Effect.withSpan("PgInboundSms.settle", { captureStackTrace: false })
      )
    },

    markInboxFailed: (claim, error, retryAt) =>
      sql`
UPDATE inbound_sms
SET handling = ${Option.isSome(retryAt) ? "pending" : "dead"},
    handle_next_attempt_at = ${Option.getOrNull(Option.map(retryAt, date))}::timestamptz,
    handle_error = ${error.slice(0, 1000)}
WHERE message_uuid = ${claim.sms.messageUuid} AND handling = 'handling' AND handle_attempts = ${claim.attempts}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgInboundSms.markInboxFailed")
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
            row.status === "sending"
              ? [{ messageUuid: row.messageUuid, to: row.to, text: row.text, attempts: row.attempts }]
              : []
          )
        ),
        mapFailures(),
        Effect.withSpan("PgInboundSms.claimReplies")
      ),

    markRepliesSent: (sent, now) =>
      sql`
UPDATE inbound_sms i
SET reply_status = 'sent', reply_provider_id = s.provider_id, reply_sent_at = ${date(now)},
    reply_next_attempt_at = NULL, reply_error = NULL
FROM unnest(${sent.map((r) => r.messageUuid)}::text[], ${
        sent.map((r) => r.providerId)
      }::text[]) AS s (message_uuid, provider_id)
WHERE i.message_uuid = s.message_uuid AND i.reply_status = 'sending'`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgInboundSms.markRepliesSent", { captureStackTrace: false })
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

export const layer = Layer.scoped(InboundSmsRepo, make)
