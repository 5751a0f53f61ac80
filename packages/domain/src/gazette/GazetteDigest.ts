import { DateTime, Duration } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import { canRead } from "./GazettePolicy.js"
import type { GazettePostId, PostKind, PostState, PostStatus } from "./GazettePost.js"
import { defaultGazetteChoices, type GazetteChoices, type GazetteTopic, gazetteTopics } from "./GazettePreferences.js"

/** The digest goes out on Mondays at 08:00, Paris time, whatever the season. */
export const DIGEST_TIME_ZONE = "Europe/Paris"
export const DIGEST_HOUR = 8
/** New posts of the week before the digest; the events of the two weeks after it. */
export const DIGEST_NEW_SINCE = Duration.days(7)
export const DIGEST_EVENTS_AHEAD = Duration.days(14)
/** A digest not planned within this long of its Monday 08:00 (the platform was down) is skipped. */
export const DIGEST_LATE_LIMIT = Duration.hours(20)

const zone = DateTime.zoneUnsafeMakeNamed(DIGEST_TIME_ZONE)

interface LocalDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** The calendar date `days` after `date` (calendar arithmetic, blind to daylight saving). */
const plusDays = (date: LocalDate, days: number): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** 08:00 in Paris on that date, as an instant (08:00 never falls in a daylight-saving gap). */
const digestInstant = (date: LocalDate): DateTime.Utc =>
  DateTime.toUtc(
    DateTime.unsafeMakeZoned({ ...date, hours: DIGEST_HOUR }, { timeZone: zone, adjustForTimeZone: true })
  )

/** The Monday, in Paris, of the week holding `now`'s Paris date. */
const mondayOf = (now: DateTime.Utc): LocalDate => {
  const parts = DateTime.toParts(DateTime.setZone(now, zone))
  const sinceMonday = (parts.weekDay + 6) % 7
  return plusDays({ year: parts.year, month: parts.month, day: parts.day }, -sinceMonday)
}

/** The first Monday 08:00 (Paris) strictly after `now`. */
export const nextDigestAt = (now: DateTime.Utc): DateTime.Utc => {
  const monday = mondayOf(now)
  const candidate = digestInstant(monday)
  return DateTime.greaterThan(candidate, now) ? candidate : digestInstant(plusDays(monday, 7))
}

/** The last Monday 08:00 (Paris) at or before `now`: the digest that is due. */
export const latestDigestAt = (now: DateTime.Utc): DateTime.Utc => {
  const monday = mondayOf(now)
  const candidate = digestInstant(monday)
  return DateTime.lessThanOrEqualTo(candidate, now) ? candidate : digestInstant(plusDays(monday, -7))
}

