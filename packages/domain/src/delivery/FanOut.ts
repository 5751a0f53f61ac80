import { DateTime, Option } from "effect"
import type { AccountId, AccountStatus } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId, CommunityStatus } from "../communities/Community.js"
import type { MembershipStatus } from "../membership/Membership.js"
import type { Email, PhoneE164 } from "../shared/Text.js"
import type { ChannelPreference, DeliveryChannel, NotificationPreferences } from "./NotificationPreferences.js"
import { releaseTime } from "./QuietHoursPolicy.js"

/**
 * Who a message is for: the members of one community, or of the communities of a commune (all of
 * them, or the chosen ones). The sending context maps its own scope to it (an alert's scope is one).
 */
export type Audience =
  | { readonly _tag: "Community"; readonly communityId: CommunityId }
  | {
    readonly _tag: "Commune"
    readonly insee: InseeCode
    readonly communityIds: Option.Option<ReadonlyArray<CommunityId>>
  }

/**
 * How a message is paced for its recipients: "urgent" goes out at once whatever the quiet hours and
 * reaches those who asked for urgent messages only; "info" waits for the end of quiet hours.
 */
export type Priority = "urgent" | "info"

/** The facts about one account that fan-out reads. */
export interface FanOutAccount {
  readonly id: AccountId
  readonly status: AccountStatus
  readonly email: Option.Option<Email>
  readonly phone: Option.Option<PhoneE164>
  readonly phoneVerified: boolean
  /**
   * The phone is a landline given on a signed paper form (a neighbour registered on paper by a
   * référent or a mairie agent): the form attests it, so a voice call may reach it, never an SMS.
   * Absent: false.
   */
  readonly paperLandline?: boolean
}

/** The facts about one membership that fan-out reads. */
export interface FanOutMembership {
  readonly accountId: AccountId
  readonly communityId: CommunityId
  readonly status: MembershipStatus
}

/** Everything fan-out depends on besides the message. Order of every array is irrelevant. */
export interface FanOutWorld {
  /** An archived community is out of every scope: its members get nothing through it. */
  readonly communities: ReadonlyArray<
    { readonly id: CommunityId; readonly insee: InseeCode; readonly status: CommunityStatus }
  >
  readonly accounts: ReadonlyArray<FanOutAccount>
  readonly memberships: ReadonlyArray<FanOutMembership>
  /** Accounts without a row here get `defaultPreferences`. */
  readonly preferences: ReadonlyArray<NotificationPreferences>
  readonly suppressedPhones: ReadonlyArray<PhoneE164>
}

/** The facts about the message that fan-out reads: who wrote it (never a recipient), for whom, how urgent. */
export interface FanOutAlert {
  readonly authorId: AccountId
  readonly scope: Audience
  readonly urgency: Priority
}

/** One delivery to create: who, on which channel, to which address, not before when. */
export interface PlannedDelivery {
  readonly accountId: AccountId
  readonly channel: DeliveryChannel
  readonly destination: string
  readonly notBefore: DateTime.Utc
}

/** The default when a member has not chosen: every alert on both channels, no quiet hours. */
export const DEFAULT_CHANNEL_PREFERENCE: ChannelPreference = "all"

/** Whether a channel preference lets a message of this urgency through. */
export const allows = (preference: ChannelPreference, urgency: Priority): boolean =>
  preference === "all" || (preference === "urgent_only" && urgency === "urgent")

/** The active communities an audience covers, among the known ones. */
export const scopeCommunities = (
  scope: Audience,
  communities: FanOutWorld["communities"]
): ReadonlySet<CommunityId> => {
  const active = communities.filter((c) => c.status === "active")
  switch (scope._tag) {
    case "Community":
      return new Set(active.some((c) => c.id === scope.communityId) ? [scope.communityId] : [])
    case "Commune": {
      const chosen = Option.map(scope.communityIds, (ids) => new Set<CommunityId>(ids))
      return new Set(
        active
          .filter((c) =>
            c.insee === scope.insee && Option.match(chosen, { onNone: () => true, onSome: (s) => s.has(c.id) })
          )
          .map((c) => c.id)
      )
    }
  }
}

