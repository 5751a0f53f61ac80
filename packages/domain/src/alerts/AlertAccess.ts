import { Duration } from "effect"
import type { AccountId, StaffRole } from "../accounts/Account.js"
import { isModerator } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { LiveEvent } from "../live/LiveEvent.js"
import type { Alert, AlertCategory } from "./Alert.js"
import { isTownCategory } from "./Alert.js"
import { isVisibleToMembers } from "./AlertLifecycle.js"

/**
 * At most this many alerts per member in `ALERT_RATE_WINDOW`: beyond, posting is refused
 * (AlertRateLimited). Whether a new alert is held is the trust policy's (trust/TrustPolicy.ts).
 */
export const ALERT_RATE_LIMIT = 5
export const ALERT_RATE_WINDOW = Duration.hours(1)

/** Whether a category suits the kind of alert: resident categories for a community, town ones for a commune. */
export const categoryFits = (scope: Alert["scope"]["_tag"], category: AlertCategory): boolean =>
  scope === "Commune" ? isTownCategory(category) : !isTownCategory(category)

/** The facts about a reader that decide what they see. */
export interface Viewer {
  readonly accountId: AccountId
  readonly staffRoles: ReadonlyArray<StaffRole>
  readonly verifiedCommunities: ReadonlySet<CommunityId>
}

/** The communes in which the viewer is mairie agent or municipal police. */
export const staffCommunes = (roles: ReadonlyArray<StaffRole>): ReadonlySet<InseeCode> =>
  new Set(roles.flatMap((r) => (r._tag === "MairieAgent" || r._tag === "MunicipalPolice" ? [r.insee] : [])))

/**
 * Whether the mairie and the municipal police of the alert's commune may read it (once visible): a
 * town alert, or a resident's alert shared with the authorities. Fixed when the alert is posted.
 */
export const forAuthorities = (alert: Pick<Alert, "scope" | "sharedWithAuthorities">): boolean =>
  alert.scope._tag === "Commune" || alert.sharedWithAuthorities

/**
 * Who may read an alert: its author always; moderators always (they review everything); verified
 * members of a community in its scope once it is visible; the mairie and police of its commune when
 * it is a town alert or a resident shared it with the authorities, once visible.
 */
export const canRead = (
  viewer: Viewer,
  alert: Alert,
  insee: InseeCode,
  inScope: ReadonlyArray<CommunityId>
): boolean => {
  if (alert.authorId === viewer.accountId) return true
  if (isModerator(viewer.staffRoles)) return true
  if (!isVisibleToMembers(alert.status)) return false
  if (inScope.some((id) => viewer.verifiedCommunities.has(id))) return true
  return staffCommunes(viewer.staffRoles).has(insee) && forAuthorities(alert)
}

/**
 * Whether a live event reaches a viewer: a verified member of a community it names, or the mairie
 * and police of its commune when the alert is theirs to read (`authorities`: a town alert or one
 * shared with them). Residents' alerts not shared stay out of the staff's streams. A Gazette change
 * reaches the verified members of the quartiers it names, and the mairie agents (not the police) of
 * its commune for a communication. A conversation's change reaches its members, named in it, and nobody else.
 */
export const receivesLiveEvent = (viewer: Viewer, event: LiveEvent): boolean =>
  event._tag === "ConversationChanged"
    ? event.accountIds.includes(viewer.accountId)
    : event._tag === "GazetteChanged"
    ? event.communityIds.some((id) => viewer.verifiedCommunities.has(id)) ||
      (event.mairie && viewer.staffRoles.some((r) => r._tag === "MairieAgent" && r.insee === event.insee))
    : (event.authorities && staffCommunes(viewer.staffRoles).has(event.insee)) ||
      (event._tag !== "DeliveryProgress" && event.communityIds.some((id) => viewer.verifiedCommunities.has(id)))