/** A digest's key: the date of its Monday in Paris ("2026-12-07"). */
export const digestWeek = (runAt: DateTime.Utc): string => {
  const p = DateTime.toParts(DateTime.setZone(runAt, zone))
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`
}

/** What one digest covers: posts created in [newSince, runAt), events starting in [runAt, eventsUntil). */
export interface DigestWindow {
  readonly week: string
  readonly runAt: DateTime.Utc
  readonly newSince: DateTime.Utc
  readonly eventsUntil: DateTime.Utc
}

export const digestWindow = (runAt: DateTime.Utc): DigestWindow => ({
  week: digestWeek(runAt),
  runAt,
  newSince: DateTime.subtractDuration(runAt, DIGEST_NEW_SINCE),
  eventsUntil: DateTime.addDuration(runAt, DIGEST_EVENTS_AHEAD)
})

/** Whether the digest of `runAt` is still worth planning at `now`. */
export const digestDue = (runAt: DateTime.Utc, now: DateTime.Utc): boolean =>
  DateTime.lessThanOrEqualTo(runAt, now) &&
  DateTime.lessThan(now, DateTime.addDuration(runAt, DIGEST_LATE_LIMIT))

/**
 * A post that may go into the digests of a week (already filtered by `inDigestWindow`), with the
 * quartiers it reaches among those asked for, and what the e-mail shows of it.
 */
export interface DigestCandidate {
  readonly id: GazettePostId
  readonly kind: PostKind
  readonly reach: ReadonlyArray<CommunityId>
  readonly title: string
  /** The start of its text (a short excerpt). */
  readonly excerpt: string
  readonly createdAt: DateTime.Utc
  /** An event's start and place. */
  readonly startsAt: DateTime.Utc | null
  readonly place: string | null
  /** The quartier's name (null for the mairie's communications). */
  readonly quartier: string | null
}

/** A group of members who receive the same digest: the same quartiers, the same weekly topics. */
export interface DigestGroup {
  readonly communities: ReadonlyArray<CommunityId>
  readonly topics: ReadonlyArray<GazetteTopic>
}

const sectionOf = (kind: PostKind): number => gazetteTopics.indexOf(kind)

/**
 * What a group's digest shows, in reading order: the mairie's communications first, then each
 * topic in the order of `gazetteTopics` (events by their start, the rest by publication), each post
 * once, only of the group's topics and reaching one of its quartiers.
 */
export const digestContent = (
  group: DigestGroup,
  candidates: ReadonlyArray<DigestCandidate>
): ReadonlyArray<DigestCandidate> => {
  const communities = new Set(group.communities)
  const topics = new Set<string>(group.topics)
  const seen = new Set<string>()
  const chosen = candidates.filter((c) => {
    if (seen.has(c.id) || !topics.has(c.kind) || !c.reach.some((id) => communities.has(id))) return false
    seen.add(c.id)
    return true
  })
  const time = (c: DigestCandidate) => DateTime.toEpochMillis(c.startsAt ?? c.createdAt)
  return chosen.sort((a, b) =>
    sectionOf(a.kind) - sectionOf(b.kind) || time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

/** The facts of a post that decide whether it belongs to a week's digests. */
export interface DigestPostFacts {
  readonly id: GazettePostId
  readonly kind: PostKind
  readonly communityId: CommunityId | null
  readonly insee: InseeCode
  readonly authorId: AccountId
  readonly status: PostStatus
  readonly state: PostState
  readonly cancelledAt: DateTime.Utc | null
  readonly expiresAt: DateTime.Utc | null
  readonly createdAt: DateTime.Utc
  /** An event's start; null for the other kinds. */
  readonly startsAt: DateTime.Utc | null
}

/**
 * Whether a post belongs to the week's digests: published (never held, hidden or withdrawn) and
 * published before the digest; an event not cancelled that starts within the two weeks after it; any
 * other post created during the week before it, still open (not closed, not expired).
 */
export const inDigestWindow = (post: DigestPostFacts, window: DigestWindow): boolean => {
  if (post.status !== "published" || !DateTime.lessThan(post.createdAt, window.runAt)) return false
  if (post.kind === "evenement") {
    return post.cancelledAt === null && post.startsAt !== null &&
      DateTime.lessThanOrEqualTo(window.runAt, post.startsAt) && DateTime.lessThan(post.startsAt, window.eventsUntil)
  }
  return DateTime.lessThanOrEqualTo(window.newSince, post.createdAt) && post.state === "open" &&
    (post.expiresAt === null || DateTime.greaterThan(post.expiresAt, window.runAt))
}

/** A member as the digest sees them. */
export interface DigestAccount {
  readonly id: AccountId
  readonly status: "active" | "suspended" | "erased"
  readonly email: string | null
}

/** Everything the digest of a week is decided from: the pure twin of the SQL (agreement-tested). */
export interface DigestWorld {
  readonly accounts: ReadonlyArray<DigestAccount>
  readonly communities: ReadonlyArray<
    { readonly id: CommunityId; readonly insee: InseeCode; readonly status: "active" | "archived" }
  >
  readonly memberships: ReadonlyArray<
    { readonly accountId: AccountId; readonly communityId: CommunityId; readonly status: string }
  >
  /** Members who chose; the others have `defaultGazetteChoices`. */
  readonly choices: ReadonlyMap<AccountId, GazetteChoices>
  readonly posts: ReadonlyArray<DigestPostFacts>
  /** The quartiers each communication names (none: every quartier of its commune). */
  readonly targets: ReadonlyMap<GazettePostId, ReadonlyArray<CommunityId>>
}

/** A member's weekly topics, in reading order. */
export const weeklyTopics = (choices: GazetteChoices): ReadonlyArray<GazetteTopic> =>
  gazetteTopics.filter((t) => choices[t] === "weekly")

/** The quartiers a post reaches: its own, or those a communication names, or all of its commune. */
export const digestReach = (
  post: DigestPostFacts,
  world: Pick<DigestWorld, "communities" | "targets">
): ReadonlyArray<CommunityId> => {
  if (post.communityId !== null) return [post.communityId]
  const named = world.targets.get(post.id) ?? []
  return named.length > 0 ? named : world.communities.filter((c) => c.insee === post.insee).map((c) => c.id)
}

/**
 * Who receives which posts in the week's digest: each active member with an e-mail, verified in at
 * least one active quartier, who chose "weekly" for at least one topic, gets the posts of those
 * topics they may read (GazettePolicy.canRead) among the week's (`inDigestWindow`), in the order of
 * `digestContent`; nobody gets an empty digest. The SQL planner (grouping members by quartiers and
 * topics) must agree with it.
 */
export const digestRecipients = (
  world: DigestWorld,
  window: DigestWindow
): ReadonlyMap<AccountId, ReadonlyArray<GazettePostId>> => {
  const active = new Set(world.communities.filter((c) => c.status === "active").map((c) => c.id))
  const candidates = world.posts.filter((p) => inDigestWindow(p, window)).map((p) => ({ post: p,
    reach: digestReach(p, world) })
  )
  const out = new Map<AccountId, ReadonlyArray<GazettePostId>>()
  for (const account of world.accounts) {
    if (account.status !== "active" || account.email === null) continue
    const verified = new Set(
      world.memberships.filter((m) =>
        m.accountId === account.id && m.status === "verified" && active.has(m.communityId)
      )
        .map((m) => m.communityId)
    )
    const topics = weeklyTopics(world.choices.get(account.id) ?? defaultGazetteChoices)
    if (verified.size === 0 || topics.length === 0) continue
    const viewer = { accountId: account.id, staffRoles: [], verifiedCommunities: verified }
    const readable: Array<DigestCandidate> = candidates
      .filter(({ post, reach }) => canRead(viewer, { ...post, reach }))
      .map(({ post, reach }) => ({
        id: post.id,
        kind: post.kind,
        reach,
        title: "",
        excerpt: "",
        createdAt: post.createdAt,
        startsAt: post.startsAt,
        place: null,
        quartier: null
      }))
    const content = digestContent({ communities: [...verified], topics }, readable)
    if (content.length > 0) out.set(account.id, content.map((c) => c.id))
  }
  return out
}
