import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import type { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId, CommunityStatus } from "@vigie/domain/communities/Community"
import { recipients, type FanOutWorld } from "@vigie/domain/delivery/FanOut"
import { NotificationPreferences, type ChannelPreference } from "@vigie/domain/delivery/NotificationPreferences"
import { Outbox } from "@vigie/domain/delivery/Outbox"
import type { PreviewToken } from "@vigie/domain/mairie/TownAlert"
import { TownAlertRepo } from "@vigie/domain/mairie/TownAlertRepo"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import * as PgOutbox from "@vigie/adapters/sql/PgOutbox"
import * as PgTownAlerts from "@vigie/adapters/sql/PgTownAlerts"
import { Array as Arr, DateTime, Effect, Layer, Option } from "effect"
import * as fc from "fast-check"
import { describeEachDatabase } from "../support/TestDatabase"
import { square, truncate } from "./Fixtures"

const CADAUJAC = "33080" as InseeCode
const OTHER = "33063" as InseeCode

/**
 * Worlds of a town and a neighbour: members of one to three communities each, every status and
 * preference, voice calls for urgent alerts and paper landlines included.
 */
const worldArb = fc.record({
  communities: fc.array(
    fc.record({
      insee: fc.constantFrom(CADAUJAC, CADAUJAC, OTHER),
      status: fc.constantFrom<CommunityStatus>("active", "active", "active", "archived")
    }),
    { minLength: 1, maxLength: 4 }
  ),
  accounts: fc.array(
    fc.record({
      status: fc.constantFrom<AccountStatus>("active", "active", "active", "suspended", "erased"),
      email: fc.boolean(),
      phone: fc.constantFrom("none", "unverified", "verified", "verified"),
      suppressed: fc.boolean(),
      /** A paper registration attesting a landline (voice calls only), on the first membership. */
      paperLandline: fc.boolean(),
      memberships: fc.uniqueArray(
        fc.record({
          community: fc.nat({ max: 3 }),
          status: fc.constantFrom<MembershipStatus>(
            "verified",
            "verified",
            "verified",
            "pending_verification",
            "left",
            "banned"
          )
        }),
        { selector: (m) => m.community, maxLength: 3 }
      ),
      preferences: fc.option(
        fc.record({
          sms: fc.constantFrom<ChannelPreference>("all", "urgent_only", "none"),
          email: fc.constantFrom<ChannelPreference>("all", "urgent_only", "none"),
          voiceUrgent: fc.boolean()
        }),
        { nil: undefined }
      )
    }),
    { minLength: 1, maxLength: 25 }
  ),
  author: fc.nat(),
  subset: fc.option(fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  urgency: fc.constantFrom("urgent" as const, "info" as const),
  now: fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z") })
})
type Generated = typeof worldArb extends fc.Arbitrary<infer A> ? A : never

const agreement = (g: Generated) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* TownAlertRepo
    const outbox = yield* Outbox
    yield* truncate(sql)
    const communityIds = g.communities.map(() => crypto.randomUUID() as CommunityId)
    const accountIds = g.accounts.map(() => crypto.randomUUID() as AccountId)
    const phone = (i: number) => `+3361${String(i).padStart(7, "0")}` as PhoneE164
    const memberships = g.accounts.map((a) => a.memberships.filter((m) => m.community < g.communities.length))
    // A paper registration hangs on a membership: only an account with one can have a paper landline.
    const landline = g.accounts.map((a, i) => a.paperLandline && memberships[i]!.length > 0)
    const membershipIds = memberships.map((ms) => ms.map(() => crypto.randomUUID()))
    const world: FanOutWorld = {
      communities: g.communities.map((c, i) => ({ id: communityIds[i]!, insee: c.insee, status: c.status })),
      accounts: g.accounts.map((a, i) => ({
        id: accountIds[i]!,
        status: a.status,
        email: a.email ? Option.some(`m${i}@example.fr` as Email) : Option.none(),
        phone: a.phone === "none" ? Option.none() : Option.some(phone(i)),
        phoneVerified: a.phone === "verified",
        paperLandline: landline[i]!
      })),
      memberships: g.accounts.flatMap((_, i) =>
        memberships[i]!.map((m) => ({
          accountId: accountIds[i]!,
          communityId: communityIds[m.community]!,
          status: m.status
        }))
      ),
      preferences: g.accounts.flatMap((a, i) =>
        a.preferences === undefined
          ? []
          : [new NotificationPreferences({ accountId: accountIds[i]!, ...a.preferences, quietHours: Option.none() })]
      ),
      suppressedPhones: g.accounts.flatMap((a, i) => (a.suppressed && a.phone !== "none" ? [phone(i)] : []))
    }
    yield* sql`INSERT INTO communities ${
      sql.insert(
        world.communities.map((c) => ({ id: c.id, insee: c.insee, name: "Quartier", perimeter: JSON.stringify(square),
          status: c.status })
        )
      )
    }`
    yield* sql`INSERT INTO accounts ${
      sql.insert(world.accounts.map((a) => ({
        id: a.id,
        first_name: "Camille",
        last_name: "Martin",
        email: Option.getOrNull(a.email),
        phone: Option.getOrNull(a.phone),
        phone_verified: a.phoneVerified,
        status: a.status
      })))
    }`
    if (world.memberships.length > 0) {
      yield* sql`INSERT INTO memberships ${
        sql.insert(world.memberships.map((m, k) => ({
          id: membershipIds.flat()[k]!,
          account_id: m.accountId,
          community_id: m.communityId,
          role: "resident",
          status: m.status,
          address_line1: "1 rue des Vignes",
          postcode: "33140",
          city: "Cadaujac"
        })))
      }`
    }
    if (world.preferences.length > 0) {
      yield* sql`INSERT INTO notification_preferences ${
        sql.insert(
          world.preferences.map((p) => ({
            account_id: p.accountId,
            sms: p.sms,
            email: p.email,
            voice_urgent: p.voiceUrgent
          }))
        )
      }`
    }
    const papers = g.accounts.flatMap((_, i) =>
      landline[i]!
        ? [{ membership_id: membershipIds[i]![0]!, account_id: accountIds[i]!, recorded_at: g.now, consent: true,
          phone_kind: "landline" }]
        : []
    )
    if (papers.length > 0) yield* sql`INSERT INTO paper_registrations ${sql.insert(papers)}`
    if (world.suppressedPhones.length > 0) {
      yield* sql`INSERT INTO sms_suppressions ${
        sql.insert(world.suppressedPhones.map((p) => ({ phone: p, reason: "stop_keyword" })))
      }`
    }
    const subset = g.subset === undefined
      ? Option.none<ReadonlyArray<CommunityId>>()
      : Option.some(g.subset.filter((i) => i < communityIds.length).map((i) => communityIds[i]!))
    const scopeIds = Option.filter(subset, (s) => s.length > 0)
    const authorId = accountIds[g.author % accountIds.length]!
    const now = DateTime.unsafeMake(g.now)
    const expected = recipients(
      {
        authorId,
        urgency: g.urgency,
        scope: { _tag: "Commune", insee: CADAUJAC,
          communityIds: scopeIds as Option.Option<Arr.NonEmptyArray<CommunityId>> }
      },
      world,
      now
    )
    const of = (channel: string) => expected.filter((p) => p.channel === channel).length
    const want = { sms: of("sms"), email: of("email") }

    const message = {
      authorId,
      audience: { _tag: "Commune" as const, insee: CADAUJAC, communityIds: scopeIds },
      priority: g.urgency
    }
    const counted = yield* outbox.count(message, now)
    assert.deepStrictEqual(counted, { ...want, voice: of("voice") })
    const draft = {
      insee: CADAUJAC,
      communityIds: scopeIds as Option.Option<Arr.NonEmptyArray<CommunityId>>,
      category: "weather" as const,
      urgency: g.urgency,
      text: "Tempête cette nuit",
      place: Option.none()
    }
    const preview = { accountId: authorId, origin: "mairie" as const, draft, ...counted, smsSegments: 1,
      expiresAt: new Date(g.now.getTime() + 60_000) }
    const id: PreviewToken = yield* repo.savePreview(preview, now)
    const posted = yield* sql.withTransaction(Effect.gen(function*() {
      const alert = yield* repo.insert({ id, ...preview }, now)
      // As a confirmation by SMS and e-mail writes it: voice calls included.
      const written = yield* outbox.fanOut({ kind: "alert", id: alert.id }, message, now, ["sms", "email", "voice"])
      return { alert, ...written }
    }))
    assert.deepStrictEqual({ sms: posted.sms, email: posted.email }, want)
    const rows = yield* sql<
      { account_id: string; channel: string }
    >`SELECT account_id, channel FROM deliveries WHERE alert_id = ${posted.alert.id}`
    const actual = rows.map((r) => `${r.account_id}|${r.channel}`).sort()
    // Exactly once per person and allowed channel, and nobody else (members of several communities included).
    assert.deepStrictEqual(actual, expected.map((p) => `${p.accountId}|${p.channel}`).sort())
    assert.strictEqual(new Set(actual).size, actual.length)
  })

describeEachDatabase("town alerts: preview, deliveries and the domain's recipients agree", (it) => {
  it.effect("on generated worlds", () =>
    Effect.gen(function*() {
      const context = yield* Effect.context<SqlClient.SqlClient | TownAlertRepo | Outbox>()
      yield* Effect.promise(() =>
        fc.assert(fc.asyncProperty(worldArb, (g) => Effect.runPromise(agreement(g).pipe(Effect.provide(context)))), {
          numRuns: 40
        })
      )
    }).pipe(Effect.provide(Layer.fresh(Layer.merge(PgTownAlerts.layer, PgOutbox.layer)))), 120_000)
})
