import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import {
  type DigestAccount,
  type DigestPostFacts,
  digestRecipients,
  type DigestWorld,
  digestWindow
} from "@vigie/domain/gazette/GazetteDigest"
import { GazetteDigestRepo } from "@vigie/domain/gazette/GazetteDigestRepo"
import * as GazetteDigests from "@vigie/domain/gazette/GazetteDigests"
import { defaultGazetteChoices, type GazetteChoices } from "@vigie/domain/gazette/GazettePreferences"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { DateTime, Effect, FastCheck as fc, Layer, Option } from "effect"
import { agree } from "../support/Agreement.js"
import { accountId, AUTHOR, COMMUNITIES, postId, RUN_AT, seed, worldArb } from "../support/GazetteWorld.js"
import { describeEachDatabase } from "../support/TestDatabase"
import { bordeaux, merignac } from "./Fixtures"

/**
 * The weekly digest planned in SQL (PgGazetteDigestRepo through GazetteDigests: members grouped by
 * quartiers and topics, one e-mail per group) agrees with the pure digestRecipients on generated
 * worlds: accounts of every status with or without an e-mail, memberships of every status in active
 * and archived quartiers, chosen or default topics, posts of every kind, status, state and age,
 * events past, near and far, the mairie's communications to named quartiers or the whole commune.
 */

/** What each member received: the posts of the one digest delivered to them. */
const received = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ account_id: string; destination: string; channel: string; post_ids: Array<string> }>`
    SELECT d.account_id, d.destination, d.channel, g.post_ids::text[] AS post_ids
    FROM deliveries d JOIN messages m ON m.id = d.message_id JOIN gazette_digests g ON g.id = m.gazette_digest_id`
  return rows
})

const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ messages: number; deliveries: number; runs: number }>`
    SELECT (SELECT count(*)::int FROM messages WHERE kind = 'gazette_digest') AS messages,
           (SELECT count(*)::int FROM deliveries WHERE gazette_digest_id IS NOT NULL) AS deliveries,
           (SELECT count(*)::int FROM gazette_digest_runs) AS runs`
  return row!
})

const services = GazetteDigests.layer.pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      PgGazetteDigestRepo.layer,
      SqlTransactor.layer,
      PubSubDeliveryWakeup.layer,
      PublicUrl.layer("https://vigie.example")
    )
  )
)

/** Worlds whose digest reached someone: the property must not pass on empty worlds alone. */
let reached = 0

const agreement = (world: DigestWorld) =>
  Effect.gen(function*() {
    yield* seed(world)
    const digests = yield* GazetteDigests.GazetteDigests
    const report = yield* digests.plan(RUN_AT)
    assert.isTrue(Option.isSome(report))
    const rows = yield* received
    const emails = new Map(world.accounts.map((a) => [a.id, a.email]))
    const actual = Object.fromEntries(rows.map((r) => [r.account_id, r.post_ids]))
    const expected = Object.fromEntries(digestRecipients(world, digestWindow(RUN_AT)))
    assert.deepStrictEqual<Record<string, ReadonlyArray<string>>>(actual, expected)
    if (rows.length > 0) reached++
    assert.strictEqual(rows.length, Object.keys(expected).length, "one digest per member at most")
    for (const r of rows) {
      assert.strictEqual(r.channel, "email")
      assert.strictEqual(r.destination, emails.get(r.account_id as AccountId))
    }
    const c = yield* counts
    assert.deepStrictEqual(Option.getOrThrow(report), {
      week: "2026-12-07",
      groups: Option.getOrThrow(report).groups,
      messages: c.messages,
      deliveries: c.deliveries
    })
    // Once per week: a second planning finds the week claimed and writes nothing.
    assert.isTrue(Option.isNone(yield* digests.plan(RUN_AT)))
    assert.deepStrictEqual(yield* counts, c)
  })

