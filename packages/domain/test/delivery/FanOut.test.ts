import { describe, expect, it } from "@effect/vitest"
import { DateTime, FastCheck as fc, Option } from "effect"
import type { AccountId, AccountStatus } from "../../src/accounts/Account.js"
import type { AlertScope, Urgency } from "../../src/alerts/Alert.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import { fanOut, recipients } from "../../src/delivery/FanOut.js"
import type { FanOutAccount, FanOutMembership, FanOutWorld, PlannedDelivery } from "../../src/delivery/FanOut.js"
import { NotificationPreferences } from "../../src/delivery/NotificationPreferences.js"
import type { Channel, ChannelPreference, MinuteOfDay } from "../../src/delivery/NotificationPreferences.js"
import type { MembershipStatus } from "../../src/membership/Membership.js"
import type { Email, PhoneE164 } from "../../src/shared/Text.js"
import { fanOutCaseArb, shuffled } from "./WorldArbitrary.js"
import type { FanOutCase } from "./WorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }

// ---- An oracle written from DESIGN.md, sharing nothing with the implementation ----

const scopeIdsOf = (c: FanOutCase): Array<string> => {
  const { scope } = c.alert
  const active = c.world.communities.filter((k) => k.status === "active")
  if (scope._tag === "Community") return active.filter((k) => k.id === scope.communityId).map((k) => k.id)
  const chosen: ReadonlyArray<string> | undefined = Option.getOrUndefined(scope.communityIds)
  return active
    .filter((k) => k.insee === scope.insee && (chosen === undefined || chosen.includes(k.id)))
    .map((k) => k.id)
}

const membershipsInScope = (c: FanOutCase, accountId: string): Array<FanOutMembership> => {
  const ids = scopeIdsOf(c)
  return c.world.memberships.filter((m) => m.accountId === accountId && ids.includes(m.communityId))
}

const hasVerifiedMembershipInScope = (c: FanOutCase, accountId: string) =>
  membershipsInScope(c, accountId).some((m) => m.status === "verified")

const preferenceFor = (c: FanOutCase, accountId: string, channel: Channel): ChannelPreference => {
  const p = c.world.preferences.find((x) => x.accountId === accountId)
  return p === undefined ? "all" : p[channel]
}

const letsThrough = (pref: ChannelPreference, urgency: Urgency) =>
  pref === "all" || (pref === "urgent_only" && urgency === "urgent")

const isSuppressed = (c: FanOutCase, phone: string) => c.world.suppressedPhones.some((p) => p === phone)

/** Every (account, channel, destination) that should receive, computed the plain way. */
const expectedKeys = (c: FanOutCase): Array<string> => {
  const out: Array<string> = []
  for (const a of c.world.accounts) {
    if (a.status !== "active" || a.id === c.alert.authorId || !hasVerifiedMembershipInScope(c, a.id)) continue
    if (
      letsThrough(preferenceFor(c, a.id, "sms"), c.alert.urgency) && a.phoneVerified && Option.isSome(a.phone) &&
      !isSuppressed(c, a.phone.value)
    ) out.push(`${a.id} sms ${a.phone.value}`)
    if (letsThrough(preferenceFor(c, a.id, "email"), c.alert.urgency) && Option.isSome(a.email)) {
      out.push(`${a.id} email ${a.email.value}`)
    }
    // Voice: urgent only, when chosen, to a verified phone or a landline attested on paper (a number that
    // said STOP to SMS still rings).
    const voice = c.world.preferences.find((x) => x.accountId === a.id)?.voiceUrgent ?? false
    if (
      c.alert.urgency === "urgent" && voice && (a.phoneVerified || a.paperLandline === true) && Option.isSome(a.phone)
    ) {
      out.push(`${a.id} voice ${a.phone.value}`)
    }
  }
  return out.sort()
}

const keyOf = (p: PlannedDelivery) => `${p.accountId} ${p.channel} ${p.destination}`
const plain = (ps: ReadonlyArray<PlannedDelivery>) =>
  ps.map((p) => ({ accountId: p.accountId, channel: p.channel, destination: p.destination,
    notBefore: DateTime.toEpochMillis(p.notBefore) })
  )
const run = (c: FanOutCase) => recipients(c.alert, c.world, c.now)

