import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import {
  Alert,
  AlertCategory,
  AlertId,
  AlertOrigin,
  AlertPlace,
  AlertStatus,
  AlertText,
  Urgency
} from "@vigie/domain/alerts/Alert"
import type { AlertScope } from "@vigie/domain/alerts/Alert"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import type { AlertMessageFacts, FeedEntry, NewAlert } from "@vigie/domain/alerts/AlertRepo"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { CommunityId } from "@vigie/domain/communities/Community"
import type { Array as Arr } from "effect"
import { DateTime, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

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

const MessageFactsRow = Schema.Struct({
  id: AlertId,
  category: AlertCategory,
  urgency: Urgency,
  origin: AlertOrigin,
  text: Schema.String,
  place: Schema.OptionFromNullOr(Schema.String),
  status: AlertStatus,
  insee: InseeCode,
  community_name: Schema.OptionFromNullOr(Schema.String)
})

/** A feed row as node-postgres returns it: the alert's columns (timestamptz as Date), its author's. */
interface FeedSql {
  readonly id: string
  readonly scope_kind: string
  readonly community_id: string | null
  readonly insee: string
  readonly scope_community_ids: ReadonlyArray<string> | null
  readonly author_id: string
  readonly origin: string
  readonly category: string
  readonly urgency: string
  readonly text: string
  readonly place: string | null
  readonly shared_with_authorities: boolean
  readonly status: string
  readonly created_at: Date
  readonly closed_at: Date | null
  readonly followup_of: string | null
  readonly author_first_name: string | null
  readonly author_last_name: string | null
  readonly author_status: string | null
}

/** The scope of a feed row (a community alert without its community is a defect). */
const feedScope = (r: FeedSql): AlertScope => {
  if (r.scope_kind === "commune") {
    const ids = r.scope_community_ids as Arr.NonEmptyReadonlyArray<CommunityId> | null
    return { _tag: "Commune", insee: r.insee as InseeCode, communityIds: Option.fromNullable(ids) }
  }
  if (r.community_id === null) throw new Error(`alert ${r.id}: a community alert without its community`)
  return { _tag: "Community", communityId: r.community_id as CommunityId }
}

/**
 * A feed row made a FeedEntry without Schema: the feed is the platform's hottest read, and decoding
 * its 20 rows through AlertFromRow and the author's struct (every field's brand and filter checked
 * again) took half of the feed statement's time in this process (bench:national --feed-parts:
 * 1,357/s decoded, 2,576/s not). Every column was checked when it was written (AlertFromRow on insert,
 * the table's CHECK constraints); the test of the feed compares each entry with the schema's decoding.
 */
const feedEntry = (r: FeedSql): FeedEntry => {
  const alert = new Alert({
    id: r.id as AlertId,
    scope: feedScope(r),
    authorId: r.author_id as AccountId,
    origin: r.origin as AlertOrigin,
    category: r.category as AlertCategory,
    urgency: r.urgency as Urgency,
    text: r.text as typeof AlertText.Type,
    place: Option.fromNullable(r.place as typeof AlertPlace.Type | null),
    sharedWithAuthorities: r.shared_with_authorities,
    status: r.status as AlertStatus,
    createdAt: DateTime.unsafeFromDate(r.created_at),
    closedAt: r.closed_at === null ? Option.none() : Option.some(DateTime.unsafeFromDate(r.closed_at)),
    followupOf: Option.fromNullable(r.followup_of as AlertId | null)
  }, true)
  return {
    alert,
    author: r.author_first_name === null || r.author_last_name === null || r.author_status === null
      ? Option.none()
      : Option.some({
        id: r.author_id as AccountId,
        firstName: r.author_first_name,
        lastName: r.author_last_name,
        status: r.author_status as AccountStatus
      })
  }
}

const alertColumns = `id, scope_kind, community_id, insee, scope_community_ids, author_id, origin, category, urgency,
  text, place, shared_with_authorities, status, created_at, closed_at, followup_of`

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
    Result: Schema.Any,
    execute: ({ accountId, before, beforeId, communes, communityIds, limit, moderator, verified }) => {
      // The cursor and `canRead`, the same in both branches (each branch is one kind of scope).
      const after = sql`(${before}::timestamptz IS NULL
       OR a.created_at < ${before}::timestamptz
       OR (${beforeId}::uuid IS NOT NULL AND a.created_at = ${before}::timestamptz AND a.id < ${beforeId}::uuid))`
      const readable = sql`(
    a.author_id = ${accountId}::uuid
    OR ${moderator}::boolean
    OR (a.scope_kind = 'community' AND a.community_id = ANY (${verified}::uuid[]))
    OR (a.scope_kind = 'commune' AND (
      a.scope_community_ids && ${verified}::uuid[]
      OR (a.scope_community_ids IS NULL
          AND EXISTS (SELECT 1 FROM communities c WHERE c.insee = a.insee AND c.id = ANY (${verified}::uuid[])))))
    OR (a.insee = ANY (${communes}::text[]) AND (a.scope_kind = 'commune' OR a.shared_with_authorities))
  )`
      // Two branches, each newest first and cut at `limit` on its own partial index (migration 0028):
      // the quartiers' alerts, then the town alerts of their communes (the communes as an array, so
      // that the index is searched by insee rather than every alert filtered).
      // The authors of the page's community alerts are joined after the cut (at most `limit` look-ups
      // by primary key): the names come with the page rather than in a second round trip.
      return sql`
SELECT page.*, au.first_name AS author_first_name, au.last_name AS author_last_name, au.status AS author_status
FROM (SELECT ${sql.literal(alertColumns)} FROM (
  (SELECT ${sql.literal(alertColumns)} FROM alerts a
   WHERE a.scope_kind = 'community' AND a.status IN ('published', 'resolved')
     AND a.community_id = ANY (${communityIds}::uuid[])
     AND ${after} AND ${readable}
   ORDER BY a.created_at DESC, a.id DESC
   LIMIT ${limit})
  UNION ALL
  (SELECT ${sql.literal(alertColumns)} FROM alerts a
   WHERE a.scope_kind = 'commune' AND a.status IN ('published', 'resolved')
     AND a.insee = ANY (ARRAY(SELECT DISTINCT c.insee FROM communities c WHERE c.id = ANY (${communityIds}::uuid[])))
     AND (a.scope_community_ids IS NULL OR a.scope_community_ids && ${communityIds}::uuid[])
     AND ${after} AND ${readable}
   ORDER BY a.created_at DESC, a.id DESC
   LIMIT ${limit})
) candidates
ORDER BY created_at DESC, id DESC
LIMIT ${limit}) page
LEFT JOIN accounts au ON page.scope_kind = 'community' AND au.id = page.author_id
ORDER BY page.created_at DESC, page.id DESC`
    }
  })

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
   * published the alert for the first time (`first_published_at` was empty).
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
RETURNING ${
        sql.literal(alertColumns.split(",").map((c) => `a.${c.trim()}`).join(", "))
      }, old.first_published_at IS NULL AS first_publication`
        .pipe(Effect.map((rows) =>
          rows.map((r) => ({ row: r, first_publication: (r as { first_publication: boolean }).first_publication }))
        ))
  })

  const messageFacts = SqlSchema.findAll({
    Request: Schema.Array(AlertId),
    Result: MessageFactsRow,
    execute: (ids) =>
      sql`
