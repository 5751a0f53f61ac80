import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import type { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import type { AlertScope, Urgency } from "@vigie/domain/alerts/Alert"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId, CommunityStatus } from "@vigie/domain/communities/Community"
import { recipients } from "@vigie/domain/delivery/FanOut"
import { localMinuteOfDay } from "@vigie/domain/delivery/QuietHoursPolicy"
import type { FanOutWorld } from "@vigie/domain/delivery/FanOut"
import { NotificationPreferences } from "@vigie/domain/delivery/NotificationPreferences"
import type { ChannelPreference, MinuteOfDay } from "@vigie/domain/delivery/NotificationPreferences"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { Array as Arr, DateTime, Effect, Option } from "effect"
import * as fc from "fast-check"
import { describeEachDatabase } from "../support/TestDatabase"
import { repositories, square, truncate } from "./Fixtures"

/** A small world, by indexes: turned into rows and into the domain's FanOutWorld alike. */
interface GeneratedWorld {
  readonly communities: ReadonlyArray<{ readonly insee: InseeCode; readonly status: CommunityStatus }>
  readonly accounts: ReadonlyArray<{
    readonly status: AccountStatus
    readonly hasEmail: boolean
    readonly hasPhone: boolean
    readonly phoneVerified: boolean
    /** Registered on paper with a landline (a paper_registrations row of kind 'landline'): absent, false. */
    readonly paperLandline?: boolean
  }>
  readonly memberships: ReadonlyArray<
    { readonly account: number; readonly community: number; readonly status: MembershipStatus }
  >
  readonly preferences: ReadonlyArray<{
    readonly account: number
    readonly sms: ChannelPreference
    readonly email: ChannelPreference
    readonly quiet: Option.Option<{ readonly start: number; readonly end: number }>
    /** "Appel vocal pour les alertes urgentes" (absent: off). */
    readonly voice?: boolean
  }>
  readonly suppressed: ReadonlyArray<number>
  readonly author: number
  readonly scope:
    | { readonly _tag: "Community"; readonly community: number }
    | { readonly _tag: "Commune"; readonly insee: InseeCode; readonly subset: Option.Option<ReadonlyArray<number>> }
  readonly urgency: Urgency
  readonly now: Date
}

const insees: ReadonlyArray<InseeCode> = ["33063", "33281"].map((insee) => insee as InseeCode)
/** When the alert is posted: any time from 2000 to 2035, near midnight UTC, or around the 2026 clock changes. */
const nowArbitrary = fc.oneof(
  fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2035-12-31T23:59:59Z") }),
  fc.integer({ min: 0, max: 365 * 35 }).chain((day) =>
    fc.integer({ min: -180 * 60_000, max: 180 * 60_000 }).map((offset) =>
      new Date(Date.UTC(2000, 0, 1) + day * 86_400_000 + offset)
    )
  ),
  fc.date({ min: new Date("2026-03-28T20:00:00Z"), max: new Date("2026-03-29T06:00:00Z") }),
  fc.date({ min: new Date("2026-10-24T20:00:00Z"), max: new Date("2026-10-25T06:00:00Z") })
).filter((d) => !Number.isNaN(d.getTime()))

