/**
 * The messagerie at national scale on a real PostgreSQL server (issue 16, item 6).
 *
 *   DATABASE_URL=postgres://… npm run bench:messages                   seed (long) and measure
 *   DATABASE_URL=postgres://… npm run bench:messages -- --reuse        keep the seeded database of an earlier run
 *   DATABASE_URL=postgres://… npm run bench:messages -- --scale 0.01   a quick run (its own database)
 *   options: --requests 5000, --concurrency 32, --pool 10, --messages 3000000 (at scale 1; scaled too),
 *            --explain (EXPLAIN (ANALYZE, BUFFERS) of the list and the open statements), --only list or page
 *
 * The database is `vigie_messages` (`vigie_messages_<scale>` below scale 1), dropped and recreated by a
 * run without --reuse, migrated by the real migrations. It is seeded by the national seed (NationalSeed.ts:
 * 300,000 members in their quartiers, a small history of alerts) and then, set-based, the messagerie:
 * - conversations between verified active members of one quartier: 90 % one-to-one (distinct pairs),
 *   10 % groups of 3 to 50 (skewed toward small ones, no larger than the quartier); who starts them is
 *   drawn with a skew (u² for the one-to-ones, u³ for the groups over the members in seed order, the
 *   largest commune's first), so a few members of the large quartiers have hundreds of conversations;
 * - `--messages` messages (3,000,000 at scale 1), each conversation's count heavy-tailed (a truncated
 *   Pareto: most have a few, some thousands), written across all conversations in time slices, so that a
 *   conversation's messages are scattered over the table as years of use leave them;
 * - bodies sealed as production seals them: each conversation's data key made by the production
 *   MessageCipher (NodeMessageCipher over the bench's secret key, kept in the database for --reuse), and
 *   three texts sealed under it and the conversation's id, reused across its messages (COPY-like batches
 *   of unnest from node); the measurement checks that every page's bodies open to one of those texts;
 * - read marks: 70 % of the member rows have read everything, the others are 1 to 20 messages behind,
 *   with the unread count and the first unread time the production statements keep.
 *
 * Measured through the use cases the RPC handlers call (ListConversations → Messaging.list,
 * GetConversation → Messaging.get: the latest page, decrypted), over the production repositories and
 * the same pool, without the HTTP and RPC layers: each request also loads its account by id, as the
 * session look-up of a real request does. Members and conversations are drawn half uniformly over the
 * member rows, a quarter weighted by their size (messages), a quarter among the heaviest. The baseline
 * beside each figure is `SELECT 1` through the same pool at the same concurrency (run before and after);
 * the repository's list and open statements are also measured alone (rows decoded; no account load,
 * decryption nor view), to tell the database's share from this process's. Goal (issue 16):
 * ≥ 1,000 requests/s and p99 < 50 ms for each.
 */
import { randomBytes } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlClient } from "@effect/sql"
import * as NodeMessageCipher from "@vigie/adapters/crypto/NodeMessageCipher"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { ConversationId } from "@vigie/domain/messaging/Conversation"
import { MessageCipher } from "@vigie/domain/messaging/MessageCipher"
import { Messaging } from "@vigie/domain/messaging/Messaging"
import { LIST_SIZE, PAGE_SIZE } from "@vigie/domain/messaging/MessagingPolicy"
import { MessagingRepo } from "@vigie/domain/messaging/MessagingRepo"
import { Effect, Layer, Option, Redacted } from "effect"
import * as Platform from "../Platform.js"
import { argument } from "./BenchArguments.js"
import { actorOf, capturing, explainStatement, selectOne, statementsSent } from "./BenchStatements.js"
import { serverDatabase } from "./BenchDatabase.js"
import * as BenchPlatform from "./BenchPlatform.js"
import { line as printLine, load, ratio as printRatio, type Run } from "./BenchLoad.js"
import { seed, type SeedShape, shapeOf } from "./NationalSeed.js"

