import { DateTime, Duration } from "effect"
import type { AccountId, StaffRole } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { FlaggedSpan } from "../trust/SensitiveDescriptors.js"
import { HoldReason, type TrustSettings } from "../trust/TrustPolicy.js"
import {
  GazettePostClosed,
  GazettePostUnavailable,
  InvalidGazettePost,
  NotRenewable,
  OutcomeNotAllowed
} from "./GazetteErrors.js"
import {
  GazettePostView,
  type GazetteDetails,
  type GazettePost,
  type PostKind,
  type PostOutcome,
  type PostState
} from "./GazettePost.js"

/** Posts of these kinds expire EXPIRY after their publication or their last renewal. */
export const EXPIRING_KINDS: ReadonlyArray<PostKind> = ["annonce", "entraide", "covoiturage", "perdu_trouve"]
export const EXPIRY = Duration.days(30)
/** The author is told this long before their post expires. */
export const REMINDER_BEFORE = Duration.days(3)

/** At most this many posts per member in each GAZETTE_RATE_WINDOW (a fixed day window). */
export const GAZETTE_DAILY_LIMIT = 10
export const GAZETTE_RATE_WINDOW = Duration.days(1)

/** The kinds about people whose text goes through the sensitive-descriptor check. */
export const SENSITIVE_CHECKED_KINDS: ReadonlyArray<PostKind> = ["perdu_trouve", "entraide"]

/** The outcomes that close a post of each kind; none: it is not closed (only withdrawn, or cancelled for events). */
export const outcomesOf = (kind: PostKind): ReadonlyArray<PostOutcome> => {
  switch (kind) {
    case "annonce":
      return ["vendu", "donne", "rendu", "trouve"]
    case "entraide":
      return ["fait"]
    case "covoiturage":
      return ["complet"]
    case "perdu_trouve":
      return ["retrouve"]
    case "evenement":
    case "vie_du_quartier":
    case "compte_rendu":
    case "communication":
      return []
  }
}

export const expires = (kind: PostKind): boolean => EXPIRING_KINDS.includes(kind)

/** When a post of `kind` published or renewed at `from` expires (null: it does not). */
export const expiryFrom = (kind: PostKind, from: DateTime.Utc): DateTime.Utc | null =>
  expires(kind) ? DateTime.addDuration(from, EXPIRY) : null

type Lifecycle = Pick<
  GazettePost,
  "id" | "kind" | "status" | "state" | "expiresAt" | "cancelledAt" | "remindedFor"
>

/**
 * The state a reader sees now: a closed post stays closed, a cancelled event reads closed, an open
 * post past its expiry reads expired (whether or not the expiry job has marked it yet).
 */
export const currentState = (post: Lifecycle, now: DateTime.Utc): PostState => {
  if (post.state === "closed" || post.cancelledAt !== null) return "closed"
  if (post.state === "expired") return "expired"
  return post.expiresAt !== null && DateTime.lessThanOrEqualTo(post.expiresAt, now) ? "expired" : "open"
}

/** Hidden and withdrawn posts are out of their author's hands. */
const unavailable = (post: Lifecycle): GazettePostUnavailable | undefined =>
  post.status === "hidden" || post.status === "withdrawn"
    ? new GazettePostUnavailable({ postId: post.id, status: post.status })
    : undefined

/**
 * Whether its author may close a post with `outcome`: not hidden or withdrawn, not closed already,
 * and an outcome of its kind. An expired post may still be closed ("vendu" after the 30 days).
 */
export const closeRefusal = (
  post: Lifecycle,
  outcome: PostOutcome,
  now: DateTime.Utc
): GazettePostUnavailable | GazettePostClosed | OutcomeNotAllowed | undefined => {
  const out = unavailable(post)
  if (out !== undefined) return out
  if (!outcomesOf(post.kind).includes(outcome)) return new OutcomeNotAllowed({ kind: post.kind, outcome })
  const state = currentState(post, now)
  if (state === "closed") return new GazettePostClosed({ postId: post.id, state })
  return undefined
}

/**
 * Whether its author may renew a post, and until when: only kinds that expire; an open or expired
 * post (an expired annonce comes back for 30 days), never a closed one nor a hidden or withdrawn one.
 */
