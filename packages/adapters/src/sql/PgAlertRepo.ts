import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { Alert, AlertCategory, AlertId, AlertOrigin, AlertPlace, AlertStatus, AlertText, Urgency } from "@vigie/domain/alerts/Alert"
import type { AlertScope } from "@vigie/domain/alerts/Alert"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { AlertMoved, FanOutResult, NewAlert } from "@vigie/domain/alerts/AlertRepo"
import { sendsClosingMessage, startsFanOut } from "@vigie/domain/alerts/AlertLifecycle"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import { MessageId } from "@vigie/domain/delivery/Delivery"
import { DateTime, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { mapFailures } from "./SqlFailure"
import { plannedCtes, storedAlert } from "./FanOutPlan"

const AlertRow = Schema.Struct({
  id: AlertId,
  scope_kind: Schema.Literal("community", "commune"),
  community_id: Schema.NullOr(CommunityId),
  insee: InseeCode,
  scope_community_ids: Schema.NullOr(Schema.NonEmptyArray(CommunityId)),
  author_id: AccountId,
  origin: AlertOrigin,
  category: AlertCategory,
  urgency: Urgency,
  text: AlertText,
  place: Schema.OptionFromNullOr(AlertPlace),
  shared_with_authorities: Schema.Boolean,
  status: AlertStatus,
  created_at: Schema.DateTimeUtcFromDate,
  closed_at: Schema.OptionFromNullOr(Schema.DateTimeUtcFromDate),
  /** Optional: other contexts select the alert columns they know (PgTownAlerts, PgAuthoritiesInbox). */
  followup_of: Schema.optional(Schema.NullOr(AlertId))
})

/** The scope columns of an alert row: `community_id` for one community, `insee` (+ a subset) for a commune. */
const scopeColumns = (scope: AlertScope) =>
  scope._tag === "Community"
    ? { scope_kind: "community" as const, community_id: scope.communityId, insee: null, scope_community_ids: null }
    : {
      scope_kind: "commune" as const,
      community_id: null,
      insee: scope.insee,
      scope_community_ids: Option.getOrNull(scope.communityIds)
    }

export const AlertFromRow = Schema.transformOrFail(AlertRow, Schema.typeSchema(Alert), {
  strict: true,
  decode: (row, _, ast) => {
    const scope: AlertScope | undefined = row.scope_kind === "commune"
      ? { _tag: "Commune", insee: row.insee, communityIds: Option.fromNullable(row.scope_community_ids) }
      : row.community_id === null
      ? undefined
      : { _tag: "Community", communityId: row.community_id }
    return scope === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, row, "a community alert without its community"))
      : ParseResult.succeed(
        new Alert({
          id: row.id,
          scope,
          authorId: row.author_id,
          origin: row.origin,
          category: row.category,
          urgency: row.urgency,
          text: row.text,
          place: row.place,
          sharedWithAuthorities: row.shared_with_authorities,
          status: row.status,
          createdAt: row.created_at,
          closedAt: row.closed_at,
          followupOf: Option.fromNullable(row.followup_of)
        }, true)
      )
  },
  encode: (alert, _, ast) => {
    const scope = scopeColumns(alert.scope)
    return scope.insee === null
      ? ParseResult.fail(new ParseResult.Forbidden(ast, alert, "the commune of a community alert is not in the alert"))
      : ParseResult.succeed({
        id: alert.id,
        ...scope,
        insee: scope.insee,
        author_id: alert.authorId,
        origin: alert.origin,
        category: alert.category,
        urgency: alert.urgency,
        text: alert.text,
        place: alert.place,
        shared_with_authorities: alert.sharedWithAuthorities,
        status: alert.status,
        created_at: alert.createdAt,
        closed_at: alert.closedAt,
        followup_of: Option.getOrNull(alert.followupOf)
      })
  }
})

const FanOutCounts = Schema.Struct({ sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })
const MessageRow = Schema.Struct({ id: MessageId })

const alertColumns = `id, scope_kind, community_id, insee, scope_community_ids, author_id, origin, category, urgency,
  text, place, shared_with_authorities, status, created_at, closed_at, followup_of`