const flag = (name: string) => process.argv.includes(`--${name}`)
const scale = (() => {
  const index = process.argv.indexOf("--scale")
  if (index < 0) return 1
  const value = Number(process.argv[index + 1])
  if (!(value > 0 && value <= 1)) throw new Error("--scale needs a number in (0, 1]")
  return value
})()
const reuse = flag("reuse")
/** `--only list` or `--only page`: measure that one (with its baselines), e.g. under a profiler. */
const only = (() => {
  const index = process.argv.indexOf("--only")
  if (index < 0) return undefined
  const value = process.argv[index + 1]
  if (value !== "list" && value !== "page") throw new Error("--only needs list or page")
  return value
})()
const explain = flag("explain")
const requests = argument("requests", 5_000)
const concurrency = argument("concurrency", 32)
const pool = argument("pool", 10)
const totalMessages = Math.max(10_000, Math.round(argument("messages", 3_000_000) * scale))
/** About 7.5 messages per conversation on average (their counts heavy-tailed). */
const totalConversations = Math.max(1_000, Math.round(totalMessages / 7.5))
const databaseName = scale === 1 ? "vigie_messages" : `vigie_messages_${String(scale).replace(".", "_")}`

/** The texts sealed in each conversation (j = 0, 1, 2), `c` its seed number. */
const TEXTS = 3
const textOf = (c: number, j: number) =>
  `Bonjour, c'est pour la conversation ${c} : texte ${j}. ${
    "Un message de voisin, de longueur ordinaire. ".repeat(1 + j)
  }`
const TEXT_PATTERN = /^Bonjour, c'est pour la conversation (\d+) : texte (\d)\. /

/** One seed step: runs it, prints its time (and its rows when counted). */
const step = <A, E, R>(label: string, self: Effect.Effect<A, E, R>, rows?: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const started = performance.now()
    process.stderr.write(`  ${label}…`)
    const result = yield* self
    const seconds = (performance.now() - started) / 1000
    process.stderr.write("\r" + " ".repeat(100) + "\r")
    const count = rows === undefined ?
      "" :
      `${(yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(rows)}`)[0]!.n.toLocaleString("en-US")} rows, `
    console.log(`  seed ${label.padEnd(40)} ${count}${seconds.toFixed(1)} s`)
    return result
  })

const messagingSeed = (shape: SeedShape) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cipher = yield* MessageCipher
    const started = performance.now()
    const N = totalConversations
    const directs = Math.round(N * 0.9)
    const groups = N - directs

    yield* step(
      "members by quartier (verified, active)",
      Effect.gen(function*() {
        // i: the member's place in seed order (the largest commune's first); r: their place in the quartier.
        yield* sql`
CREATE TABLE bench_qm AS
SELECT (row_number() OVER (ORDER BY m.n) - 1)::int AS i, m.k,
  (row_number() OVER (PARTITION BY m.k ORDER BY m.n) - 1)::int AS r, m.account_id
FROM bench_members m
JOIN memberships mb ON mb.account_id = m.account_id AND mb.status = 'verified'
JOIN accounts a ON a.id = m.account_id AND a.status = 'active'`
        yield* sql`ALTER TABLE bench_qm ADD PRIMARY KEY (i)`
        yield* sql`CREATE UNIQUE INDEX ON bench_qm (k, r)`
        yield* sql`CREATE TABLE bench_qs AS SELECT k, count(*)::int AS size FROM bench_qm GROUP BY k`
        yield* sql`ALTER TABLE bench_qs ADD PRIMARY KEY (k)`
        yield* sql`ANALYZE bench_qm, bench_qs`
      }),
      "bench_qm"
    )
    const [{ v }] = (yield* sql<{ v: number }>`SELECT count(*)::int AS v FROM bench_qm`) as [{ v: number }]

    yield* step(
      `conversations planned (${directs} 1:1, ${groups} groups)`,
      Effect.gen(function*() {
        yield* sql`
CREATE TABLE bench_conversations (
  c serial PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), kind text NOT NULL, direct_key text,
  members uuid[] NOT NULL, msgs int, last_at timestamptz NOT NULL, created_at timestamptz)`
        // One-to-ones: a starter drawn with u², a partner of the same quartier; distinct pairs.
        yield* sql`