export const renewal = (
  post: Lifecycle,
  now: DateTime.Utc
):
  | { readonly _tag: "Renew"; readonly expiresAt: DateTime.Utc }
  | { readonly _tag: "Refuse"; readonly error: NotRenewable | GazettePostUnavailable | GazettePostClosed } =>
{
  if (!expires(post.kind)) return { _tag: "Refuse", error: new NotRenewable({ kind: post.kind }) }
  const out = unavailable(post)
  if (out !== undefined) return { _tag: "Refuse", error: out }
  const state = currentState(post, now)
  if (state === "closed") return { _tag: "Refuse", error: new GazettePostClosed({ postId: post.id, state }) }
  return { _tag: "Renew", expiresAt: DateTime.addDuration(now, EXPIRY) }
}

/** Whether its author may withdraw a post: any post that is not hidden nor withdrawn already. */
export const withdrawRefusal = (post: Lifecycle): GazettePostUnavailable | undefined => unavailable(post)

/**
 * The posts whose 3-day reminder is due now: published, open (not expired yet), of a kind that
 * expires, within REMINDER_BEFORE of their expiry, and not reminded yet for this expiry (a renewal
 * starts a new period, with its own reminder).
 */
export const remindersDue = <P extends Lifecycle>(posts: ReadonlyArray<P>, now: DateTime.Utc): ReadonlyArray<P> =>
  posts.filter((p) =>
    p.status === "published" && expires(p.kind) && p.expiresAt !== null && currentState(p, now) === "open" &&
    DateTime.lessThanOrEqualTo(DateTime.subtractDuration(p.expiresAt, REMINDER_BEFORE), now) &&
    (p.remindedFor === null || !DateTime.Equivalence(p.remindedFor, p.expiresAt))
  )

const required = (field: string, value: string) =>
  value.trim().length === 0 ? new InvalidGazettePost({ field, reason: "required" }) : undefined
const future = (field: string, at: DateTime.Utc, now: DateTime.Utc) =>
  DateTime.lessThanOrEqualTo(at, now) ? new InvalidGazettePost({ field, reason: "in_the_past" }) : undefined
/** How far ahead a ride, a pin and an event may be set. */
export const MAX_AHEAD = { ride: Duration.days(366), pin: Duration.days(366), event: Duration.days(731) }
const near = (field: string, at: DateTime.Utc, now: DateTime.Utc, ahead: Duration.Duration) =>
  DateTime.greaterThan(at, DateTime.addDuration(now, ahead))
    ? new InvalidGazettePost({ field, reason: "too_far" })
    : undefined
const notFuture = (field: string, at: DateTime.Utc, now: DateTime.Utc) =>
  DateTime.greaterThan(at, now) ? new InvalidGazettePost({ field, reason: "in_the_future" }) : undefined

/**
 * The rules of a post's details the schema cannot check alone, first failure first: a ride needs a
 * start and a destination and leaves in the future; an event starts in the future, ends after its
 * start and has a place; something lost or found was seen in the past, somewhere; a meeting was held
 * in the past; a price only on a sale; a pin ends in the future; nothing is set further ahead than
 * MAX_AHEAD.
 */
export const detailsRefusal = (details: GazetteDetails, now: DateTime.Utc): InvalidGazettePost | undefined => {
  switch (details._tag) {
    case "annonce":
      return details.priceCents !== undefined && details.offer !== "vends"
        ? new InvalidGazettePost({ field: "priceCents", reason: "not_allowed" })
        : undefined
    case "covoiturage":
      return required("from", details.from) ?? required("to", details.to) ??
        future("departsAt", details.departsAt, now) ?? near("departsAt", details.departsAt, now, MAX_AHEAD.ride)
    case "perdu_trouve":
      return required("where", details.where) ?? notFuture("seenAt", details.seenAt, now)
    case "compte_rendu":
      return notFuture("heldOn", details.heldOn, now)
    case "evenement":
      return required("place", details.place) ?? future("startsAt", details.startsAt, now) ??
        near("startsAt", details.startsAt, now, MAX_AHEAD.event) ??
        (details.endsAt !== undefined && DateTime.lessThanOrEqualTo(details.endsAt, details.startsAt)
          ? new InvalidGazettePost({ field: "endsAt", reason: "before_start" })
          : undefined) ??
        (details.endsAt !== undefined ? near("endsAt", details.endsAt, now, MAX_AHEAD.event) : undefined)
    case "communication":
      return details.pinnedUntil === undefined
        ? undefined
        : future("pinnedUntil", details.pinnedUntil, now) ??
          near("pinnedUntil", details.pinnedUntil, now, MAX_AHEAD.pin)
    case "entraide":
    case "vie_du_quartier":
      return undefined
  }
}