SELECT a.id, a.category, a.urgency, a.origin, a.text, a.place, a.status, a.insee, c.name AS community_name
FROM alerts a LEFT JOIN communities c ON c.id = a.community_id
WHERE a.id = ANY (${ids}::uuid[])`
  })

  return AlertRepo.of({
    messageFacts: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : messageFacts(ids)).pipe(
        Effect.map((rows) =>
          rows.map((r): AlertMessageFacts => ({
            id: r.id,
            category: r.category,
            urgency: r.urgency,
            origin: r.origin,
            text: r.text,
            place: r.place,
            status: r.status,
            insee: r.insee,
            communityName: r.community_name
          }))
        ),
        mapFailures(),
        Effect.withSpan("PgAlertRepo.messageFacts")
      ),
    insert: (alert, now) => insertAlert({ alert, now }).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.insert")),
    findById: (id) => findById(id).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.findById")),
    findByIds: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : findByIds(ids)).pipe(
        mapFailures(),
        Effect.withSpan("PgAlertRepo.findByIds")
      ),
    authors: (ids) =>
      (ids.length === 0 ? Effect.succeed([]) : authors(ids)).pipe(
        mapFailures(),
        Effect.withSpan("PgAlertRepo.authors")
      ),
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
        Effect.map((rows) => (rows as ReadonlyArray<FeedSql>).map(feedEntry)),
        Effect.withSpan("PgAlertRepo.feed")
      ),
    recent: (scope, since, until) =>
      recent({
        communityId: scope._tag === "Community" ? scope.communityId : null,
        insee: scope._tag === "Commune" ? scope.insee : null,
        since,
        until
      }).pipe(mapFailures(), Effect.withSpan("PgAlertRepo.recent")),
    move: (id, from, to, now) =>
      move({ id, from, to, now }).pipe(
        Effect.map(Option.map((m) => ({ alert: m.row, firstPublished: m.first_publication }))),
        mapFailures(),
        Effect.withSpan("PgAlertRepo.move")
      ),
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