INSERT INTO bench_conversations (kind, direct_key, members, last_at)
SELECT 'direct', key, ARRAY[a, b], now() - random() ^ 2 * interval '700 days' - interval '1 minute'
FROM (
  SELECT DISTINCT ON (key) key, a, b FROM (
    SELECT CASE WHEN q1.account_id < q2.account_id THEN q1.account_id::text || ':' || q2.account_id::text
                ELSE q2.account_id::text || ':' || q1.account_id::text END AS key,
      q1.account_id AS a, q2.account_id AS b
    FROM (SELECT floor(${v}::int * random() ^ 2)::int AS i, random() AS u FROM generate_series(1, ${
          Math.round(directs * 1.3)
        }::int)) s
    JOIN bench_qm q1 ON q1.i = s.i
    JOIN bench_qs qs ON qs.k = q1.k AND qs.size > 1
    JOIN bench_qm q2 ON q2.k = q1.k AND q2.r = (q1.r + 1 + floor(s.u * (qs.size - 1))::int) % qs.size
  ) x
) y
LIMIT ${directs}::int`
        // Groups: a starter drawn with u³ and the next members of their quartier, 3 to 50 (skewed small).
        yield* sql`
INSERT INTO bench_conversations (kind, direct_key, members, last_at)
SELECT 'group', NULL,
  (SELECT array_agg(q2.account_id ORDER BY t) FROM generate_series(0, s.size - 1) t
   JOIN bench_qm q2 ON q2.k = s.k AND q2.r = (s.r + t) % s.qsize),
  now() - random() ^ 2 * interval '700 days' - interval '1 minute'
FROM (
  SELECT q1.k, q1.r, qs.size AS qsize, least(qs.size, 3 + floor(47 * random() ^ 4)::int) AS size
  FROM (SELECT floor(${v}::int * random() ^ 3)::int AS i FROM generate_series(1, ${groups}::int)) g
  JOIN bench_qm q1 ON q1.i = g.i
  JOIN bench_qs qs ON qs.k = q1.k AND qs.size >= 3
) s`
        // Messages per conversation: 1 + a truncated Pareto share of the rest; dates within 180 days of the last.
        yield* sql`
WITH w AS (SELECT c, least(random() ^ -1.1, 20000) AS w FROM bench_conversations),
  total AS (SELECT sum(w) AS s, count(*) AS n FROM w)
UPDATE bench_conversations b SET msgs = 1 + round(w.w * greatest(0, ${totalMessages}::int - total.n) / total.s)::int
FROM w, total WHERE w.c = b.c`
        yield* sql`UPDATE bench_conversations SET created_at = last_at - random() * interval '180 days'`
        yield* sql`VACUUM (ANALYZE) bench_conversations`
      }),
      "bench_conversations"
    )

    // Keys and bodies made in node by the production cipher, sent in batches (unnest of arrays).
    yield* step(
      "keys and sealed bodies (node, production cipher)",
      Effect.gen(function*() {
        yield* sql`CREATE TABLE bench_keys (c int PRIMARY KEY, data_key bytea NOT NULL)`
        yield* sql`CREATE TABLE bench_bodies (c int NOT NULL, j int NOT NULL, body bytea NOT NULL, PRIMARY KEY (c, j))`
        const batch = 5_000
        for (let after = 0;;) {
          const rows = yield* sql<{ c: number; id: string }>`
SELECT c, id FROM bench_conversations WHERE c > ${after}::int ORDER BY c LIMIT ${batch}::int`
          if (rows.length === 0) break
          const keyC: Array<number> = []
          const keys: Array<string> = []
          const bodyC: Array<number> = []
          const bodyJ: Array<number> = []
          const bodies: Array<string> = []
          for (const row of rows) {
            const key = yield* cipher.newKey
            keyC.push(row.c)
            keys.push(Buffer.from(key).toString("hex"))
            for (let j = 0; j < TEXTS; j++) {
              bodyC.push(row.c)
              bodyJ.push(j)
              bodies.push(Buffer.from(yield* cipher.seal(key, row.id, textOf(row.c, j))).toString("hex"))
            }
          }
          yield* sql`