/** The facts about a reader that decide which posts they read. */
export interface GazetteViewer {
  readonly accountId: AccountId
  readonly staffRoles: ReadonlyArray<StaffRole>
  readonly verifiedCommunities: ReadonlySet<CommunityId>
}

/** What visibility needs to know of a post, with the quartiers it reaches resolved. */
export interface Readable {
  readonly authorId: AccountId
  readonly kind: PostKind
  readonly status: GazettePost["status"]
  readonly insee: InseeCode
  /** Its quartier; for a communication, the quartiers it names, or all of its commune when it names none. */
  readonly reach: ReadonlyArray<CommunityId>
}

/** A reader as visibility sees them: their id, staff roles and the quartiers where they are verified. */
export const gazetteViewer = (
  account: { readonly id: AccountId; readonly staffRoles: ReadonlyArray<StaffRole> },
  memberships: ReadonlyArray<{ readonly status: string; readonly communityId: CommunityId }>
): GazetteViewer => ({
  accountId: account.id,
  staffRoles: account.staffRoles,
  verifiedCommunities: new Set(memberships.filter((m) => m.status === "verified").map((m) => m.communityId))
})

export const isMairieAgentOf = (roles: ReadonlyArray<StaffRole>, insee: InseeCode): boolean =>
  roles.some((r) => r._tag === "MairieAgent" && r.insee === insee)

/**
 * Who reads a post: nobody once it is withdrawn; its author otherwise (held or hidden too); others
 * only while it is published: the verified members of a quartier it reaches, and, for a mairie
 * communication, the mairie agents of its commune. Staff roles give nothing else (moderators read
 * held and flagged posts through moderation, not here).
 */
export const canRead = (viewer: GazetteViewer, post: Readable): boolean => {
  if (post.status === "withdrawn") return false
  if (post.authorId === viewer.accountId) return true
  if (post.status !== "published") return false
  if (post.kind === "communication" && isMairieAgentOf(viewer.staffRoles, post.insee)) return true
  return post.reach.some((id) => viewer.verifiedCommunities.has(id))
}

/** What the trust policy needs of a resident's post. */
export interface GazetteTrustFacts {
  readonly kind: PostKind
  /** Gazette posts the author published before this one, ever. */
  readonly authorPreviousPosts: number
  readonly sensitive: ReadonlyArray<FlaggedSpan>
}

/**
 * Why a resident's post waits for a moderator, as for alerts: a member's first posts
 * (`heldFirstAlerts` of the trust settings), and the sensitive-descriptor check on the kinds about
 * people (perdu / trouvé, entraide). Empty: published at once.
 */
export const gazetteHoldReasons = (facts: GazetteTrustFacts, settings: TrustSettings): ReadonlyArray<HoldReason> => {
  const applies: Partial<Record<HoldReason, boolean>> = {
    new_member: facts.authorPreviousPosts < settings.heldFirstAlerts,
    sensitive_descriptors: SENSITIVE_CHECKED_KINDS.includes(facts.kind) && facts.sensitive.length > 0
  }
  return HoldReason.literals.filter((reason) => applies[reason] === true)
}

/** Whether a communication is pinned now. */
export const pinnedNow = (details: GazetteDetails, now: DateTime.Utc): boolean =>
  details._tag === "communication" && details.pinnedUntil !== undefined &&
  DateTime.greaterThan(details.pinnedUntil, now)

/** A post as `readerId` receives it (GazettePostView): hold reasons only for its author. */
export const toView = (post: GazettePost, readerId: AccountId, now: DateTime.Utc): GazettePostView =>
  new GazettePostView({
    id: post.id,
    kind: post.kind,
    communityId: post.communityId,
    insee: post.insee,
    authorName: post.authorName,
    mine: post.authorId === readerId,
    title: post.title,
    body: post.body,
    photos: post.photos,
    details: post.details,
    status: post.status,
    holdReasons: post.authorId === readerId ? post.holdReasons : [],
    state: currentState(post, now),
    outcome: post.outcome,
    closedAt: post.closedAt,
    cancelledAt: post.cancelledAt,
    createdAt: post.createdAt,
    expiresAt: post.expiresAt,
    pinned: pinnedNow(post.details, now)
  })