const worldArbitrary: fc.Arbitrary<GeneratedWorld> = fc
  .record({
    communityCount: fc.integer({ min: 1, max: 3 }),
    accountCount: fc.integer({ min: 3, max: 14 }),
    now: nowArbitrary
  })
  .chain(({ accountCount, communityCount, now }) => {
    // Quiet hours often start or end at the local minute of `now`, or next to it: the edges matter.
    const local = localMinuteOfDay(DateTime.unsafeMake(now))
    const minute = fc.oneof(
      fc.integer({ min: 0, max: 1439 }),
      fc.constantFrom(local, (local + 1) % 1440, (local + 1439) % 1440)
    )
    const account = fc.integer({ min: 0, max: accountCount - 1 })
    const community = fc.integer({ min: 0, max: communityCount - 1 })
    return fc.record({
      communities: fc.array(
        fc.record({
          insee: fc.constantFrom(insees[0]!, insees[0]!, insees[1]!),
          status: fc.constantFrom<CommunityStatus>("active", "active", "active", "active", "archived")
        }),
        {
          minLength: communityCount,
          maxLength: communityCount
        }
      ),
      accounts: fc.array(
        fc.record({
          status: fc.constantFrom<AccountStatus>("active", "active", "active", "active", "suspended", "erased"),
          hasEmail: fc.constantFrom(true, true, true, false),
          hasPhone: fc.boolean(),
          phoneVerified: fc.boolean(),
          // Often a neighbour registered on paper with a landline (its phone verified or not, or gone).
          paperLandline: fc.constantFrom(false, false, true)
        }),
        { minLength: accountCount, maxLength: accountCount }
      ),
      // one to three memberships per account, mostly verified
      memberships: fc.array(
        fc.array(
          fc.record({
            community,
            status: fc.constantFrom<MembershipStatus>(
              "verified",
              "verified",
              "verified",
              "verified",
              "verified",
              "pending_verification",
              "left",
              "banned"
            )
          }),
          { minLength: 1, maxLength: 3 }
        ),
        { minLength: accountCount, maxLength: accountCount }
      ).map((perAccount) =>
        perAccount.flatMap((ms, account) =>
          ms.filter((m, i) => ms.findIndex((o) => o.community === m.community) === i).map((m) => ({ account, ...m }))
        )
      ),
      preferences: fc.uniqueArray(
        fc.record({
          account,
          sms: fc.constantFrom<ChannelPreference>("all", "urgent_only", "none"),
          email: fc.constantFrom<ChannelPreference>("all", "urgent_only", "none"),
          quiet: fc.option(fc.record({ start: minute, end: minute }), { nil: undefined, freq: 4 }).map(
            Option.fromNullable
          ),
          voice: fc.boolean()
        }),
        { selector: (p) => p.account, minLength: Math.ceil(accountCount / 2), maxLength: accountCount }
      ),
      suppressed: fc.uniqueArray(account, { maxLength: 3 }),
      author: account,
      scope: fc.oneof(
        fc.record({ _tag: fc.constant("Community" as const), community }),
        fc.record({
          _tag: fc.constant("Commune" as const),
          insee: fc.constantFrom(...insees),
          subset: fc.option(fc.uniqueArray(community, { minLength: 1, maxLength: communityCount }), { nil: undefined })
            .map(Option.fromNullable)
        })
      ),
      urgency: fc.constantFrom<Urgency>("urgent", "info"),
      now: fc.constant(now)
    })
  })

/** Everybody is reachable and has quiet hours around the local minute of `now`: only notBefore varies. */
const quietHoursArbitrary: fc.Arbitrary<GeneratedWorld> = nowArbitrary.chain((now) => {
  const local = localMinuteOfDay(DateTime.unsafeMake(now))
  const minute = fc.oneof(
    fc.integer({ min: 0, max: 1439 }),
    fc.constantFrom(local, (local + 1) % 1440, (local + 1439) % 1440)
  )
  const count = 8
  return fc.record({
    communities: fc.constant([{ insee: insees[0]!, status: "active" as const }]),
    accounts: fc.constant(
      Array.from(
        { length: count },
        () => ({ status: "active" as const, hasEmail: true, hasPhone: true, phoneVerified: true })
      )
    ),
    memberships: fc.constant(
      Array.from({ length: count }, (_, account) => ({ account, community: 0, status: "verified" as const }))
    ),
    preferences: fc.tuple(...Array.from({ length: count - 1 }, (_, i) =>
      fc.record({
        account: fc.constant(i + 1),
        sms: fc.constant<ChannelPreference>("all"),
        email: fc.constantFrom<ChannelPreference>("all", "urgent_only"),
        quiet: fc.record({ start: minute, end: minute }).map(Option.some)
      }))),
    suppressed: fc.constant([]),
    author: fc.constant(0),
    scope: fc.constant({ _tag: "Community" as const, community: 0 }),
    urgency: fc.constantFrom<Urgency>("info", "info", "urgent"),
    now: fc.constant(now)
  })
})

