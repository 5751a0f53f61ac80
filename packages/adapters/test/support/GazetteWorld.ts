import { SqlClient } from "@effect/sql"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { DigestAccount, DigestPostFacts, DigestWorld } from "@vigie/domain/gazette/GazetteDigest"
import type { GazettePostId, PostKind } from "@vigie/domain/gazette/GazettePost"
import { type GazetteChoices, GazetteDelivery, gazetteTopics } from "@vigie/domain/gazette/GazettePreferences"
import { DateTime, Effect, FastCheck as fc } from "effect"
import { bordeaux, merignac, square } from "../sql/Fixtures"

/**
 * Generated Gazette worlds for the agreement tests of the digest and the immediate messages: four
 * quartiers (one archived, one in another commune), accounts of every status, memberships, choices,
 * posts of every kind, status, state and age around RUN_AT, and how to write one to the database.
 */

/** What the immediate messages read besides the digest's world: phones, the STOP list, the mairie's SMS. */
export interface WorldExtras {
  readonly phones: ReadonlyMap<AccountId, { readonly phone: string; readonly verified: boolean }>
  readonly suppressed: ReadonlySet<string>
  readonly mairieSms: ReadonlySet<AccountId>
}
const noExtras: WorldExtras = { phones: new Map(), suppressed: new Set(), mairieSms: new Set() }

export const RUN_AT = DateTime.unsafeMake("2026-12-07T07:00:00Z")
export const AUTHOR = "00000000-0000-4000-c000-0000000000ff" as AccountId
export const COMMUNITIES = [
  { id: "00000000-0000-4000-a000-00000000000a" as CommunityId, insee: bordeaux, status: "active" as const },
  { id: "00000000-0000-4000-a000-00000000000b" as CommunityId, insee: bordeaux, status: "active" as const },
  { id: "00000000-0000-4000-a000-00000000000c" as CommunityId, insee: bordeaux, status: "archived" as const },
  { id: "00000000-0000-4000-a000-00000000000d" as CommunityId, insee: merignac, status: "active" as const }
]
export const accountId = (n: number) => `00000000-0000-4000-c000-${String(n).padStart(12, "0")}` as AccountId
export const postId = (n: number) => `00000000-0000-4000-b000-${String(n).padStart(12, "0")}` as GazettePostId
const kinds: ReadonlyArray<PostKind> = gazetteTopics

const hoursFromRun = (min: number, max: number) =>
  fc.integer({ min, max }).map((h) => DateTime.add(RUN_AT, { hours: h }))

const choicesArb: fc.Arbitrary<GazetteChoices> = fc.record(
  Object.fromEntries(gazetteTopics.map((t) => [t, fc.constantFrom(...GazetteDelivery.literals)]))
) as unknown as fc.Arbitrary<GazetteChoices>

export const worldArb: fc.Arbitrary<DigestWorld> = fc.record({
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

export const clear = (sql: SqlClient.SqlClient) =>
  Effect.forEach(
    ["deliveries", "messages", "sms_suppressions", "gazette_digests", "gazette_digest_runs", "gazette_post_targets",
      "gazette_posts", "gazette_preferences", "memberships", "accounts", "communities"],
    (table) => sql`DELETE FROM ${sql(table)}`,
    { discard: true }
  )

export const seed = (world: DigestWorld, extra: WorldExtras = noExtras) =>
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
      sql.insert([
        { id: AUTHOR, first_name: "Mairie", last_name: "Bordeaux", email: null, status: "active", phone: null,
          phone_verified: false },
        ...world.accounts.map((a) => ({
          id: a.id,
          first_name: "Camille",
          last_name: "Martin",
          email: a.email,
          status: a.status,
          phone: extra.phones.get(a.id)?.phone ?? null,
          phone_verified: extra.phones.get(a.id)?.verified ?? false
        }))
      ])
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
        sql.insert([...world.choices].map(([id, c]) => ({ account_id: id, ...c, mairie_sms: extra.mairieSms.has(id) })))
      }`
    }
    const stopped = [...extra.suppressed]
    if (stopped.length > 0) {
      yield* sql`INSERT INTO sms_suppressions ${
        sql.insert(stopped.map((phone) => ({ phone, reason: "stop_keyword" })))
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
