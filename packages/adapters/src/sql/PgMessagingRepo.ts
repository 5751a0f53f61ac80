import { SqlClient } from "@effect/sql"
import type { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import type { UploadId } from "@vigie/domain/media/Upload"
import type { ConversationId, ConversationKind, MessageId, MessageReportId } from "@vigie/domain/messaging/Conversation"
import {
  MessagingRepo,
  type MessageRow,
  type OpenedConversation,
  type PersonRow,
  type ReportRow
} from "@vigie/domain/messaging/MessagingRepo"
import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures, type RepoFailure } from "./SqlFailure"

interface PersonSql {
  readonly account_id: string
  readonly first_name: string
  readonly last_name: string
  readonly status: string
}
interface MessageSql extends PersonSql {
  readonly id: string
  readonly conversation_id: string
  readonly created_at: Date
  readonly body: Uint8Array | null
  readonly photos: ReadonlyArray<string> | null
  readonly sent_at: Date
}

const person = (r: PersonSql): PersonRow => ({
  accountId: r.account_id as AccountId,
  firstName: r.first_name,
  lastName: r.last_name,
  status: r.status as AccountStatus
})

const message = (r: MessageSql): MessageRow => ({
  id: Number(r.id) as MessageId,
  conversationId: r.conversation_id as ConversationId,
  author: { ...person(r), createdAt: DateTime.unsafeFromDate(r.created_at) },
  body: r.body === null ? null : new Uint8Array(r.body),
  photos: (r.photos ?? []) as ReadonlyArray<UploadId>,
  sentAt: DateTime.unsafeFromDate(r.sent_at)
})

const at = (t: DateTime.Utc) => DateTime.toDateUtc(t)

/**
 * A message of `open`'s JSON page: its body in base64, its times in epoch milliseconds (a number is made
 * a DateTime without parsing a date string: twice per message, 50 messages a page).
 */
interface MessageJson extends PersonSql {
  readonly id: string
  readonly created_at: number
  readonly body: string | null
  readonly photos: ReadonlyArray<string> | null
  readonly sent_at: number
}

interface OpenSql {
  readonly kind: string
  readonly data_key: Uint8Array
  readonly last_read_id: string
  readonly unread: number
  readonly members: ReadonlyArray<PersonSql & { readonly last_read_id: string; readonly blocked: boolean }> | null
  readonly messages: ReadonlyArray<MessageJson> | null
}

const opened = (conversationId: ConversationId, r: OpenSql): OpenedConversation => ({
  me: {
    conversationId,
    kind: r.kind as ConversationKind,
    dataKey: new Uint8Array(r.data_key),
    lastReadId: Number(r.last_read_id),
    unread: r.unread
  },
  members: (r.members ?? []).map((m) => ({ ...person(m), lastReadId: Number(m.last_read_id),
    blockedByReader: m.blocked })
  ),
  messages: (r.messages ?? []).map((m) => ({
    id: Number(m.id) as MessageId,
    conversationId,
    author: { ...person(m), createdAt: DateTime.unsafeMake(m.created_at) },
    body: m.body === null ? null : Buffer.from(m.body, "base64"),
    photos: (m.photos ?? []) as ReadonlyArray<UploadId>,
    sentAt: DateTime.unsafeMake(m.sent_at)
  }))
})

/** The columns of a message row with its author, from `m` (conversation_messages) and `a` (accounts). */
const MESSAGE_COLUMNS = `m.id::text AS id, m.conversation_id, m.body, m.sent_at, a.id AS account_id,
  a.first_name, a.last_name, a.status, a.created_at,
  (SELECT array_agg(upload_id ORDER BY position) FROM conversation_attachments ca WHERE ca.message_id = m.id)
    AS photos`