INSERT INTO bench_keys (c, data_key) SELECT c, decode(k, 'hex') FROM unnest(${keyC}::int[], ${keys}::text[]) AS x (c, k)`
          yield* sql`
INSERT INTO bench_bodies (c, j, body)
SELECT c, j, decode(b, 'hex') FROM unnest(${bodyC}::int[], ${bodyJ}::int[], ${bodies}::text[]) AS x (c, j, b)`
          after = rows[rows.length - 1]!.c
          process.stderr.write(`\r  keys and sealed bodies… ${after}/${N}   `)
        }
      }),
      "bench_bodies"
    )

    yield* step(
      "conversations",
      sql`
INSERT INTO conversations (id, kind, direct_key, origin, started_by, data_key, created_at, last_message_at)
SELECT b.id, b.kind, b.direct_key, 'member', b.members[1], k.data_key, b.created_at, b.last_at
FROM bench_conversations b JOIN bench_keys k ON k.c = b.c`,
      "conversations"
    )

    // Message g of conversation c at created + (g / msgs) of its span (the last one at last_at), author
    // the members in turn; written in slices of every conversation's history, each slice in time order.
    const slices = Math.max(1, Math.min(20, Math.round(totalMessages / 150_000)))
    yield* step(
      `messages (${slices} time slices)`,
      Effect.forEach(Array.from({ length: slices }, (_, p) => p), (p) =>
        Effect.tap(
          sql`
INSERT INTO conversation_messages (conversation_id, author_id, body, sent_at)
SELECT b.id, b.members[1 + (g + b.c) % cardinality(b.members)], bb.body,
  b.created_at + (g::double precision / b.msgs) * (b.last_at - b.created_at)
FROM bench_conversations b
CROSS JOIN LATERAL generate_series(b.msgs * ${p}::int / ${slices}::int + 1, b.msgs * ${p + 1}::int / ${slices}::int) g
JOIN bench_bodies bb ON bb.c = b.c AND bb.j = g % ${TEXTS}::int
ORDER BY 4`,
          () => Effect.sync(() => process.stderr.write(`\r  messages… slice ${p + 1}/${slices}   `))
        ), { discard: true }),
      "conversation_messages"
    )
    yield* sql`VACUUM (ANALYZE) conversation_messages`

    // Member rows (drawn by a hash: random() in an uncorrelated LATERAL is computed once): 70 % have read
    // everything; the others stopped 1 to 20 messages before the end (skewed to few), with
    // the unread count (the others' messages after the mark) and the first unread time.
    const parts = Math.max(1, Math.min(10, Math.round(N / 40_000)))
    yield* step(
      "conversation members, read marks, unread",
      Effect.forEach(Array.from({ length: parts }, (_, p) => p), (p) =>
        sql`
INSERT INTO conversation_members (conversation_id, account_id, joined_at, last_message_at, last_read_id, unread,
  first_unread_at)
SELECT b.id, mem.account_id, b.created_at, b.last_at, mark.id, coalesce(u.n, 0), u.first
FROM bench_conversations b
CROSS JOIN LATERAL unnest(b.members) AS mem (account_id)
CROSS JOIN LATERAL (SELECT abs(hashtext(b.c::text || ':' || mem.account_id::text)) % 1000 AS h) hh
CROSS JOIN LATERAL (SELECT CASE WHEN hh.h < 700 THEN 0 ELSE 1 + (hh.h - 700) * (hh.h - 700) * 19 / 89401 END AS behind) t
CROSS JOIN LATERAL (
  SELECT coalesce((SELECT id FROM conversation_messages m WHERE m.conversation_id = b.id ORDER BY id DESC
    OFFSET t.behind LIMIT 1), 0) AS id) mark
LEFT JOIN LATERAL (
  SELECT count(*)::int AS n, min(sent_at) AS first FROM conversation_messages m
  WHERE t.behind > 0 AND m.conversation_id = b.id AND m.id > mark.id AND m.author_id <> mem.account_id
  HAVING count(*) > 0) u ON true