const compareKeys = (a: PlannedDelivery, b: PlannedDelivery) =>
  a.accountId < b.accountId
    ? -1
    : a.accountId > b.accountId
    ? 1
    : a.channel < b.channel
    ? -1
    : a.channel > b.channel
    ? 1
    : 0

/**
 * Who receives a message (an alert, a town alert), on which channel, and when. The rules, each proved
 * by a property test:
 * only verified memberships of active accounts in the scope's active communities count; one delivery per account
 * and channel whatever the number of memberships in scope; a channel only when the member's
 * preference allows this urgency and the address exists (a verified, unsuppressed phone for SMS;
 * an e-mail address for e-mail); never the author; info messages wait for the end of quiet hours,
 * urgent ones never wait. An urgent message also goes by voice call to those who chose it
 * (`voiceUrgent`) and have a verified phone or a landline attested by a paper registration
(`paperLandline`), suppressed for SMS or not (STOP is about SMS). The result is sorted by account and channel, so it does not depend on the
 * order of the inputs.
 */
export const recipients = (
  alert: FanOutAlert,
  world: FanOutWorld,
  now: DateTime.Utc
): ReadonlyArray<PlannedDelivery> => {
  const inScope = scopeCommunities(alert.scope, world.communities)
  const eligible = new Set<AccountId>()
  for (const m of world.memberships) {
    if (m.status === "verified" && inScope.has(m.communityId)) eligible.add(m.accountId)
  }
  eligible.delete(alert.authorId)
  const preferences = new Map(world.preferences.map((p) => [p.accountId, p] as const))
  const suppressed = new Set<string>(world.suppressedPhones)
  const seen = new Set<AccountId>()
  const planned: Array<PlannedDelivery> = []
  for (const account of world.accounts) {
    if (account.status !== "active" || !eligible.has(account.id) || seen.has(account.id)) continue
    seen.add(account.id)
    const prefs = preferences.get(account.id)
    const notBefore = alert.urgency === "urgent"
      ? now
      : Option.match(prefs?.quietHours ?? Option.none(), { onNone: () => now, onSome: (q) => releaseTime(q, now) })
    if (
      allows(prefs?.sms ?? DEFAULT_CHANNEL_PREFERENCE, alert.urgency) && account.phoneVerified &&
      Option.isSome(account.phone) && !suppressed.has(account.phone.value)
    ) {
      planned.push({ accountId: account.id, channel: "sms", destination: account.phone.value, notBefore })
    }
    if (allows(prefs?.email ?? DEFAULT_CHANNEL_PREFERENCE, alert.urgency) && Option.isSome(account.email)) {
      planned.push({ accountId: account.id, channel: "email", destination: account.email.value, notBefore })
    }
    if (
      alert.urgency === "urgent" && prefs?.voiceUrgent === true &&
      (account.phoneVerified || account.paperLandline === true) && Option.isSome(account.phone)
    ) {
      planned.push({ accountId: account.id, channel: "voice", destination: account.phone.value, notBefore })
    }
  }
  return planned.sort(compareKeys)
}

/** A delivery that already exists for the message: its (account, channel) key. */
export interface ExistingDelivery {
  readonly accountId: AccountId
  readonly channel: DeliveryChannel
}

/**
 * The deliveries still to create for a message, given those that exist already: running fan-out
 * again for the same message adds nothing, and a world that grew adds only the newcomers.
 */
export const fanOut = (
  alert: FanOutAlert,
  world: FanOutWorld,
  now: DateTime.Utc,
  existing: ReadonlyArray<ExistingDelivery>
): ReadonlyArray<PlannedDelivery> => {
  const done = new Set(existing.map((e) => `${e.accountId}/${e.channel}`))
  return recipients(alert, world, now).filter((p) => !done.has(`${p.accountId}/${p.channel}`))
}