/**
 * The deliveries of one alert message, planned and written by ONE `INSERT ... SELECT` with exactly
 * the rules of the domain's `recipients` (delivery/FanOut.ts), as FanOutPlan's CTEs write them (the
 * town-alert preview counts with the same CTEs):
 * - scope: the alert's community, or the communities of its commune (all, or the chosen subset),
 *   active ones only (an archived community receives nothing);
 * - verified memberships in scope, of active accounts, one row per account whatever the number of
 *   memberships (a semi-join), never the author;
 * - preferences per channel, `all` when the account has no row; SMS needs a verified phone that is
 *   not suppressed, e-mail an address;
 * - `next_attempt_at` (notBefore): `now` for urgent alerts; for info ones, when the local minute of
 *   `now` in Europe/Paris falls in the quiet hours (start inclusive, end exclusive, start = end means
 *   none, start > end wraps over midnight), the start of the current UTC minute plus the minutes left
 *   until their end, as `releaseTime` counts them.
 * `ON CONFLICT DO NOTHING` on the unique (message, account, channel) key makes it idempotent. `now` is
 * a parameter, never the server clock. Returns the number of rows inserted per channel.
 */
const planDeliveries = `
WITH ${storedAlert("$1", "$3")}, ${plannedCtes}, inserted AS (
  INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT $2::uuid, a.id, p.account_id, p.channel, p.destination, p.not_before, a.now, a.now
  FROM planned p CROSS JOIN alert a
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)
SELECT (count(*) FILTER (WHERE channel = 'sms'))::int AS sms,
       (count(*) FILTER (WHERE channel = 'email'))::int AS email
FROM inserted`

/**
 * A short message to those who got an alert (kind 'closing' or 'followup', at most one of each per
 * alert by the unique indexes `messages_once` and `messages_one_followup`) and its deliveries, in ONE
 * statement: the message row is written only when someone is to receive it and no such message
 * exists, and its deliveries copy (account, channel, destination) from the deliveries of the alert's
 * 'alert' message that did not end failed, dead or withheld, leaving out the accounts of $4 and SMS to numbers
 * suppressed since (STOP). A delivery still held for quiet hours keeps its time, so the short message
 * never overtakes the alert. Returns the message id (NULL when none was written) and counts per channel.
 */
const copyRecipients = `
WITH source AS (
  SELECT d.account_id, d.channel, d.destination, d.next_attempt_at
  FROM messages m
  JOIN deliveries d ON d.message_id = m.id
  WHERE m.alert_id = $1 AND m.kind = 'alert'
    AND d.status NOT IN ('failed', 'dead', 'withheld')
    AND d.account_id <> ALL ($4::uuid[])
    AND NOT (d.channel = 'sms' AND EXISTS (SELECT 1 FROM sms_suppressions s WHERE s.phone = d.destination))
), message AS (
  INSERT INTO messages (alert_id, kind, created_at)
  SELECT $1::uuid, $2::text, $3::timestamptz
  WHERE EXISTS (SELECT 1 FROM source)
  ON CONFLICT DO NOTHING
  RETURNING id
), inserted AS (
  INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, next_attempt_at, created_at, updated_at)
  SELECT message.id, $1::uuid, s.account_id, s.channel, s.destination, greatest(s.next_attempt_at, $3::timestamptz),
         $3::timestamptz, $3::timestamptz
  FROM source s CROSS JOIN message
  ON CONFLICT (message_id, account_id, channel) DO NOTHING
  RETURNING channel
)
SELECT (SELECT id FROM message) AS id,
       (count(*) FILTER (WHERE channel = 'sms'))::int AS sms,
       (count(*) FILTER (WHERE channel = 'email'))::int AS email
FROM inserted`

