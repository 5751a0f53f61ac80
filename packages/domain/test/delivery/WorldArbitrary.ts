import { DateTime, FastCheck as fc, Option } from "effect"
import type { AccountId, AccountStatus } from "../../src/accounts/Account.js"
import type { AlertScope, Urgency } from "../../src/alerts/Alert.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import type { FanOutAccount, FanOutAlert, FanOutMembership, FanOutWorld } from "../../src/delivery/FanOut.js"
import { NotificationPreferences } from "../../src/delivery/NotificationPreferences.js"
import type { ChannelPreference, MinuteOfDay, QuietHours } from "../../src/delivery/NotificationPreferences.js"
import type { MembershipStatus } from "../../src/membership/Membership.js"
import type { Email, PhoneE164 } from "../../src/shared/Text.js"

/** One generated case: a world, an alert in it, and the instant fan-out runs. */
export interface FanOutCase {
  readonly world: FanOutWorld
  readonly alert: FanOutAlert
  readonly now: DateTime.Utc
}

export const INSEE_CODES = ["33080", "33063", "2A004", "2B033", "69123"] as ReadonlyArray<string> as ReadonlyArray<
  InseeCode
>
export const ACCOUNT_STATUSES: ReadonlyArray<AccountStatus> = ["active", "suspended", "erased"]
export const MEMBERSHIP_STATUSES: ReadonlyArray<MembershipStatus> = ["pending_verification", "verified", "left",
  "banned"]
export const CHANNEL_PREFERENCES: ReadonlyArray<ChannelPreference> = ["all", "urgent_only", "none"]

/** 2025-01-01T00:00:00Z to 2026-01-01T00:00:00Z: both DST regimes and both transition nights. */
export const YEAR_START = Date.UTC(2025, 0, 1)
export const YEAR_END = Date.UTC(2026, 0, 1)

const uuid = fc.uuid()
const minute = fc.integer({ min: 0, max: 1439 }) as fc.Arbitrary<MinuteOfDay>

/** None, same day (start < end), spanning midnight (start > end), or start == end (no quiet hours). */
export const quietHoursArb: fc.Arbitrary<Option.Option<QuietHours>> = fc.oneof(
  fc.constant(Option.none()),
  fc.tuple(minute, minute).filter(([a, b]) => a !== b).map(([a, b]) =>
    Option.some({ start: Math.min(a, b) as MinuteOfDay, end: Math.max(a, b) as MinuteOfDay })
  ),
  fc.tuple(minute, minute).filter(([a, b]) => a !== b).map(([a, b]) =>
    Option.some({ start: Math.max(a, b) as MinuteOfDay, end: Math.min(a, b) as MinuteOfDay })
  ),
  fc.constant(Option.some({ start: 22 * 60 as MinuteOfDay, end: 7 * 60 as MinuteOfDay })),
  minute.map((m) => Option.some({ start: m, end: m }))
)

/** Instants spread over the whole of 2025, at any millisecond. */
export const nowArb: fc.Arbitrary<DateTime.Utc> = fc
  .integer({ min: YEAR_START, max: YEAR_END - 1 })
  .map((ms) => DateTime.unsafeMake(ms))

const NOBODY = "00000000-0000-4000-8000-000000000000" as AccountId

const nonEmpty = <A>(xs: Array<A>): Option.Option<readonly [A, ...Array<A>]> =>
  xs.length > 0 ? Option.some(xs as unknown as readonly [A, ...Array<A>]) : Option.none()

const phoneOf = (i: number) => `+3361000${String(i).padStart(4, "0")}` as PhoneE164
const emailOf = (i: number) => `voisin${i}@exemple.fr` as Email

interface AccountDraft {
  readonly status: AccountStatus
  readonly hasEmail: boolean
  readonly hasPhone: boolean
  readonly phoneVerified: boolean
  /** Registered on paper with a landline: the voice channel may call it unverified. */
  readonly paperLandline: boolean
  readonly memberships: ReadonlyArray<{ readonly community: number; readonly status: MembershipStatus }>
  readonly preferences: Option.Option<
    {
      sms: ChannelPreference
      email: ChannelPreference
      quietHours: Option.Option<QuietHours>
      voiceUrgent: boolean
    }
  >
}

/** One of `values`, `favourite` `weight` times as likely as each of the others. */
const weighted = <A>(values: ReadonlyArray<A>, favourite: A, weight: number): fc.Arbitrary<A> =>
  fc.oneof(...values.map((v) => ({ arbitrary: fc.constant(v), weight: v === favourite ? weight : 1 })))

const accountDraft = (communityCount: number): fc.Arbitrary<AccountDraft> =>
  fc.record({
    status: weighted(ACCOUNT_STATUSES, "active", 4),
    hasEmail: fc.boolean(),
    hasPhone: fc.boolean(),
    phoneVerified: fc.boolean(),
    paperLandline: weighted([false, true], false, 3),
    memberships: fc
      .array(fc.option(weighted(MEMBERSHIP_STATUSES, "verified", 4), { freq: 3, nil: undefined }), {
        minLength: communityCount,
        maxLength: communityCount
      })
      .map((statuses) => statuses.flatMap((status, community) => status === undefined ? [] : [{ community, status }])),
    preferences: fc.option(
      fc.record({
        sms: fc.constantFrom(...CHANNEL_PREFERENCES),
        email: fc.constantFrom(...CHANNEL_PREFERENCES),
        quietHours: quietHoursArb,
        voiceUrgent: fc.boolean()
      }),
      { freq: 2, nil: undefined }
    ).map(Option.fromNullable)
  })