// ---- Paris wall clock, read through Intl rather than effect's DateTime ----

const parisFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit"
})
const parisParts = (ms: number) => {
  const parts = Object.fromEntries(parisFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return { y: +parts["year"]!, mo: +parts["month"]!, d: +parts["day"]!, h: +parts["hour"]!, mi: +parts["minute"]!,
    s: +parts["second"]! }
}
const parisMinuteOfDay = (ms: number) => {
  const p = parisParts(ms)
  return p.h * 60 + p.mi
}
/** Minutes Paris is ahead of UTC at this instant (60 in winter, 120 in summer). */
const parisOffsetMinutes = (ms: number) => {
  const p = parisParts(ms)
  return Math.round((Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000) / 60_000)
}
const inQuietHours = (q: { start: number; end: number }, m: number) =>
  q.start === q.end ? false : q.start < q.end ? q.start <= m && m < q.end : m >= q.start || m < q.end

describe("fan-out properties (DESIGN.md, 'Fan-out: the heart of the system')", () => {
  it.prop(
    "voice: exactly one call per urgent alert to each member in scope who chose it, none for information",
    [fanOutCaseArb],
    ([c]) => {
      const calls = run(c).filter((p) => p.channel === "voice")
      const chose = new Set(c.world.preferences.filter((p) => p.voiceUrgent).map((p) => p.accountId as string))
      if (c.alert.urgency === "info") expect(calls).toEqual([])
      expect(calls.every((p) => chose.has(p.accountId))).toBe(true)
      expect(new Set(calls.map((p) => p.accountId)).size).toBe(calls.length)
    },
    runs
  )

  it.prop("1. nobody outside the alert's scope receives anything", [fanOutCaseArb], ([c]) => {
    for (const p of run(c)) {
      expect(membershipsInScope(c, p.accountId), `${p.accountId} has no membership in scope`).not.toEqual([])
    }
  }, runs)

  it.prop(
    "2. every verified, active member in scope receives exactly one delivery per channel their preferences allow",
    [fanOutCaseArb],
    ([c]) => {
      expect(run(c).map(keyOf).sort()).toEqual(expectedKeys(c))
    },
    runs
  )

  it.prop(
    "3. nobody receives two deliveries on one channel, even from several communities in scope",
    [fanOutCaseArb],
    ([c]) => {
      const keys = run(c).map((p) => `${p.accountId}/${p.channel}`)
      expect(new Set(keys).size).toBe(keys.length)
    },
    runs
  )

  it.prop("4. the author gets no SMS, e-mail or call of their own alert", [fanOutCaseArb], ([c]) => {
    expect(run(c).filter((p) => p.accountId === c.alert.authorId)).toEqual([])
  }, runs)

  it.prop(
    "5. pending, left, banned, suspended or erased members, and suppressed phones, receive nothing",
    [fanOutCaseArb],
    ([c]) => {
      const byId = new Map(c.world.accounts.map((a) => [a.id, a] as const))
      for (const p of run(c)) {
        const account = byId.get(p.accountId)!
        expect(account.status).toBe("active")
        // Eligible only through a verified membership in scope; a banned or pending one elsewhere does not count.
        expect(hasVerifiedMembershipInScope(c, p.accountId)).toBe(true)
        if (p.channel === "sms") {
          expect(isSuppressed(c, p.destination)).toBe(false)
          expect(account.phoneVerified).toBe(true)
          expect(Option.getOrUndefined(account.phone)).toBe(p.destination)
        } else if (p.channel === "voice") {
          expect(c.alert.urgency).toBe("urgent")
          // A verified phone, or a landline attested by a signed paper form.
          expect(account.phoneVerified || account.paperLandline === true).toBe(true)
          expect(Option.getOrUndefined(account.phone)).toBe(p.destination)
        } else {
          expect(Option.getOrUndefined(account.email)).toBe(p.destination)
        }
      }
    },
    runs
  )

  it.prop(
    "6. the result does not depend on input order",
    [fanOutCaseArb.chain((c) => shuffled(c).map((s) => [c, s] as const))],
    ([[c, s]]) => {
      expect(plain(run(s))).toEqual(plain(run(c)))
    },
    runs
  )

  it.prop(
    "7. running fan-out again for the same alert adds nothing; with a part already planned, it adds exactly the rest",
    [fanOutCaseArb, fc.array(fc.boolean(), { minLength: 80, maxLength: 80 })],
    ([c, pick]) => {
      const first = fanOut(c.alert, c.world, c.now, [])
      expect(plain(first)).toEqual(plain(run(c)))
      expect(fanOut(c.alert, c.world, c.now, first)).toEqual([])
      const done = first.filter((_, i) => pick[i])
      const rest = first.filter((_, i) => !pick[i])
      expect(plain(fanOut(c.alert, c.world, c.now, done.map((d) => ({ accountId: d.accountId, channel: d.channel })))))
        .toEqual(plain(rest))
    },
    runs
  )
})

describe("fan-out timing: quiet hours (Europe/Paris)", () => {
  const quietOf = (c: FanOutCase, accountId: string) =>
    Option.flatMap(Option.fromNullable(c.world.preferences.find((p) => p.accountId === accountId)), (p) => p.quietHours)

  it.prop("urgent deliveries are never deferred", [
    fanOutCaseArb.map((c) => ({ ...c, alert: { ...c.alert, urgency: "urgent" as const } }))
  ], ([c]) => {
    for (const p of run(c)) expect(DateTime.toEpochMillis(p.notBefore)).toBe(DateTime.toEpochMillis(c.now))
  }, runs)

  it.prop(
    "info deliveries go at once outside quiet hours and wait for the end minute inside them",
    [fanOutCaseArb.map((c) => ({ ...c, alert: { ...c.alert, urgency: "info" as const } }))],
    ([c]) => {
      const now = DateTime.toEpochMillis(c.now)
      for (const p of run(c)) {
        const at = DateTime.toEpochMillis(p.notBefore)
        expect(at).toBeGreaterThanOrEqual(now)
        const quiet = quietOf(c, p.accountId)
        const deferred = Option.isSome(quiet) && inQuietHours(quiet.value, parisMinuteOfDay(now))
        expect(at === now, `deferred=${deferred} at ${new Date(now).toISOString()}`).toBe(!deferred)
        if (Option.isSome(quiet) && deferred) {
          const { end } = quiet.value
          expect(at % 60_000).toBe(0)
          expect(at - now).toBeLessThanOrEqual(24 * 3_600_000)
          // With the offset in force when the alert was posted, the release is exactly the end minute.
          const offsetNow = parisOffsetMinutes(now)
          expect((((at / 60_000 + offsetNow) % 1440) + 1440) % 1440).toBe(end)
          // On the wall clock too, except across a DST change (documented): then one hour off.
          const wall = parisMinuteOfDay(at)
          if (parisOffsetMinutes(at) === offsetNow) expect(wall).toBe(end)
          else expect(Math.abs((((wall - end) % 1440) + 1440 + 720) % 1440 - 720)).toBe(60)
        }
      }
    },
    runs
  )
})

describe("the world generator covers the cases the properties are about", () => {
  const sample = fc.sample(fanOutCaseArb, { numRuns: 1000, seed: 20250101 })
  const count = (f: (c: FanOutCase) => boolean) => sample.filter(f).length
  const inScope = (c: FanOutCase, id: string) => membershipsInScope(c, id)

  it.each(
    [
      ["an account verified in two communities in scope",
        (c: FanOutCase) =>
          c.world.accounts.some((a) => inScope(c, a.id).filter((m) => m.status === "verified").length >= 2)],
      ["a banned membership in scope next to a verified one in scope", (c: FanOutCase) =>
        c.world.accounts.some((a) => {
          const ms = inScope(c, a.id)
          return ms.some((m) => m.status === "banned") && ms.some((m) => m.status === "verified")
        })],
      ["the author verified in scope", (c: FanOutCase) => hasVerifiedMembershipInScope(c, c.alert.authorId)],
      ["an author outside the world", (c: FanOutCase) => !c.world.accounts.some((a) => a.id === c.alert.authorId)],
      ["a suppressed, verified phone of a verified member in scope",
        (c: FanOutCase) =>
          c.world.accounts.some((a) =>
            a.phoneVerified && Option.isSome(a.phone) && isSuppressed(c, a.phone.value) &&
            hasVerifiedMembershipInScope(c, a.id)
          )],
      ["a resident alert to a community not in the world",
        (c: FanOutCase) => c.alert.scope._tag === "Community" && scopeIdsOf(c).length === 0],
      ["a town alert to a subset of communities",
        (c: FanOutCase) => c.alert.scope._tag === "Commune" && Option.isSome(c.alert.scope.communityIds)],
      ["a commune with two communities",
        (c: FanOutCase) => new Set(c.world.communities.map((k) => k.insee)).size < c.world.communities.length],
      ["quiet hours spanning midnight",
        (c: FanOutCase) => c.world.preferences.some((p) => Option.exists(p.quietHours, (q) => q.start > q.end))],
      ["quiet hours with start == end",
        (c: FanOutCase) => c.world.preferences.some((p) => Option.exists(p.quietHours, (q) => q.start === q.end))],
      ["a deferred info delivery",
        (c: FanOutCase) => run(c).some((p) => DateTime.toEpochMillis(p.notBefore) > DateTime.toEpochMillis(c.now))],
      ["a summer-time instant", (c: FanOutCase) => parisOffsetMinutes(DateTime.toEpochMillis(c.now)) === 120],
      ["a winter-time instant", (c: FanOutCase) => parisOffsetMinutes(DateTime.toEpochMillis(c.now)) === 60],
      ["an empty result", (c: FanOutCase) => run(c).length === 0],
      ["ten or more deliveries", (c: FanOutCase) => run(c).length >= 10]
    ] as const
  )("%s", (_, feature) => {
    expect(count(feature)).toBeGreaterThan(10)
  })
})

// ---- Examples a reader checks at a glance ----

const A = "00000000-0000-4000-a000-00000000000a" as CommunityId // Bordeaux, Saint-Augustin
const B = "00000000-0000-4000-a000-00000000000b" as CommunityId // Bordeaux, Caudéran
const C = "00000000-0000-4000-a000-00000000000c" as CommunityId // Bordeaux, Bastide
const D = "00000000-0000-4000-a000-00000000000d" as CommunityId // Mérignac, Capeyron
const E = "00000000-0000-4000-a000-00000000000e" as CommunityId // Bordeaux, Chartrons (archived)
const BORDEAUX = "33063" as InseeCode
const MERIGNAC = "33080" as InseeCode
const communities = [
  { id: A, insee: BORDEAUX, status: "active" as const },
  { id: B, insee: BORDEAUX, status: "active" as const },
  { id: C, insee: BORDEAUX, status: "active" as const },
  { id: D, insee: MERIGNAC, status: "active" as const },
  { id: E, insee: BORDEAUX, status: "archived" as const }
]
const communityName = { A, B, C, D, E }

interface Person {
  readonly in: Partial<Record<keyof typeof communityName, MembershipStatus>>
  readonly status?: AccountStatus
  readonly email?: boolean
  readonly phone?: "verified" | "unverified" | "none"
  readonly stop?: boolean
  readonly sms?: ChannelPreference
  readonly mail?: ChannelPreference
  readonly quiet?: readonly [string, string]
}

const names = ["alice", "bob", "chloe", "david", "emma", "farid", "gilles", "hugo", "ines", "jeanne", "karim", "lea",
  "marc", "nora", "eve"] as const
type Name = typeof names[number]
const idOf = (n: Name) => `00000000-0000-4000-b000-${String(names.indexOf(n)).padStart(12, "0")}` as AccountId
const nameOf = (id: string) => names.find((n) => idOf(n) === id)!
const hhmm = (s: string) => (Number(s.slice(0, 2)) * 60 + Number(s.slice(3))) as MinuteOfDay

const worldOf = (people: Partial<Record<Name, Person>>): FanOutWorld => {
  const accounts: Array<FanOutAccount> = []
  const memberships: Array<FanOutMembership> = []
  const preferences: Array<NotificationPreferences> = []
  const suppressedPhones: Array<PhoneE164> = []
  for (const [name, p] of Object.entries(people) as Array<[Name, Person]>) {
    const id = idOf(name)
    const phone = `+3361111${String(names.indexOf(name)).padStart(4, "0")}` as PhoneE164
    accounts.push({
      id,
      status: p.status ?? "active",
      email: p.email === false ? Option.none() : Option.some(`${name}@exemple.fr` as Email),
      phone: p.phone === "none" ? Option.none() : Option.some(phone),
      phoneVerified: (p.phone ?? "verified") === "verified"
    })
    for (const [k, status] of Object.entries(p.in) as Array<[keyof typeof communityName, MembershipStatus]>) {
      memberships.push({ accountId: id, communityId: communityName[k], status })
    }
    if (p.sms !== undefined || p.mail !== undefined || p.quiet !== undefined) {
      preferences.push(
        new NotificationPreferences({
          accountId: id,
          sms: p.sms ?? "all",
          email: p.mail ?? "all",
          quietHours: p.quiet === undefined
            ? Option.none()
            : Option.some({ start: hhmm(p.quiet[0]), end: hhmm(p.quiet[1]) })
        })
      )
    }
    if (p.stop === true) suppressedPhones.push(phone)
  }
  return { communities, accounts, memberships, preferences, suppressedPhones }
}

const resident = (k: keyof typeof communityName): AlertScope => ({ _tag: "Community", communityId: communityName[k] })
const town = (insee: InseeCode, ...ks: Array<keyof typeof communityName>): AlertScope => ({
  _tag: "Commune",
  insee,
  communityIds: ks.length === 0
    ? Option.none()
    : Option.some(ks.map((k) => communityName[k]) as unknown as readonly [CommunityId, ...Array<CommunityId>])
})

const NOON = "2025-01-15T12:00:00+01:00"
const LATE = "2025-01-15T23:30:00+01:00"

interface Example {
  readonly name: string
  readonly people: Partial<Record<Name, Person>>
  readonly scope: AlertScope
  readonly urgency: Urgency
  readonly by?: Name
  readonly at?: string
  /** "who channel", sorted; every one at `at` unless `waitsUntil` says otherwise. */
  readonly expect: ReadonlyArray<string>
  readonly waitsUntil?: string
}

const examples: ReadonlyArray<Example> = [
  { name: "the author is excluded", by: "alice",
    people: { alice: { in: { A: "verified" } }, bob: { in: { A: "verified" } } }, scope: resident("A"),
    urgency: "urgent", expect: ["bob email", "bob sms"] },
  { name: "a member of two communities in a town alert gets one SMS and one e-mail",
    people: { bob: { in: { A: "verified", B: "verified" } } }, scope: town(BORDEAUX), urgency: "info",
    expect: ["bob email", "bob sms"] },
  { name: "a STOP-suppressed phone gets e-mail only", people: { chloe: { in: { A: "verified" }, stop: true } },
    scope: resident("A"), urgency: "urgent", expect: ["chloe email"] },
  { name: "an unverified phone gets no SMS", people: { david: { in: { A: "verified" }, phone: "unverified" } },
    scope: resident("A"), urgency: "urgent", expect: ["david email"] },
  { name: "no phone and no e-mail: nothing at all",
    people: { david: { in: { A: "verified" }, phone: "none", email: false } }, scope: resident("A"), urgency: "urgent",
    expect: [] },
  { name: "SMS urgent_only and an info alert: no SMS", people: { emma: { in: { A: "verified" }, sms: "urgent_only" } },
    scope: resident("A"), urgency: "info", expect: ["emma email"] },
  { name: "SMS urgent_only and an urgent alert: SMS", people: { emma: { in: { A: "verified" }, sms: "urgent_only" } },
    scope: resident("A"), urgency: "urgent", expect: ["emma email", "emma sms"] },
  { name: "e-mail none: never an e-mail", people: { emma: { in: { A: "verified" }, mail: "none" } },
    scope: resident("A"), urgency: "urgent", expect: ["emma sms"] },
  {
    name: "info at 23:30 Paris with quiet hours 22:00–07:00 waits until 07:00 Paris",
    people: { farid: { in: { A: "verified" }, quiet: ["22:00", "07:00"] } },
    scope: resident("A"),
    urgency: "info",
    at: LATE,
    expect: ["farid email", "farid sms"],
    waitsUntil: "2025-01-16T07:00:00+01:00"
  },
  { name: "info at 12:00 Paris with quiet hours 22:00–07:00 goes at once",
    people: { farid: { in: { A: "verified" }, quiet: ["22:00", "07:00"] } }, scope: resident("A"), urgency: "info",
    at: NOON, expect: ["farid email", "farid sms"] },
  { name: "urgent at 23:30 Paris with quiet hours 22:00–07:00 goes at once",
    people: { farid: { in: { A: "verified" }, quiet: ["22:00", "07:00"] } }, scope: resident("A"), urgency: "urgent",
    at: LATE, expect: ["farid email", "farid sms"] },
  { name: "pending, left and banned members get nothing",
    people: { gilles: { in: { A: "pending_verification" } }, hugo: { in: { A: "left" } }, ines: { in: { A: "banned" } },
      bob: { in: { A: "verified" } } }, scope: resident("A"), urgency: "urgent", expect: ["bob email", "bob sms"] },
  { name: "suspended and erased accounts get nothing",
    people: { jeanne: { in: { A: "verified" }, status: "suspended" },
      karim: { in: { A: "verified" }, status: "erased" } }, scope: town(BORDEAUX), urgency: "urgent", expect: [] },
  { name: "banned in one community, verified in another in scope: receives",
    people: { nora: { in: { A: "banned", B: "verified" } } }, scope: town(BORDEAUX), urgency: "urgent",
    expect: ["nora email", "nora sms"] },
  { name: "banned in the alert's community, verified elsewhere: nothing",
    people: { nora: { in: { A: "banned", B: "verified" } } }, scope: resident("A"), urgency: "urgent", expect: [] },
  { name: "a town alert to a subset of communities excludes the others",
    people: { bob: { in: { A: "verified" } }, lea: { in: { C: "verified" } } }, scope: town(BORDEAUX, "A", "B"),
    urgency: "info", expect: ["bob email", "bob sms"] },
  { name: "a town alert never reaches another commune",
    people: { bob: { in: { A: "verified" } }, marc: { in: { D: "verified" } } }, scope: town(BORDEAUX),
    urgency: "urgent", expect: ["bob email", "bob sms"] },
  { name: "a town subset naming another commune's community still stays in the town",
    people: { marc: { in: { D: "verified" } } }, scope: town(BORDEAUX, "D"), urgency: "urgent", expect: [] },
  { name: "a resident alert never reaches another community of the same commune",
    people: { bob: { in: { A: "verified" } }, lea: { in: { C: "verified" } } }, scope: resident("A"), urgency: "urgent",
    expect: ["bob email", "bob sms"] },
  { name: "an archived community is out of a town alert's scope",
    people: { bob: { in: { A: "verified" } }, eve: { in: { E: "verified" } } }, scope: town(BORDEAUX),
    urgency: "urgent", expect: ["bob email", "bob sms"] },
  { name: "a resident alert to an archived community reaches nobody", people: { eve: { in: { E: "verified" } } },
    scope: resident("E"), urgency: "urgent", expect: [] },
  { name: "a member of an archived and an active community in scope receives through the active one",
    people: { eve: { in: { E: "verified", B: "verified" } } }, scope: town(BORDEAUX), urgency: "urgent",
    expect: ["eve email", "eve sms"] },
  { name: "a community id not in the world reaches nobody", people: { bob: { in: { A: "verified" } } },
    scope: { _tag: "Community", communityId: "00000000-0000-4000-a000-0000000000ff" as CommunityId }, urgency: "urgent",
    expect: [] }
]

describe("fan-out examples", () => {
  it.each(examples)("$name", (ex) => {
    const now = DateTime.unsafeMake(ex.at ?? NOON)
    const authorId = ex.by === undefined ? ("00000000-0000-4000-c000-000000000000" as AccountId) : idOf(ex.by)
    const planned = recipients({ authorId, scope: ex.scope, urgency: ex.urgency }, worldOf(ex.people), now)
    expect(planned.map((p) => `${nameOf(p.accountId)} ${p.channel}`).sort()).toEqual([...ex.expect].sort())
    const when = new Date(ex.waitsUntil ?? ex.at ?? NOON).getTime()
    for (const p of planned) {
      expect(new Date(DateTime.toEpochMillis(p.notBefore)).toISOString()).toBe(new Date(when).toISOString())
    }
  })
})