WHERE b.c % ${parts}::int = ${p}::int`, { discard: true }),
      "conversation_members"
    )

    yield* step("VACUUM (ANALYZE)", sql`VACUUM (ANALYZE)`)
    const seconds = (performance.now() - started) / 1000
    console.log(`  messagerie seeded in ${seconds.toFixed(1)} s (${shape.members.toLocaleString("en-US")} members)`)
  })

const line = (name: string, run: Run) => printLine(name, run, { width: 48, p95: true })

const ratio = (name: string, run: Run, baseline: Run) =>
  printRatio(
    name,
    run,
    baseline,
    `; goal ≥ 1,000/s and p99 < 50 ms: ${run.perSecond >= 1000 && run.p99 < 50 ? "met" : "missed"}${
      scale === 1 ? "" : ` (this run is at scale ${scale})`
    }`
  )

/** Draws `n` items: half from `uniform`, a quarter from `weighted`, a quarter from `heavy`, interleaved. */
const mix = <A>(uniform: ReadonlyArray<A>, weighted: ReadonlyArray<A>, heavy: ReadonlyArray<A>, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const from = i % 4 < 2 ? uniform : i % 4 === 2 ? weighted : heavy
    return from[Math.floor(Math.random() * from.length)]!
  })

const measure = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const messaging = yield* Messaging
  const [sizes] = yield* sql<{ messages: string; members: string; conversations: number; rows: number }>`
SELECT pg_size_pretty(pg_total_relation_size('conversation_messages')) AS messages,
  pg_size_pretty(pg_total_relation_size('conversation_members')) AS members,
  (SELECT count(*)::int FROM conversations) AS conversations,
  (SELECT count(*)::int FROM conversation_messages) AS rows`
  const [spread] = yield* sql<{ most_conversations: number; most_messages: number; groups: number; unread: number }>`
SELECT (SELECT max(n)::int FROM (SELECT count(*) AS n FROM conversation_members GROUP BY account_id) x) AS most_conversations,
  (SELECT max(msgs) FROM bench_conversations) AS most_messages,
  (SELECT count(*)::int FROM conversations WHERE kind = 'group') AS groups,
  (SELECT count(*)::int FROM conversation_members WHERE unread > 0) AS unread`
  console.log(
    `\ndatabase: ${sizes!.rows.toLocaleString("en-US")} messages (${sizes!.messages} with indexes) in ${
      sizes!.conversations.toLocaleString("en-US")
    } conversations (${spread!.groups.toLocaleString("en-US")} groups), member rows ${sizes!.members}, ${
      spread!.unread.toLocaleString("en-US")
    } with unread messages; most conversations of one member ${spread!.most_conversations}, most messages in one ${
      spread!.most_messages
    }; pool ${pool} connections`
  )

  // Samples: member rows (uniform over rows: members weighted by their conversations), members by
  // conversation count, the heaviest; conversations likewise by rows, by messages, the largest.
  const members = (yield* sql<{ account_id: AccountId }>`
SELECT account_id FROM conversation_members TABLESAMPLE BERNOULLI (5) WHERE left_at IS NULL LIMIT 4000`).map((r) =>
    r.account_id
  )
  const heavyMembers = (yield* sql<{ account_id: AccountId }>`
SELECT account_id FROM conversation_members WHERE left_at IS NULL GROUP BY account_id ORDER BY count(*) DESC LIMIT 200`)
    .map((r) => r.account_id)
  const busyMembers = (yield* sql<{ account_id: AccountId }>`
SELECT account_id FROM conversation_members WHERE left_at IS NULL GROUP BY account_id HAVING count(*) >= 10
ORDER BY random() LIMIT 2000`).map((r) => r.account_id)
  interface Pair {
    readonly c: ConversationId
    readonly a: AccountId
  }
  const pairs = (rows: ReadonlyArray<{ conversation_id: ConversationId; account_id: AccountId }>): Array<Pair> =>
    rows.map((r) => ({ c: r.conversation_id, a: r.account_id }))
  const uniformPairs = pairs(
    yield* sql<{ conversation_id: ConversationId; account_id: AccountId }>`