const CopyResult = Schema.Struct({ id: Schema.NullOr(MessageId), sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const insertAlert = SqlSchema.single({
    Request: Schema.Any,
    Result: AlertFromRow,
    execute: ({ alert, now }: { readonly alert: NewAlert; readonly now: DateTime.Utc }) => {
      const scope = scopeColumns(alert.scope)
      return sql`
INSERT INTO alerts (scope_kind, community_id, insee, scope_community_ids, author_id, origin, category, urgency, text,
  place, shared_with_authorities, status, created_at, followup_of, hold_reasons, flagged_spans)
SELECT ${scope.scope_kind}::text, c.id, coalesce(c.insee, ${scope.insee}::text), ${scope.scope_community_ids}::uuid[],
  ${alert.authorId}::uuid, ${alert.origin}::text, ${alert.category}::text, ${alert.urgency}::text, ${alert.text}::text,
  ${Option.getOrNull(alert.place)}::text, ${alert.sharedWithAuthorities}::boolean, ${alert.status}::text,
  ${DateTime.toDateUtc(now)}::timestamptz, ${alert.followup?.of ?? null}::uuid, ${alert.holdReasons ?? []}::text[],
  ${JSON.stringify(alert.flaggedSpans ?? [])}::jsonb
FROM (SELECT ${scope.community_id}::uuid AS id) s
LEFT JOIN communities c ON c.id = s.id
RETURNING ${sql.literal(alertColumns)}`
    }
  })

  const insertMessage = SqlSchema.single({
    Request: Schema.Struct({ alertId: AlertId, now: Schema.DateTimeUtcFromDate }),
    Result: MessageRow,
    execute: ({ alertId, now }) =>
      sql`INSERT INTO messages (alert_id, kind, created_at) VALUES (${alertId}, 'alert', ${now}) RETURNING id`
  })

  /** The alert's 'alert' message: created once, found afterwards (also when another process created it). */
  const alertMessage = SqlSchema.single({
    Request: Schema.Struct({ alertId: AlertId, now: Schema.DateTimeUtcFromDate }),
    Result: MessageRow,
    execute: ({ alertId, now }) =>
      sql`
WITH created AS (
  INSERT INTO messages (alert_id, kind, created_at) VALUES (${alertId}, 'alert', ${now})
  ON CONFLICT (alert_id, kind) WHERE kind IN ('alert', 'closing') DO NOTHING
  RETURNING id
)
SELECT id FROM created
UNION ALL
SELECT id FROM messages WHERE alert_id = ${alertId} AND kind = 'alert'`.pipe(
        Effect.flatMap((rows) =>
          rows.length > 0
            ? Effect.succeed(rows)
            : sql`SELECT id FROM messages WHERE alert_id = ${alertId} AND kind = 'alert'`
        )
      )
  })

  const deliver = SqlSchema.single({
    Request: Schema.Struct({ alertId: AlertId, messageId: MessageId, now: Schema.DateTimeUtcFromDate }),
    Result: FanOutCounts,
    execute: ({ alertId, messageId, now }) => sql.unsafe(planDeliveries, [alertId, messageId, now])
  })

  const fanOutMessage = (alertId: AlertId, messageId: MessageId, now: DateTime.Utc) =>
    Effect.map(deliver({ alertId, messageId, now }), (counts): FanOutResult => ({ messageId, ...counts }))

  const findById = SqlSchema.findOne({
    Request: AlertId,
    Result: AlertFromRow,
    execute: (id) => sql`SELECT ${sql.literal(alertColumns)} FROM alerts WHERE id = ${id}`
  })

  const authors = SqlSchema.findAll({
    Request: Schema.Array(AccountId),
    Result: Schema.Struct({ id: AccountId, firstName: Schema.String, lastName: Schema.String, status: AccountStatus }),
    execute: (ids) =>
      sql`SELECT id, first_name AS "firstName", last_name AS "lastName", status FROM accounts WHERE id = ANY (${ids}::uuid[])`
  })

  const findByIds = SqlSchema.findAll({
    Request: Schema.Array(AlertId),
    Result: AlertFromRow,
    execute: (ids) => sql`SELECT ${sql.literal(alertColumns)} FROM alerts WHERE id = ANY (${ids}::uuid[])`
  })

  /**
   * The feed, newest first by (created_at, id), after an optional cursor. Visibility is `canRead`
   * (AlertAccess.ts) over the candidates of `communityIds`: the reader's own alerts, everything for a
   * moderator, alerts reaching a verified community of the reader, and town or shared alerts of the
   * reader's staff communes. Filtering here, not after the query, keeps every page but the last full.
   */
  const feed = SqlSchema.findAll({
    Request: Schema.Struct({
      accountId: AccountId,
      moderator: Schema.Boolean,
      verified: Schema.Array(CommunityId),
      communes: Schema.Array(InseeCode),
      communityIds: Schema.Array(CommunityId),
      before: Schema.NullOr(Schema.DateTimeUtcFromDate),
      beforeId: Schema.NullOr(AlertId),
      limit: Schema.Int
    }),
    Result: AlertFromRow,
    execute: ({ accountId, before, beforeId, communes, communityIds, limit, moderator, verified }) =>
      sql`
SELECT ${sql.literal(alertColumns)} FROM alerts a
WHERE a.status IN ('published', 'resolved')
  AND (${before}::timestamptz IS NULL
       OR a.created_at < ${before}::timestamptz
       OR (${beforeId}::uuid IS NOT NULL AND a.created_at = ${before}::timestamptz AND a.id < ${beforeId}::uuid))
  AND (
    (a.scope_kind = 'community' AND a.community_id = ANY (${communityIds}::uuid[]))
    OR (a.scope_kind = 'commune'
        AND a.insee IN (SELECT c.insee FROM communities c WHERE c.id = ANY (${communityIds}::uuid[]))
        AND (a.scope_community_ids IS NULL OR a.scope_community_ids && ${communityIds}::uuid[]))
  )
  AND (
    a.author_id = ${accountId}::uuid
    OR ${moderator}::boolean
    OR (a.scope_kind = 'community' AND a.community_id = ANY (${verified}::uuid[]))
    OR (a.scope_kind = 'commune' AND (
      a.scope_community_ids && ${verified}::uuid[]
      OR (a.scope_community_ids IS NULL
          AND EXISTS (SELECT 1 FROM communities c WHERE c.insee = a.insee AND c.id = ANY (${verified}::uuid[])))))
    OR (a.insee = ANY (${communes}::text[]) AND (a.scope_kind = 'commune' OR a.shared_with_authorities))
  )
ORDER BY a.created_at DESC, a.id DESC
LIMIT ${limit}`
  })

  const copyMessage = SqlSchema.single({
    Request: Schema.Struct({
      alertId: AlertId,
      kind: Schema.Literal("closing", "followup"),
      now: Schema.DateTimeUtcFromDate,
      excluded: Schema.Array(AccountId)
    }),
    Result: CopyResult,
    execute: ({ alertId, excluded, kind, now }) => sql.unsafe(copyRecipients, [alertId, kind, now, excluded])
  })

  /** The copy's outcome as a fan-out result: none when no message was written. */
  const copied = (alertId: AlertId, kind: "closing" | "followup", now: DateTime.Utc, excluded: ReadonlyArray<AccountId>) =>
    Effect.map(copyMessage({ alertId, kind, now, excluded }), (r): Option.Option<FanOutResult> =>
      r.id === null ? Option.none() : Option.some({ messageId: r.id, sms: r.sms, email: r.email }))

  const recent = SqlSchema.findAll({
    Request: Schema.Struct({
      communityId: Schema.NullOr(CommunityId),
      insee: Schema.NullOr(InseeCode),
      since: Schema.DateTimeUtcFromDate,
      until: Schema.DateTimeUtcFromDate
    }),
    Result: AlertFromRow,
    execute: ({ communityId, insee, since, until }) =>
      communityId !== null
        ? sql`
SELECT ${sql.literal(alertColumns)} FROM alerts
WHERE community_id = ${communityId} AND created_at >= ${since} AND created_at <= ${until}
ORDER BY created_at, id
LIMIT 500`
        : sql`
SELECT ${sql.literal(alertColumns)} FROM alerts
WHERE scope_kind = 'commune' AND insee = ${insee} AND created_at >= ${since} AND created_at <= ${until}
ORDER BY created_at, id
LIMIT 500`
  })

  /**
   * The move itself, only from `from`: the row is locked first (a concurrent move waits, then finds
   * the alert no longer in `from` and changes nothing). `first_publication` says whether this move
   * published the alert for the first time (`first_published_at` was empty): only then does it fan out.
   */
  const move = SqlSchema.findOne({
    Request: Schema.Struct({ id: AlertId, from: AlertStatus, to: AlertStatus, now: Schema.DateTimeUtcFromDate }),
    Result: Schema.Struct({ row: AlertFromRow, first_publication: Schema.Boolean }),
    execute: ({ from, id, now, to }) =>
      sql`
WITH old AS (SELECT id, first_published_at FROM alerts WHERE id = ${id} AND status = ${from} FOR UPDATE)
UPDATE alerts a
SET status = ${to},
    closed_at = CASE WHEN ${to} IN ('resolved', 'retracted') THEN coalesce(a.closed_at, ${now}) ELSE a.closed_at END,
    first_published_at = CASE WHEN ${to} = 'published' THEN coalesce(a.first_published_at, ${now}) ELSE a.first_published_at END
FROM old
WHERE a.id = old.id AND a.status = ${from}
RETURNING ${sql.literal(alertColumns.split(",").map((c) => `a.${c.trim()}`).join(", "))}, old.first_published_at IS NULL AS first_publication`
        .pipe(Effect.map((rows) => rows.map((r) => ({ row: r, first_publication: (r as { first_publication: boolean }).first_publication }))))
  })

  /**
   * The first fan-out of an alert published after the fact (approved, or restored after it was hidden
   * while held): its full fan-out, or for a follow-up the original's 'followup' message (to the
   * original's recipients minus the follow-up's author; none when both have the same author).
   */
  const firstFanOut = (alert: Alert, now: DateTime.Utc) =>
    Effect.gen(function*() {
      if (Option.isSome(alert.followupOf)) {
        const original = yield* findById(alert.followupOf.value)
        const notify = Option.exists(original, (o) => o.authorId !== alert.authorId)
        return notify ? yield* copied(alert.followupOf.value, "followup", now, [alert.authorId]) : Option.none<FanOutResult>()
      }
      const message = yield* alertMessage({ alertId: alert.id, now })
      return Option.some(yield* fanOutMessage(alert.id, message.id, now))
    })

  return AlertRepo.of({
    post: (alert, now) =>
      sql.withTransaction(Effect.gen(function*() {
        const stored = yield* insertAlert({ alert, now })
        if (stored.status !== "published") return { alert: stored, fanOut: Option.none<FanOutResult>() }
        if (alert.followup !== undefined) {
          return {
            alert: stored,
            fanOut: alert.followup.notify
              ? yield* copied(alert.followup.of, "followup", now, [stored.authorId])
              : Option.none<FanOutResult>()
          }
        }
        const message = yield* insertMessage({ alertId: stored.id, now })
        return { alert: stored, fanOut: Option.some(yield* fanOutMessage(stored.id, message.id, now)) }
      })).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.post")),
    fanOut: (alertId, now) =>
      sql.withTransaction(Effect.gen(function*() {
        const message = yield* alertMessage({ alertId, now })
        return yield* fanOutMessage(alertId, message.id, now)
      })).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.fanOut")),
    findById: (id) => findById(id).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.findById")),
    findByIds: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : findByIds(ids)).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.findByIds")),
    authors: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : authors(ids)).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.authors")),
    feed: (reader, options) =>
      feed({
        accountId: reader.accountId,
        moderator: reader.moderator,
        verified: reader.verifiedCommunities,
        communes: reader.staffCommunes,
        communityIds: reader.communityIds,
        before: Option.getOrNull(Option.map(options.before, (cursor) => cursor.createdAt)),
        beforeId: Option.getOrNull(Option.flatMap(options.before, (cursor) => cursor.id)),
        limit: options.limit
      }).pipe(
        mapFailures(),
        Effect.withSpan("PgAlertRepo.feed")
      ),
    recent: (scope, since, until) =>
      recent({
        communityId: scope._tag === "Community" ? scope.communityId : null,
        insee: scope._tag === "Commune" ? scope.insee : null,
        since,
        until
      }).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.recent")),
    transition: (id, from, to, now) =>
      sql.withTransaction(Effect.gen(function*() {
        const moved = yield* move({ id, from, to, now })
        if (Option.isNone(moved)) return Option.none<AlertMoved>()
        const alert = moved.value.row
        const closing = sendsClosingMessage(from, to) ? yield* copied(id, "closing", now, []) : Option.none()
        const fanOut = startsFanOut(from, to) && moved.value.first_publication
          ? yield* firstFanOut(alert, now)
          : Option.none<FanOutResult>()
        return Option.some<AlertMoved>({ alert, closing, fanOut })
      })).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.transition")),
    setStatus: (id, status, now) =>
      sql`
UPDATE alerts
SET status = ${status},
    closed_at = CASE WHEN ${status} IN ('resolved', 'retracted') THEN coalesce(closed_at, ${DateTime.toDateUtc(now)})
                     ELSE closed_at END
WHERE id = ${id}`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgAlertRepo.setStatus"))
  })
})

export const layer = Layer.effect(AlertRepo, make)