describeEachDatabase("The weekly digest planned in SQL agrees with digestRecipients", (it) => {
  it.effect("on generated worlds", () =>
    Effect.gen(function*() {
      reached = 0
      yield* agree(worldArb, agreement, 50)
      assert.isAbove(reached, 5, "generated worlds where someone receives a digest")
    }).pipe(Effect.provide(services)), 240_000)

  it.effect("two concurrent plannings of one week: one plans, the other writes nothing", () =>
    Effect.gen(function*() {
      const world = fc.sample(worldArb.filter((w) => digestRecipients(w, digestWindow(RUN_AT)).size > 0), {
        numRuns: 1,
        seed: 42
      })[0]!
      yield* seed(world)
      const digests = yield* GazetteDigests.GazetteDigests
      const [a, b] = yield* Effect.all([digests.plan(RUN_AT), digests.plan(RUN_AT)], { concurrency: 2 })
      assert.strictEqual([a, b].filter(Option.isSome).length, 1)
      const c = yield* counts
      assert.strictEqual(c.runs, 1)
      assert.strictEqual(c.deliveries, digestRecipients(world, digestWindow(RUN_AT)).size)
    }).pipe(Effect.provide(services)), 60_000)
})

const [A, B, , D] = COMMUNITIES.map((c) => c.id) as [CommunityId, CommunityId, CommunityId, CommunityId]
const weeklyAnnonces: GazetteChoices = {
  communication: "none",
  perdu_trouve: "none",
  entraide: "none",
  annonce: "weekly",
  covoiturage: "none",
  evenement: "none",
  vie_du_quartier: "none",
  compte_rendu: "none"
}

/** A week of two quartiers of Bordeaux and one of Mérignac, and who lives where. */
const scenario = (): DigestWorld => {
  const accounts: Array<DigestAccount> = []
  const memberships: Array<{ accountId: AccountId; communityId: CommunityId; status: string }> = []
  const choices = new Map<AccountId, GazetteChoices>()
  const resident = (
    n: number,
    where: ReadonlyArray<CommunityId>,
    over: Partial<DigestAccount> = {},
    status = "verified"
  ) => {
    accounts.push({ id: accountId(n), status: "active", email: `voisin${n}@example.fr`, ...over })
    where.forEach((communityId) => memberships.push({ accountId: accountId(n), communityId, status }))
  }
  const mairieWeekly: GazetteChoices = { ...defaultGazetteChoices, communication: "weekly" }
  for (let n = 0; n < 30; n++) {
    resident(n, [A])
    choices.set(accountId(n), mairieWeekly)
  }
  for (let n = 30; n < 50; n++) resident(n, [B])
  for (let n = 50; n < 55; n++) {
    resident(n, [A])
    choices.set(accountId(n), weeklyAnnonces)
  }
  resident(60, [A, B])
  choices.set(accountId(60), mairieWeekly)
  resident(61, [A], { status: "suspended" })
  resident(62, [A], { status: "erased" })
  resident(63, [A], { email: null })
  resident(64, [A], {}, "pending_verification")
  resident(65, [D])
  const day = (d: number) => DateTime.add(RUN_AT, { days: d })
  const post = (n: number, over: Partial<DigestPostFacts>): DigestPostFacts => ({
    id: postId(n),
    kind: "annonce",
    communityId: A,
    insee: bordeaux,
    authorId: AUTHOR,
    status: "published",
    state: "open",
    cancelledAt: null,
    expiresAt: day(20),
    createdAt: day(-2),
    startsAt: null,
    ...over
  })
  const posts = [
    post(101, {}), // an annonce of A
    post(102, { communityId: B }), // an annonce of B
    post(103, { kind: "communication", communityId: null, expiresAt: null, createdAt: day(-1) }), // the whole commune
    post(104, { status: "held_for_review" }),
    post(105, { status: "hidden" }),
    post(106, { status: "withdrawn" }),
    post(107, { expiresAt: day(-1) }),
    post(108, { state: "closed" }),
    post(109, { communityId: D, insee: merignac }),
    post(110, { createdAt: day(-9) }),
    post(111, { kind: "evenement", expiresAt: null, startsAt: day(3) }),
    post(112, { kind: "evenement", expiresAt: null, startsAt: day(20) }),
    post(113, { kind: "evenement", expiresAt: null, startsAt: day(4), cancelledAt: day(-1) })
  ]
  return { accounts, communities: COMMUNITIES, memberships, choices, posts, targets: new Map() }
}