/**
 * The messagerie on PostgreSQL. A member's list is one range of conversation_members_inbox; a page of
 * a conversation one range of conversation_messages_page; the unread counts are kept on the member
 * rows by the statements that add messages and move read marks (never counted over a whole table).
 * A conversation's messages are read as `conversation_id = ANY (ARRAY[id])` ordered by
 * (conversation_id, id): written `= id`, the planner takes conversation_id for a constant, drops it
 * from the order, and for a large conversation walked the primary key backward over every
 * conversation's messages, filtering them (18,588 rows read for a page of 50 in bench:messages); with
 * `= ANY` the order is one that only conversation_messages_page gives, so a page is always one range
 * of it (PostgreSQL 15 keeps a one-element `= ANY` as such; check the plan with bench:messages
 * --explain after a major upgrade).
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const run = <A>(name: string, self: Effect.Effect<A, RepoFailure>): Effect.Effect<A> =>
    self.pipe(mapFailures(), Effect.withSpan(`PgMessagingRepo.${name}`))

  const messages = (name: string, rows: Effect.Effect<ReadonlyArray<MessageSql>, RepoFailure>) =>
    run(name, Effect.map(rows, (rs) => rs.map(message)))

  return MessagingRepo.of({
    isVerifiedMember: (accountId) =>
      run(
        "isVerifiedMember",
        Effect.map(
          sql<{ ok: boolean }>`
SELECT EXISTS (SELECT 1 FROM memberships WHERE account_id = ${accountId} AND status = 'verified') AS ok`,
          (rows) => rows[0]?.ok === true
        )
      ),

    reachable: (writer, candidates) =>
      candidates.length === 0 ? Effect.succeed([]) : run(
        "reachable",
        Effect.map(
          sql<PersonSql>`
SELECT a.id AS account_id, a.first_name, a.last_name, a.status
FROM accounts a
WHERE a.id = ANY (${candidates}::uuid[]) AND a.id <> ${writer} AND a.status = 'active'
  AND EXISTS (
    SELECT 1 FROM memberships theirs JOIN memberships mine
      ON mine.community_id = theirs.community_id AND mine.account_id = ${writer} AND mine.status = 'verified'
    WHERE theirs.account_id = a.id AND theirs.status = 'verified')
  -- The rule of membership/MemberBlocks (eitherBlocks), inside this one statement: no block either way.
  AND NOT EXISTS (
    SELECT 1 FROM member_blocks b
    WHERE (b.blocker_id = a.id AND b.blocked_id = ${writer}) OR (b.blocker_id = ${writer} AND b.blocked_id = a.id))`,
          (rows) => rows.map(person)
        )
      ),

    findDirect: (key) =>
      run(
        "findDirect",
        Effect.map(sql<{ id: string }>`SELECT id FROM conversations WHERE direct_key = ${key}`, (rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => r.id as ConversationId))
      ),

    create: (c) =>
      run(
        "create",
        Effect.gen(function*() {
          const rows = yield* sql<{ id: string }>`
INSERT INTO conversations (kind, direct_key, origin, started_by, data_key, created_at, last_message_at)
VALUES (${c.kind}, ${c.directKey}, ${c.origin}, ${c.startedBy}, ${c.dataKey}, ${at(c.at)}, ${at(c.at)})
ON CONFLICT (direct_key) DO NOTHING
RETURNING id`
          const id = rows[0]?.id
          if (id === undefined) return Option.none<ConversationId>()
          yield* sql`
INSERT INTO conversation_members (conversation_id, account_id, joined_at, last_message_at)
SELECT ${id}, m, ${at(c.at)}, ${at(c.at)} FROM unnest(${c.members}::uuid[]) AS m`
          return Option.some(id as ConversationId)
        })
      ),

    rejoin: (conversationId, accountIds, when) =>
      run(
        "rejoin",
        sql`
UPDATE conversation_members SET left_at = NULL, joined_at = ${at(when)}
WHERE conversation_id = ${conversationId} AND account_id = ANY (${accountIds}::uuid[]) AND left_at IS NOT NULL`
          .pipe(Effect.asVoid)
      ),

    member: (conversationId, accountId) =>
      run(
        "member",
        Effect.map(
          sql<{ kind: string; data_key: Uint8Array; last_read_id: string; unread: number }>`
SELECT c.kind, c.data_key, cm.last_read_id::text AS last_read_id, cm.unread
FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
WHERE cm.conversation_id = ${conversationId} AND cm.account_id = ${accountId} AND cm.left_at IS NULL`,
          (rows) =>
            Option.map(Option.fromNullable(rows[0]), (r) => ({
              conversationId,
              kind: r.kind as ConversationKind,
              dataKey: new Uint8Array(r.data_key),
              lastReadId: Number(r.last_read_id),
              unread: r.unread
            }))
        )
      ),

    members: (conversationId) =>
      run(
        "members",
        Effect.map(
          sql<PersonSql & { last_read_id: string }>`
SELECT a.id AS account_id, a.first_name, a.last_name, a.status, cm.last_read_id::text AS last_read_id
FROM conversation_members cm JOIN accounts a ON a.id = cm.account_id
WHERE cm.conversation_id = ${conversationId} AND cm.left_at IS NULL
ORDER BY cm.joined_at, a.id`,
          (rows) => rows.map((r) => ({ ...person(r), lastReadId: Number(r.last_read_id) }))
        )
      ),

    insertMessage: (m) =>
      run(
        "insertMessage",
        Effect.gen(function*() {
          const rows = yield* sql<{ id: string }>`
INSERT INTO conversation_messages (conversation_id, author_id, body, sent_at)
VALUES (${m.conversationId}, ${m.authorId}, ${m.body}, ${at(m.at)})
RETURNING id::text AS id`
          const id = rows[0]!.id
          if (m.photos.length > 0) {
            yield* sql`
INSERT INTO conversation_attachments (upload_id, message_id, conversation_id, position)
SELECT u, ${id}::bigint, ${m.conversationId}, (n - 1)::smallint
FROM unnest(${m.photos}::uuid[]) WITH ORDINALITY AS x (u, n)`
          }
          yield* sql`UPDATE conversations SET last_message_at = ${at(m.at)} WHERE id = ${m.conversationId}`
          // Every current member's list moves; the others count it unread (the author has read it).
          yield* sql`
UPDATE conversation_members
SET last_message_at = ${at(m.at)},
    unread = CASE WHEN account_id = ${m.authorId} THEN unread ELSE unread + 1 END,
    first_unread_at = CASE WHEN account_id = ${m.authorId} THEN first_unread_at
                           ELSE coalesce(first_unread_at, ${at(m.at)}) END,
    last_read_id = CASE WHEN account_id = ${m.authorId} AND unread = 0 THEN ${id}::bigint ELSE last_read_id END
WHERE conversation_id = ${m.conversationId} AND left_at IS NULL`
          return Number(id) as MessageId
        })
      ),

    // One round trip for the page a member opens (GetConversation): their place, the members and the
    // page, the page's rows as JSON (bodies in base64).
    open: (conversationId, accountId, before, limit) =>
      run(
        "open",
        Effect.map(
          sql<OpenSql>`
SELECT c.kind, c.data_key, cm.last_read_id::text AS last_read_id, cm.unread,
  (SELECT json_agg(json_build_object('account_id', a.id, 'first_name', a.first_name, 'last_name', a.last_name,
            'status', a.status, 'last_read_id', o.last_read_id::text,
            'blocked', EXISTS (SELECT 1 FROM member_blocks b WHERE b.blocker_id = ${accountId} AND b.blocked_id = a.id))
          ORDER BY o.joined_at, a.id)
   FROM conversation_members o JOIN accounts a ON a.id = o.account_id
   WHERE o.conversation_id = cm.conversation_id AND o.left_at IS NULL) AS members,
  (SELECT json_agg(json_build_object('id', p.id::text, 'body', encode(p.body, 'base64'),
            'sent_at', floor(extract(epoch FROM p.sent_at) * 1000)::bigint,
            'account_id', a.id, 'first_name', a.first_name, 'last_name', a.last_name, 'status', a.status,
            'created_at', floor(extract(epoch FROM a.created_at) * 1000)::bigint,
            'photos', (SELECT array_agg(upload_id ORDER BY position) FROM conversation_attachments ca
                       WHERE ca.message_id = p.id))
          ORDER BY p.id DESC)
   FROM (SELECT m.id, m.body, m.sent_at, m.author_id FROM conversation_messages m
         WHERE m.conversation_id = ANY (${[conversationId]}::uuid[])
           AND m.id < ${Option.getOrElse(before, () => Number.MAX_SAFE_INTEGER)}::bigint
         ORDER BY m.conversation_id, m.id DESC
         LIMIT ${limit}) p
   JOIN accounts a ON a.id = p.author_id) AS messages
FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
WHERE cm.conversation_id = ${conversationId} AND cm.account_id = ${accountId} AND cm.left_at IS NULL`,
          (rows) => Option.map(Option.fromNullable(rows[0]), (r) => opened(conversationId, r))
        )
      ),

    markRead: (conversationId, accountId, upTo) =>
      run(
        "markRead",
        Effect.gen(function*() {
          // The row lock first: a message written meanwhile either commits before (and is counted
          // below, by a statement that sees it) or waits for this transaction and counts itself after.
          yield* sql`
SELECT 1 FROM conversation_members WHERE conversation_id = ${conversationId} AND account_id = ${accountId}
FOR UPDATE`
          const rows = yield* sql<{ unread: number }>`
WITH mark AS (
  SELECT greatest(last_read_id, ${upTo}::bigint) AS id FROM conversation_members
  WHERE conversation_id = ${conversationId} AND account_id = ${accountId}
), after AS (
  SELECT count(*)::int AS n, min(m.sent_at) AS first FROM conversation_messages m, mark
  WHERE m.conversation_id = ${conversationId} AND m.id > mark.id AND m.author_id <> ${accountId}
)
UPDATE conversation_members cm
SET last_read_id = mark.id, unread = after.n, first_unread_at = CASE WHEN after.n = 0 THEN NULL ELSE after.first END
FROM mark, after
WHERE cm.conversation_id = ${conversationId} AND cm.account_id = ${accountId}
RETURNING cm.unread`
          return rows[0]?.unread ?? 0
        })
      ),

    unreadTotal: (accountId) =>
      run(
        "unreadTotal",
        Effect.map(
          sql<{ messages: number; conversations: number }>`
SELECT coalesce(sum(unread), 0)::int AS messages, count(*) FILTER (WHERE unread > 0)::int AS conversations
FROM conversation_members WHERE account_id = ${accountId} AND left_at IS NULL`,
          (rows) => ({ messages: rows[0]?.messages ?? 0, conversations: rows[0]?.conversations ?? 0 })
        )
      ),

    list: (accountId, before, limit) =>
      run(
        "list",
        Effect.map(
          sql<
            {
              conversation_id: string
              kind: string
              last_message_at: Date
              unread: number
              others: ReadonlyArray<PersonSql> | null
            }
          >`
SELECT mine.conversation_id, c.kind, mine.last_message_at, mine.unread,
  (SELECT json_agg(json_build_object('account_id', a.id, 'first_name', a.first_name, 'last_name', a.last_name,
            'status', a.status) ORDER BY o.joined_at)
   FROM (SELECT account_id, joined_at FROM conversation_members
         WHERE conversation_id = mine.conversation_id AND account_id <> ${accountId} AND left_at IS NULL
         ORDER BY joined_at LIMIT 5) o
   JOIN accounts a ON a.id = o.account_id) AS others
FROM conversation_members mine JOIN conversations c ON c.id = mine.conversation_id
WHERE mine.account_id = ${accountId} AND mine.left_at IS NULL
  AND mine.last_message_at < ${Option.match(before, { onNone: () => new Date(8.64e15), onSome: at })}
ORDER BY mine.last_message_at DESC, mine.conversation_id
LIMIT ${limit}`,
          (rows) =>
            rows.map((r) => ({
              conversationId: r.conversation_id as ConversationId,
              kind: r.kind as ConversationKind,
              others: (r.others ?? []).map(person),
              lastMessageAt: DateTime.unsafeFromDate(r.last_message_at),
              unread: r.unread
            }))
        )
      ),

    leave: (conversationId, accountId, when) =>
      run(
        "leave",
        sql`
UPDATE conversation_members SET left_at = ${at(when)}, unread = 0, first_unread_at = NULL
WHERE conversation_id = ${conversationId} AND account_id = ${accountId} AND left_at IS NULL`.pipe(Effect.asVoid)
      ),

    findMessage: (messageId) =>
      run(
        "findMessage",
        Effect.map(
          sql<{ conversation_id: string; author_id: string }>`
SELECT conversation_id, author_id FROM conversation_messages WHERE id = ${messageId}::bigint`,
          (rows) =>
            Option.map(Option.fromNullable(rows[0]), (r) => ({
              conversationId: r.conversation_id as ConversationId,
              authorId: r.author_id as AccountId
            }))
        )
      ),

    insertReport: (r) =>
      run(
        "insertReport",
        sql`
INSERT INTO conversation_reports (message_id, conversation_id, reporter_id, reason, note, created_at)
VALUES (${r.messageId}::bigint, ${r.conversationId}, ${r.reporterId}, ${r.reason}, ${r.note}, ${at(r.at)})
ON CONFLICT (message_id, reporter_id) DO NOTHING`.pipe(Effect.asVoid)
      ),

    openReports: (limit) =>
      run("openReports", Effect.map(reportRows(sql, Option.none(), limit), (rows) => rows.map(report))),

    findOpenReport: (reportId) =>
      run(
        "findOpenReport",
        Effect.map(
          reportRows(sql, Option.some(reportId), 1),
          (rows) => Option.map(Option.fromNullable(rows[0]), report)
        )
      ),

    dataKey: (conversationId) =>
      run(
        "dataKey",
        Effect.map(
          sql<{ data_key: Uint8Array }>`
SELECT data_key FROM conversations WHERE id = ${conversationId}`,
          (rows) => new Uint8Array(rows[0]!.data_key)
        )
      ),

    around: (conversationId, messageId, each) =>
      messages(
        "around",
        sql<MessageSql>`
(SELECT ${sql.literal(MESSAGE_COLUMNS)}
 FROM conversation_messages m JOIN accounts a ON a.id = m.author_id
 WHERE m.conversation_id = ANY (${[conversationId]}::uuid[]) AND m.id < ${messageId}::bigint
 ORDER BY m.conversation_id, m.id DESC LIMIT ${each})
UNION ALL
(SELECT ${sql.literal(MESSAGE_COLUMNS)}
 FROM conversation_messages m JOIN accounts a ON a.id = m.author_id
 WHERE m.conversation_id = ANY (${[conversationId]}::uuid[]) AND m.id >= ${messageId}::bigint
 ORDER BY m.conversation_id DESC, m.id LIMIT ${each + 1})
ORDER BY id`
      ).pipe(Effect.map((rows) => [...rows].sort((x, y) => x.id - y.id))),

    closeReport: (reportId, by, when) =>
      run(
        "closeReport",
        Effect.map(
          sql`
UPDATE conversation_reports SET closed_at = ${at(when)}, closed_by = ${by}
WHERE id = ${reportId} AND closed_at IS NULL RETURNING id`,
          (rows) => rows.length > 0
        )
      ),

    holdsUpload: (accountId, uploadId) =>
      run(
        "holdsUpload",
        Effect.map(
          sql<{ ok: boolean }>`
SELECT EXISTS (
  SELECT 1 FROM conversation_attachments ca
  JOIN conversation_messages m ON m.id = ca.message_id AND m.removed_at IS NULL
  JOIN conversation_members cm ON cm.conversation_id = ca.conversation_id AND cm.account_id = ${accountId}
    AND cm.left_at IS NULL
  WHERE ca.upload_id = ${uploadId}) AS ok`,
          (rows) => rows[0]?.ok === true
        )
      ),

    takeDueEmails: (now, unreadSince, emailedBefore, limit) =>
      run(
        "takeDueEmails",
        Effect.map(
          sql<{ conversation_id: string; account_id: string; unread: number }>`
WITH due AS (
  SELECT cm.conversation_id, cm.account_id FROM conversation_members cm
  WHERE cm.first_unread_at IS NOT NULL AND cm.left_at IS NULL AND cm.first_unread_at <= ${at(unreadSince)}
    AND (cm.emailed_at IS NULL OR cm.emailed_at <= ${at(emailedBefore)})
    AND NOT EXISTS (SELECT 1 FROM messaging_preferences p WHERE p.account_id = cm.account_id AND NOT p.email_when_unread)
  ORDER BY cm.first_unread_at
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED
)
UPDATE conversation_members cm SET emailed_at = ${at(now)}
FROM due WHERE cm.conversation_id = due.conversation_id AND cm.account_id = due.account_id
RETURNING cm.conversation_id, cm.account_id, cm.unread`,
          (rows) =>
            rows.map((r) => ({
              conversationId: r.conversation_id as ConversationId,
              accountId: r.account_id as AccountId,
              unread: r.unread
            }))
        )
      ),

    deleteInactive: (before, limit) =>
      run(
        "deleteInactive",
        Effect.map(
          sql`
DELETE FROM conversations WHERE id IN (
  SELECT id FROM conversations WHERE last_message_at < ${at(before)} ORDER BY last_message_at LIMIT ${limit}
  FOR UPDATE SKIP LOCKED)
RETURNING id`,
          (rows) => rows.length
        )
      ),

    exportOf: (accountId) =>
      run(
        "exportOf",
        Effect.gen(function*() {
          const conversations = yield* sql<
            { id: string; kind: string; data_key: Uint8Array; others: ReadonlyArray<PersonSql> | null }
          >`
SELECT c.id, c.kind, c.data_key,
  (SELECT json_agg(json_build_object('account_id', a.id, 'first_name', a.first_name, 'last_name', a.last_name,
     'status', a.status))
   FROM conversation_members o JOIN accounts a ON a.id = o.account_id
   WHERE o.conversation_id = c.id AND o.account_id <> ${accountId}) AS others
FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
WHERE cm.account_id = ${accountId}
ORDER BY c.created_at`
          return yield* Effect.forEach(conversations, (c) =>
            Effect.map(
              sql<MessageSql>`
SELECT ${sql.literal(MESSAGE_COLUMNS)}
FROM conversation_messages m JOIN accounts a ON a.id = m.author_id
WHERE m.conversation_id = ANY (${[c.id]}::uuid[])
ORDER BY m.conversation_id DESC, m.id`,
              (rows) => ({
                conversationId: c.id as ConversationId,
                kind: c.kind as ConversationKind,
                dataKey: new Uint8Array(c.data_key),
                others: (c.others ?? []).map(person),
                messages: rows.map(message)
              })
            ))
        })
      ),

    emailWhenUnread: (accountId) =>
      run(
        "emailWhenUnread",
        Effect.map(
          sql<{ on: boolean }>`
SELECT email_when_unread AS on FROM messaging_preferences WHERE account_id = ${accountId}`,
          (rows) => rows[0]?.on ?? true
        )
      ),

    setEmailWhenUnread: (accountId, on) =>
      run(
        "setEmailWhenUnread",
        sql`
INSERT INTO messaging_preferences (account_id, email_when_unread) VALUES (${accountId}, ${on})
ON CONFLICT (account_id) DO UPDATE SET email_when_unread = excluded.email_when_unread`.pipe(Effect.asVoid)
      )
  })
})

interface ReportSql {
  readonly id: string
  readonly message_id: string
  readonly conversation_id: string
  readonly reason: string
  readonly note: string | null
  readonly created_at: Date
  readonly author_id: string
}

const reportRows = (sql: SqlClient.SqlClient, id: Option.Option<MessageReportId>, limit: number) =>
  sql<ReportSql>`
SELECT r.id, r.message_id::text AS message_id, r.conversation_id, r.reason, r.note, r.created_at, m.author_id
FROM conversation_reports r JOIN conversation_messages m ON m.id = r.message_id
WHERE r.closed_at IS NULL ${Option.match(id, { onNone: () => sql``, onSome: (v) => sql`AND r.id = ${v}` })}
ORDER BY r.created_at, r.id
LIMIT ${limit}`

const report = (r: ReportSql): ReportRow => ({
  id: r.id as MessageReportId,
  messageId: Number(r.message_id) as MessageId,
  conversationId: r.conversation_id as ConversationId,
  reason: r.reason as HideReason,
  note: r.note,
  createdAt: DateTime.unsafeFromDate(r.created_at),
  authorId: r.author_id as AccountId
})

export const layer = Layer.effect(MessagingRepo, make)
