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
import * as GazetteDigests from "@vigie/domain/gazette/GazetteDigests"
import type { GazettePostId, PostKind } from "@vigie/domain/gazette/GazettePost"
import { type GazetteChoices, GazetteDelivery, gazetteTopics } from "@vigie/domain/gazette/GazettePreferences"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { DateTime, Effect, FastCheck as fc, Layer, Option } from "effect"
import { agree } from "../support/Agreement.js"
import { describeEachDatabase } from "../support/TestDatabase"
import { bordeaux, merignac, square } from "./Fixtures"

/**
 * The weekly digest planned in SQL (PgGazetteDigestRepo through GazetteDigests: members grouped by
 * quartiers and topics, one e-mail per group) agrees with the pure digestRecipients on generated
 * worlds: accounts of every status with or without an e-mail, memberships of every status in active
 * and archived quartiers, chosen or default topics, posts of every kind, status, state and age,
 * events past, near and far, the mairie's communications to named quartiers or the whole commune.
 */

const RUN_AT = DateTime.unsafeMake("2026-12-07T07:00:00Z")
const AUTHOR = "00000000-0000-4000-c000-0000000000ff" as AccountId
const COMMUNITIES = [
  { id: "00000000-0000-4000-a000-00000000000a" as CommunityId, insee: bordeaux, status: "active" as const },
  { id: "00000000-0000-4000-a000-00000000000b" as CommunityId, insee: bordeaux, status: "active" as const },
  { id: "00000000-0000-4000-a000-00000000000c" as CommunityId, insee: bordeaux, status: "archived" as const },
  { id: "00000000-0000-4000-a000-00000000000d" as CommunityId, insee: merignac, status: "active" as const }
]
const accountId = (n: number) => `00000000-0000-4000-c000-${String(n).padStart(12, "0")}` as AccountId
const postId = (n: number) => `00000000-0000-4000-b000-${String(n).padStart(12, "0")}` as GazettePostId
const kinds: ReadonlyArray<PostKind> = gazetteTopics

const hoursFromRun = (min: number, max: number) =>
  fc.integer({ min, max }).map((h) => DateTime.add(RUN_AT, { hours: h }))

const choicesArb: fc.Arbitrary<GazetteChoices> = fc.record(
  Object.fromEntries(gazetteTopics.map((t) => [t, fc.constantFrom(...GazetteDelivery.literals)]))
) as unknown as fc.Arbitrary<GazetteChoices>

const worldArb: fc.Arbitrary<DigestWorld> = fc.record({
  accounts: fc.array(
    fc.record({
      status: fc.constantFrom("active", "active", "active", "active", "active", "suspended", "erased"),
      email: fc.nat({ max: 5 }).map((n) => n > 0),
      memberships: fc.array(
        fc.record({
          community: fc.integer({ min: 0, max: COMMUNITIES.length - 1 }),
          status: fc.constantFrom("verified", "verified", "verified", "verified", "pending_verification", "left")
        }),
        { minLength: 1, maxLength: 3 }
      ),
      choices: fc.option(choicesArb, { nil: undefined })
    }),
    { minLength: 2, maxLength: 8 }
  ),
  posts: fc.array(
    fc.record({
      kind: fc.constantFrom(...kinds),
      community: fc.integer({ min: 0, max: COMMUNITIES.length - 1 }),
      commune: fc.constantFrom(bordeaux, merignac),
      targets: fc.subarray([0, 1, 2, 3]),
      status: fc.constantFrom(
        "published",
        "published",
        "published",
        "published",
        "published",
        "held_for_review",
        "hidden",
        "withdrawn"
      ),
      state: fc.constantFrom("open", "open", "open", "open", "closed", "expired"),
      cancelled: fc.nat({ max: 4 }).map((n) => n === 0),
      expires: fc.option(hoursFromRun(-48, 48), { nil: null }),
      createdAt: hoursFromRun(-8 * 24, 12),
      startsAt: hoursFromRun(-48, 20 * 24)
    }),
    { minLength: 3, maxLength: 14 }
  )
}).map(({ accounts, posts }): DigestWorld => {
  const uniqueMemberships = new Map<string, { accountId: AccountId; communityId: CommunityId; status: string }>()
  accounts.forEach((a, i) =>
    a.memberships.forEach((m) => {
      const communityId = COMMUNITIES[m.community]!.id
      uniqueMemberships.set(`${i}|${communityId}`, { accountId: accountId(i), communityId, status: m.status })
    })
  )
  const choices = new Map<AccountId, GazetteChoices>()
  accounts.forEach((a, i) => a.choices !== undefined && choices.set(accountId(i), a.choices))
  const targets = new Map<GazettePostId, ReadonlyArray<CommunityId>>()
  const facts = posts.map((p, i): DigestPostFacts => {
    const communication = p.kind === "communication"
    const insee = communication ? p.commune : COMMUNITIES[p.community]!.insee
    if (communication) {
      targets.set(postId(i), p.targets.map((t) => COMMUNITIES[t]!).filter((c) => c.insee === insee).map((c) => c.id))
    }
    const expiring = ["annonce", "entraide", "covoiturage", "perdu_trouve"].includes(p.kind)
    return {
      id: postId(i),
      kind: p.kind,
      communityId: communication ? null : COMMUNITIES[p.community]!.id,
      insee,
      authorId: AUTHOR,
      status: p.status as DigestPostFacts["status"],
      state: communication || p.kind === "evenement" ? "open" : p.state as DigestPostFacts["state"],
      cancelledAt: p.kind === "evenement" && p.cancelled ? p.createdAt : null,
      expiresAt: expiring ? p.expires : null,
      createdAt: p.createdAt,
      startsAt: p.kind === "evenement" ? p.startsAt : null
    }
  })
  return {
    accounts: accounts.map((a, i): DigestAccount => ({
      id: accountId(i),
      status: a.status as DigestAccount["status"],
      email: a.email ? `voisin${i}@example.fr` : null
    })),
    communities: COMMUNITIES,
    memberships: [...uniqueMemberships.values()],
    choices,
    posts: facts,
    targets
  }
})