SELECT b.id AS conversation_id, b.members[1] AS account_id FROM bench_conversations b
WHERE b.c IN (SELECT 1 + floor(random() * (SELECT max(c) FROM bench_conversations))::int FROM generate_series(1, 4000))`
  )
  const weightedPairs = pairs(
    yield* sql<{ conversation_id: ConversationId; account_id: AccountId }>`
SELECT m.conversation_id, m.author_id AS account_id FROM conversation_messages m TABLESAMPLE BERNOULLI (1) LIMIT 4000`
  )
  const heavyPairs = pairs(
    yield* sql<{ conversation_id: ConversationId; account_id: AccountId }>`
SELECT id AS conversation_id, members[1 + floor(random() * cardinality(members))::int] AS account_id
FROM bench_conversations ORDER BY msgs DESC LIMIT 200`
  )
  const listSample = mix(members, busyMembers.length > 0 ? busyMembers : members, heavyMembers, 4000)
  const pageSample = mix(uniformPairs, weightedPairs, heavyPairs, 4000)

  // Every body a page shows must open to the text sealed for its conversation.
  const cNumbers = new Map((yield* sql<{ c: number; id: string }>`
SELECT c, id FROM bench_conversations WHERE id = ANY (${[...new Set(pageSample.map((p) => p.c))]}::uuid[])`).map((r) =>
    [r.id, r.c] as const
  ))
  let opened = 0
  const check = (c: ConversationId, bodies: ReadonlyArray<string | null>) => {
    for (const body of bodies) {
      const found = body === null ? null : TEXT_PATTERN.exec(body)
      if (
        found === null || Number(found[1]) !== cNumbers.get(c) || body !== textOf(Number(found[1]), Number(found[2]))
      ) {
        throw new Error(`conversation ${c}: a body did not open to its sealed text: ${String(body).slice(0, 80)}`)
      }
      opened++
    }
  }

  const listOne = (i: number) =>
    Effect.flatMap(actorOf(listSample[i % listSample.length]!), (actor) => messaging.list(actor, Option.none()))
  const pageOne = (i: number) => {
    const pair = pageSample[i % pageSample.length]!
    return Effect.flatMap(actorOf(pair.a), (actor) =>
      Effect.tap(
        messaging.get(actor, pair.c, Option.none()),
        (view) => Effect.sync(() => check(pair.c, view.messages.map((m) => m.body)))
      ))
  }

  const ratios: Array<readonly [string, Run]> = []
  console.log(`\n${requests} requests each, ${concurrency} in flight (account loaded per request, as a session)`)
  // Warm-up, as a running server is.
  yield* load(Math.min(500, requests), concurrency, () => selectOne)
  yield* load(Math.min(1000, requests), concurrency, listOne)
  yield* load(Math.min(1000, requests), concurrency, pageOne)

  const baseline = yield* load(requests, concurrency, () => selectOne)
  line("baseline: SELECT 1, same pool, same concurrency", baseline)
  const repo = yield* MessagingRepo
  let sentBefore = statementsSent()
  if (only !== "page") {
    const list = yield* load(requests, concurrency, listOne)
    line("conversation list (ListConversations)", list)
    console.log(`  ${((statementsSent() - sentBefore) / requests).toFixed(1)} statements per request`)
    // Where the time goes: the repository's statement alone (rows decoded, no account load, no view),
    // through the same pool at the same concurrency.
    line(
      "  the list statement alone (MessagingRepo.list)",
      yield* load(requests, concurrency, (i) => repo.list(listSample[i % listSample.length]!, Option.none(), LIST_SIZE))
    )
    ratios.push(["conversation list / SELECT 1", list])
  }
  if (only !== "list") {
    sentBefore = statementsSent()
    opened = 0
    const page = yield* load(requests, concurrency, pageOne)
    line("conversation page, decrypted (GetConversation)", page)
    console.log(
      `  ${((statementsSent() - sentBefore) / requests).toFixed(1)} statements per request; ${
        opened.toLocaleString("en-US")
      } bodies opened and checked against their sealed texts (${(opened / requests).toFixed(1)} per page)`
    )
    line(
      "  the open statement alone (MessagingRepo.open)",
      yield* load(requests, concurrency, (i) => {
        const pair = pageSample[i % pageSample.length]!
        return repo.open(pair.c, pair.a, Option.none(), PAGE_SIZE)
      })
    )
    ratios.push(["conversation page / SELECT 1", page])
  }
  const baselineAfter = yield* load(requests, concurrency, () => selectOne)
  line("baseline again (after)", baselineAfter)
  for (const [name, run] of ratios) ratio(name, run, baseline)

  if (explain) {
    const heavyMember = heavyMembers[0]!
    const listStatements = yield* capturing(
      listOne(0).pipe(Effect.zipRight(
        Effect.flatMap(actorOf(heavyMember), (actor) => messaging.list(actor, Option.none()))
      ))
    )
    yield* explainStatement(
      "the conversation list of the member with the most conversations",
      listStatements.filter((s) => s.text.includes("conversation_members mine")).at(-1)
    )
    const heavy = heavyPairs[0]!
    const pageStatements = yield* capturing(
      pageOne(0).pipe(Effect.zipRight(
        Effect.flatMap(actorOf(heavy.a), (actor) => messaging.get(actor, heavy.c, Option.none()))
      ))
    )
    yield* explainStatement(
      "the conversation with the most messages opened (member row, members, latest page)",
      pageStatements.filter((s) => s.text.includes("ORDER BY m.conversation_id, m.id DESC")).at(-1)
    )
  }
})

const platform = (secret: Uint8Array) =>
  Layer.unwrapEffect(Effect.sync(() => {
    const dir = mkdtempSync(join(tmpdir(), "vigie-bench-messages-"))
    const publicUrl = new URL("https://vigie.example.fr")
    const secrets = NodeSecrets.layerWith(Redacted.make(secret))
    const ports = Layer.merge(
      BenchPlatform.ports({ directory: dir, secrets, publicUrl }),
      // The production cipher over the same secret: the one the seed seals with, Messaging's own opens.
      NodeMessageCipher.layer.pipe(Layer.provide(secrets))
    )
    return Platform.useCases.pipe(Layer.provideMerge(ports))
  }))

const run = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [seeded] = yield* sql<{ secret: Uint8Array; shape: SeedShape }>`
SELECT secret, shape FROM bench_messages_seed WHERE to_regclass('bench_messages_seed') IS NOT NULL`.pipe(
    Effect.catchAll(() => Effect.succeed([]))
  )
  if (seeded !== undefined) {
    console.log(`database ${databaseName} reused (${JSON.stringify(seeded.shape)})`)
    return yield* measure.pipe(Effect.provide(platform(new Uint8Array(seeded.secret))))
  }
  const shape: SeedShape = { ...shapeOf(scale, 1), alerts: Math.max(1_000, Math.round(20_000 * scale)) }
  const secret = new Uint8Array(randomBytes(32))
  console.log(
    `database ${databaseName}: seeding ${JSON.stringify(shape)}, ${totalMessages.toLocaleString("en-US")} messages`
  )
  const nationalSeconds = yield* seed(shape)
  console.log(`  national seed: ${nationalSeconds.toFixed(1)} s`)
  yield* messagingSeed(shape).pipe(Effect.provide(platform(secret)))
  yield* sql`CREATE TABLE bench_messages_seed (secret bytea NOT NULL, shape jsonb NOT NULL)`
  yield* sql`INSERT INTO bench_messages_seed VALUES (${secret}, ${JSON.stringify(shape)}::jsonb)`
  return yield* measure.pipe(Effect.provide(platform(secret)))
})

const bench = (url: string) =>
  Effect.gen(function*() {
    // Only this bench's own database, by its fixed name.
    const database = yield* serverDatabase(url, { name: databaseName, reuse, maxConnections: pool })
    yield* Migrations.migrate.pipe(Effect.provide(database))
    yield* run.pipe(Effect.provide(database))
  })

const url = process.env["DATABASE_URL"]
if (url === undefined || url === "") {
  console.error(
    "bench:messages needs a real PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).\n" +
      `It creates its own database (${databaseName}) there.`
  )
  process.exit(2)
}
Effect.runPromise(bench(url)).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