/** Paper landlines among voice callers: urgent alerts, phones verified or not, landlines on paper or not. */
const paperLandlineArbitrary: fc.Arbitrary<GeneratedWorld> = nowArbitrary.chain((now) => {
  const count = 8
  return fc.record({
    communities: fc.constant([{ insee: insees[0]!, status: "active" as const }]),
    accounts: fc.array(
      fc.record({
        status: fc.constant("active" as const),
        hasEmail: fc.boolean(),
        hasPhone: fc.constantFrom(true, true, true, false),
        phoneVerified: fc.boolean(),
        paperLandline: fc.boolean()
      }),
      { minLength: count, maxLength: count }
    ),
    memberships: fc.constant(
      Array.from({ length: count }, (_, account) => ({ account, community: 0, status: "verified" as const }))
    ),
    preferences: fc.tuple(...Array.from({ length: count - 1 }, (_, i) =>
      fc.record({
        account: fc.constant(i + 1),
        sms: fc.constantFrom<ChannelPreference>("all", "none"),
        email: fc.constantFrom<ChannelPreference>("all", "none"),
        quiet: fc.constant(Option.none()),
        voice: fc.constantFrom(true, true, false)
      }))),
    suppressed: fc.uniqueArray(fc.integer({ min: 0, max: count - 1 }), { maxLength: 2 }),
    author: fc.constant(0),
    scope: fc.constant({ _tag: "Community" as const, community: 0 }),
    urgency: fc.constantFrom<Urgency>("urgent", "urgent", "info"),
    now: fc.constant(now)
  })
})

interface Materialised {
  readonly world: FanOutWorld
  readonly scope: AlertScope
  readonly authorId: AccountId
}

const materialise = (g: GeneratedWorld): Materialised => {
  const communityIds = g.communities.map(() => crypto.randomUUID() as CommunityId)
  const accountIds = g.accounts.map(() => crypto.randomUUID() as AccountId)
  const phones = g.accounts.map((_, i) => `+3361234${String(i).padStart(4, "0")}` as PhoneE164)
  const world: FanOutWorld = {
    communities: g.communities.map((c, i) => ({ id: communityIds[i]!, insee: c.insee, status: c.status })),
    accounts: g.accounts.map((a, i) => ({
      id: accountIds[i]!,
      status: a.status,
      email: a.hasEmail ? Option.some(`member${i}@example.fr` as Email) : Option.none(),
      phone: a.hasPhone ? Option.some(phones[i]!) : Option.none(),
      // The schema refuses a verified phone without a phone, so the generator never makes one.
      phoneVerified: a.hasPhone && a.phoneVerified,
      paperLandline: a.paperLandline ?? false
    })),
    memberships: g.memberships.map((m) => ({
      accountId: accountIds[m.account]!,
      communityId: communityIds[m.community]!,
      status: m.status
    })),
    preferences: g.preferences.map((p) =>
      new NotificationPreferences({
        accountId: accountIds[p.account]!,
        sms: p.sms,
        email: p.email,
        quietHours: Option.map(p.quiet, (q) => ({ start: q.start as MinuteOfDay, end: q.end as MinuteOfDay })),
        voiceUrgent: p.voice ?? false
      })
    ),
    suppressedPhones: g.suppressed.map((i) => phones[i]!)
  }
  const scope: AlertScope = g.scope._tag === "Community"
    ? { _tag: "Community", communityId: communityIds[g.scope.community]! }
    : {
      _tag: "Commune",
      insee: g.scope.insee,
      communityIds: Option.map(
        g.scope.subset,
        (s) => s.map((i) => communityIds[i]!) as unknown as Arr.NonEmptyArray<CommunityId>
      )
    }
  return { world, scope, authorId: accountIds[g.author]! }
}

/** Writes the world with one multi-row INSERT per table. */
const insertWorld = (world: FanOutWorld) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
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
    const memberships = world.memberships.map((m) => ({ id: crypto.randomUUID(), account_id: m.accountId,
      community_id: m.communityId, status: m.status })
    )
    if (memberships.length > 0) {
      yield* sql`INSERT INTO memberships ${
        sql.insert(memberships.map((m) => ({
          id: m.id,
          account_id: m.account_id,
          community_id: m.community_id,
          role: "resident",
          status: m.status,
          address_line1: "1 rue Sainte-Catherine",
          postcode: "33000",
          city: "Bordeaux"
        })))
      }`
    }
    // A paper registration hangs on a membership: the account's first one (every account has one).
    const paper = world.accounts.filter((a) => a.paperLandline === true).flatMap((a) => {
      const membership = memberships.find((m) => m.account_id === a.id)
      return membership === undefined ?
        [] :
        [{ membership_id: membership.id, account_id: a.id, recorded_at: new Date(), consent: true,
          phone_kind: "landline" }]
    })
    if (paper.length > 0) yield* sql`INSERT INTO paper_registrations ${sql.insert(paper)}`
    if (world.preferences.length > 0) {
      yield* sql`INSERT INTO notification_preferences ${
        sql.insert(world.preferences.map((p) => ({
          account_id: p.accountId,
          sms: p.sms,
          email: p.email,
          quiet_start: Option.getOrNull(Option.map(p.quietHours, (q) => q.start)),
          quiet_end: Option.getOrNull(Option.map(p.quietHours, (q) => q.end)),
          voice_urgent: p.voiceUrgent
        })))
      }`
    }
    if (world.suppressedPhones.length > 0) {
      yield* sql`INSERT INTO sms_suppressions ${
        sql.insert(world.suppressedPhones.map((phone) => ({ phone, reason: "stop_keyword" })))
      }`
    }
  })