const clear = (sql: SqlClient.SqlClient) =>
  Effect.forEach(
    ["deliveries", "messages", "gazette_digests", "gazette_digest_runs", "gazette_post_targets", "gazette_posts",
      "gazette_preferences", "memberships", "accounts", "communities"],
    (table) => sql`DELETE FROM ${sql(table)}`,
    { discard: true }
  )

const seed = (world: DigestWorld) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* clear(sql)
    yield* sql`INSERT INTO communities ${
      sql.insert(world.communities.map((c, i) => ({
        id: c.id,
        insee: c.insee,
        name: `Quartier ${i}`,
        perimeter: JSON.stringify(square),
        status: c.status
      })))
    }`
    yield* sql`INSERT INTO accounts ${
      sql.insert([{ id: AUTHOR, first_name: "Mairie", last_name: "Bordeaux", email: null, status: "active" },
        ...world.accounts.map((a) => ({
          id: a.id,
          first_name: "Camille",
          last_name: "Martin",
          email: a.email,
          status: a.status
        }))])
    }`
    if (world.memberships.length > 0) {
      yield* sql`INSERT INTO memberships ${
        sql.insert(world.memberships.map((m) => ({
          account_id: m.accountId,
          community_id: m.communityId,
          role: "resident",
          status: m.status,
          address_line1: "12 rue des Lilas",
          postcode: "33000",
          city: "Bordeaux"
        })))
      }`
    }
    if (world.choices.size > 0) {
      yield* sql`INSERT INTO gazette_preferences ${
        sql.insert([...world.choices].map(([id, c]) => ({ account_id: id, ...c })))
      }`
    }
    if (world.posts.length > 0) {
      yield* sql`INSERT INTO gazette_posts ${
        sql.insert(world.posts.map((p) => ({
          id: p.id,
          kind: p.kind,
          community_id: p.communityId,
          insee: p.insee,
          author_id: p.authorId,
          title: `Titre ${p.id.slice(-3)}`,
          body: "Un texte de voisin.",
          details: JSON.stringify(
            p.kind === "evenement"
              ? { _tag: "evenement", startsAt: DateTime.formatIso(p.startsAt!), place: "Square des Lilas" }
              : { _tag: p.kind }
          ),
          status: p.status,
          state: p.state,
          outcome: p.state === "closed" ? "vendu" : null,
          closed_at: p.state === "closed" ? DateTime.toDateUtc(p.createdAt) : null,
          cancelled_at: p.cancelledAt === null ? null : DateTime.toDateUtc(p.cancelledAt),
          created_at: DateTime.toDateUtc(p.createdAt),
          expires_at: p.expiresAt === null ? null : DateTime.toDateUtc(p.expiresAt)
        })))
      }`
      const targets = [...world.targets].flatMap(([post, ids]) =>
        ids.map((id) => ({ post_id: post, community_id: id }))
      )
      if (targets.length > 0) yield* sql`INSERT INTO gazette_post_targets ${sql.insert(targets)}`
    }
  })

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
    assert.deepStrictEqual(actual, expected)
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