/**
 * Worlds of 1–3 communes, 1–6 communities, 0–40 accounts (unique ids, e-mails and phones, as the
 * database guarantees), memberships of every status, preferences present or absent, suppressed
 * phones (members' and strangers'), an alert scoped to one community (sometimes unknown) or to a
 * commune (all or some of its communities), an author in scope or not, and an instant in 2025.
 */
export const fanOutCaseArb: fc.Arbitrary<FanOutCase> = fc
  .record({
    communes: fc.shuffledSubarray([...INSEE_CODES], { minLength: 1, maxLength: 3 }),
    communityIds: fc.uniqueArray(uuid, { minLength: 1, maxLength: 6 }),
    communeOfCommunity: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    archived: fc.array(fc.nat({ max: 5 }).map((n) => n === 0), { minLength: 6, maxLength: 6 })
  })
  .chain(({ communes, communityIds, communeOfCommunity, archived }) => {
    const communities = communityIds.map((id, i) => ({
      id: id as CommunityId,
      insee: communes[communeOfCommunity[i]! % communes.length]!,
      status: archived[i] ? "archived" as const : "active" as const
    }))
    return fc
      .record({
        accountIds: fc.uniqueArray(uuid, { maxLength: 40, size: "max" }),
        drafts: fc.array(accountDraft(communities.length), { minLength: 40, maxLength: 40 }),
        strangerPhones: fc.array(fc.integer({ min: 5000, max: 9999 }).map(phoneOf), { maxLength: 3 }),
        suppressMemberPhone: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        urgency: fc.constantFrom<Urgency>("urgent", "info"),
        scope: fc.oneof(
          { weight: 3,
            arbitrary: fc.record({ kind: fc.constant("community" as const),
              index: fc.nat({ max: communities.length - 1 }) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant("unknownCommunity" as const), id: uuid }) },
          { weight: 4, arbitrary: fc.record({
            kind: fc.constant("commune" as const),
            insee: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...communes) }, { weight: 1,
              arbitrary: fc.constantFrom(...INSEE_CODES) }),
            subset: fc.option(
              fc.tuple(fc.subarray(communities.map((c) => c.id)), fc.array(uuid, { maxLength: 1 })),
              { nil: undefined }
            )
          }) }
        ),
        author: fc.oneof(
          fc.record({ kind: fc.constant("account" as const), index: fc.nat({ max: 39 }) }),
          fc.record({ kind: fc.constant("stranger" as const), id: uuid })
        ),
        now: nowArb
      })
      .map(({ accountIds, drafts, strangerPhones, suppressMemberPhone, urgency, scope, author, now }): FanOutCase => {
        const accounts: Array<FanOutAccount> = []
        const memberships: Array<FanOutMembership> = []
        const preferences: Array<NotificationPreferences> = []
        const suppressedPhones: Array<PhoneE164> = [...strangerPhones]
        accountIds.forEach((rawId, i) => {
          const id = rawId as AccountId
          const d = drafts[i]!
          accounts.push({
            id,
            status: d.status,
            email: d.hasEmail ? Option.some(emailOf(i)) : Option.none(),
            phone: d.hasPhone ? Option.some(phoneOf(i)) : Option.none(),
            phoneVerified: d.phoneVerified,
            paperLandline: d.paperLandline
          })
          for (const m of d.memberships) {
            memberships.push({ accountId: id, communityId: communities[m.community]!.id, status: m.status })
          }
          if (Option.isSome(d.preferences)) {
            preferences.push(new NotificationPreferences({ accountId: id, ...d.preferences.value }))
          }
          if (d.hasPhone && suppressMemberPhone[i]) suppressedPhones.push(phoneOf(i))
        })
        const alertScope: AlertScope = scope.kind === "community"
          ? { _tag: "Community", communityId: communities[scope.index]!.id }
          : scope.kind === "unknownCommunity"
          ? { _tag: "Community", communityId: scope.id as CommunityId }
          : {
            _tag: "Commune",
            insee: scope.insee,
            communityIds: scope.subset === undefined
              ? Option.none()
              : nonEmpty([...scope.subset[0], ...scope.subset[1]] as Array<CommunityId>)
          }
        const authorId = author.kind === "stranger"
          ? author.id as AccountId
          : accounts[author.index % Math.max(1, accounts.length)]?.id ?? NOBODY
        return {
          world: { communities, accounts, memberships, preferences, suppressedPhones },
          alert: { authorId, scope: alertScope, urgency },
          now
        }
      })
  })

/** The same case with every array of the world (and of the scope) in another order. */
export const shuffled = (c: FanOutCase): fc.Arbitrary<FanOutCase> => {
  const perm = <A>(xs: ReadonlyArray<A>) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length })
  const scopeIds = c.alert.scope._tag === "Commune" ? Option.getOrElse(c.alert.scope.communityIds, () => []) : []
  return fc
    .record({
      communities: perm(c.world.communities),
      accounts: perm(c.world.accounts),
      memberships: perm(c.world.memberships),
      preferences: perm(c.world.preferences),
      suppressedPhones: perm(c.world.suppressedPhones),
      scopeIds: perm(scopeIds)
    })
    .map(({ scopeIds: ids, ...world }) => ({
      world,
      alert: c.alert.scope._tag === "Commune" && ids.length > 0
        ? { ...c.alert, scope: { ...c.alert.scope, communityIds: nonEmpty(ids) } }
        : c.alert,
      now: c.now
    }))
}