describeEachDatabase("The weekly digest", (it) => {
  it.effect(
    "one e-mail per group: the mairie first, only readable posts of the group's quartiers and topics",
    () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* seed(scenario())
        const digests = yield* GazetteDigests.GazetteDigests
        const report = Option.getOrThrow(yield* digests.plan(RUN_AT))
        // Groups with something to read: A (defaults), B (defaults), A (annonces only), A+B, D; one message each.
        assert.deepStrictEqual({ messages: report.messages, deliveries: report.deliveries }, {
          messages: 5,
          deliveries: 30 + 20 + 5 + 1 + 1
        })
        const rows = yield* sql<{ account_id: string; text: string; html: string }>`
        SELECT d.account_id, g.text, g.html FROM deliveries d JOIN gazette_digests g ON g.id = d.gazette_digest_id`
        const of = (n: number) => rows.find((r) => r.account_id === accountId(n))
        for (const n of [61, 62, 63, 64]) assert.isUndefined(of(n), `account ${n} receives nothing`)
        const title = (n: number) => `Titre ${String(n).slice(-3)}`
        const a = of(0)!.text
        assert.isTrue(a.indexOf("COMMUNICATIONS DE LA MAIRIE") < a.indexOf(title(103)))
        assert.isTrue(a.indexOf(title(103)) < a.indexOf("PETITES ANNONCES"))
        assert.isTrue(a.indexOf("PETITES ANNONCES") < a.indexOf(title(101)))
        assert.include(a, title(111))
        for (const n of [102, 104, 105, 106, 107, 108, 109, 110, 112, 113]) assert.notInclude(a, title(n))
        const annoncesOnly = of(50)!.text
        assert.include(annoncesOnly, title(101))
        for (const n of [103, 111]) assert.notInclude(annoncesOnly, title(n))
        const both = of(60)!.text
        for (const n of [101, 102, 103, 111]) assert.include(both, title(n))
        // B's members chose nothing weekly of the mairie (the default: at once).
        for (const n of [101, 103]) assert.notInclude(of(30)!.text, title(n))
        const merignacOnly = of(65)!.text
        assert.include(merignacOnly, title(109))
        for (const n of [101, 103]) assert.notInclude(merignacOnly, title(n))
        // The delivery workers read the stored e-mail of each group.
        const [one] = yield* sql<{ id: string }>`SELECT gazette_digest_id::text AS id FROM deliveries LIMIT 1`
        const stored = yield* (yield* GazetteDigestRepo).emails([one!.id])
        assert.strictEqual(stored.get(one!.id)?.subject, "La Gazette de votre quartier – semaine du 7 décembre")
      }).pipe(Effect.provide(services)),
    60_000
  )
})

describeEachDatabase("The weekly digest's e-mails", (it) => {
  it.effect(
    "are blanked four weeks after their Monday, when a later week is planned; the posts shown are kept",
    () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* seed(scenario())
        const digests = yield* GazetteDigests.GazetteDigests
        yield* digests.plan(RUN_AT)
        const stored = sql<{ week: string; html: number; posts: number }>`
        SELECT week::text, count(html)::int AS html, count(post_ids)::int AS posts FROM gazette_digests
        GROUP BY week ORDER BY week`
        assert.deepStrictEqual(yield* stored, [{ week: "2026-12-07", html: 5, posts: 5 }])
        yield* digests.plan(DateTime.add(RUN_AT, { weeks: 3 }))
        assert.deepStrictEqual((yield* stored)[0], { week: "2026-12-07", html: 5, posts: 5 })
        yield* digests.plan(DateTime.add(RUN_AT, { weeks: 4 }))
        assert.deepStrictEqual((yield* stored)[0], { week: "2026-12-07", html: 0, posts: 5 })
      }).pipe(Effect.provide(services)),
    60_000
  )
})