const key = (d: { accountId: string; channel: string; destination: string; notBefore: number }) =>
  `${d.accountId}|${d.channel}|${d.destination}|${new Date(d.notBefore).toISOString()}`

const agreement = (g: GeneratedWorld) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const alerts = yield* AlertPublisher
    yield* truncate(sql)
    const { authorId, scope, world } = materialise(g)
    yield* insertWorld(world)
    const now = DateTime.unsafeMake(g.now)
    const posted = yield* alerts.post({
      scope,
      authorId,
      origin: "web",
      category: "other",
      urgency: g.urgency,
      text: "Un portail ouvert rue des Lilas",
      place: Option.none(),
      sharedWithAuthorities: false,
      status: "published"
    }, now)
    const fanOut = Option.getOrThrow(posted.fanOut)
    const rows = yield* sql<{ account_id: string; channel: string; destination: string; next_attempt_at: Date }>`
      SELECT account_id, channel, destination, next_attempt_at FROM deliveries WHERE message_id = ${fanOut.messageId}`
    const actual = rows.map((r) =>
      key({ accountId: r.account_id, channel: r.channel, destination: r.destination,
        notBefore: r.next_attempt_at.getTime() })
    ).sort()
    const planned = recipients({ authorId, scope, urgency: g.urgency }, world, now)
    const expected = planned.map((p) => key({ ...p, notBefore: DateTime.toEpochMillis(p.notBefore) })).sort()
    assert.deepStrictEqual(actual, expected)
    assert.strictEqual(fanOut.sms, planned.filter((p) => p.channel === "sms").length)
    assert.strictEqual(fanOut.email, planned.filter((p) => p.channel === "email").length)

    const again = yield* alerts.fanOut(posted.alert.id, DateTime.add(now, { hours: 1 }))
    assert.deepStrictEqual(again, { messageId: fanOut.messageId, sms: 0, email: 0 })
    const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM deliveries`
    assert.strictEqual(count?.n, planned.length)
  })

describeEachDatabase("SQL fan-out agrees with the domain's recipients", (it) => {
  it.effect("on generated worlds, including notBefore, and a second fanOut adds nothing", () =>
    Effect.gen(function*() {
      const context = yield* Effect.context<SqlClient.SqlClient | AlertPublisher>()
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(worldArbitrary, (g) => Effect.runPromise(agreement(g).pipe(Effect.provide(context)))),
          { numRuns: 40 }
        )
      )
    }).pipe(Effect.provide(repositories)), 120_000)

  it.effect(
    "on neighbours registered on paper with a landline: called for urgent alerts when they chose it, never sent an SMS",
    () =>
      Effect.gen(function*() {
        const context = yield* Effect.context<SqlClient.SqlClient | AlertPublisher>()
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(paperLandlineArbitrary, (g) =>
              Effect.runPromise(agreement(g).pipe(Effect.provide(context)))),
            { numRuns: 20 }
          )
        )
      }).pipe(Effect.provide(repositories)),
    120_000
  )

  it.effect("on quiet hours at, before and after the local minute of now", () =>
    Effect.gen(function*() {
      const context = yield* Effect.context<SqlClient.SqlClient | AlertPublisher>()
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(quietHoursArbitrary, (g) => Effect.runPromise(agreement(g).pipe(Effect.provide(context)))),
          { numRuns: 25 }
        )
      )
    }).pipe(Effect.provide(repositories)), 120_000)
})
