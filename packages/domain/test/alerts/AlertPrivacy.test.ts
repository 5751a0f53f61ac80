import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import type { AccountId, StaffRole } from "../../src/accounts/Account.js"
import { displayName } from "../../src/accounts/DisplayName.js"
import { Alert, type AlertId } from "../../src/alerts/Alert.js"
import { receivesLiveEvent, type Viewer } from "../../src/alerts/AlertAccess.js"
import { toAlertView } from "../../src/alerts/AlertView.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import type { LiveEvent } from "../../src/live/LiveEvent.js"

const author = "00000000-0000-4000-8000-000000000001" as AccountId
const reader = "00000000-0000-4000-8000-000000000002" as AccountId
const alertId = "00000000-0000-4000-8000-0000000000aa" as AlertId
const quartier = "00000000-0000-4000-8000-0000000000c1" as CommunityId
const other = "00000000-0000-4000-8000-0000000000c2" as CommunityId
const cadaujac = "33080" as InseeCode
const bordeaux = "33063" as InseeCode

const alert = (scope: Alert["scope"]) =>
  new Alert({
    id: alertId,
    scope,
    authorId: author,
    origin: scope._tag === "Commune" ? "mairie" : "web",
    category: scope._tag === "Commune" ? "weather" : "suspicious_vehicle",
    urgency: "urgent",
    text: "Camionnette blanche",
    place: Option.none(),
    sharedWithAuthorities: false,
    status: "published",
    createdAt: DateTime.unsafeMake(0),
    closedAt: Option.none()
  })

describe("how members are named", () => {
  it("first name and initial; an erased account is « Ancien membre », whatever its names became", () => {
    expect(displayName({ firstName: "Chloé", lastName: "Moreau", status: "active" })).toBe("Chloé M.")
    expect(displayName({ firstName: "Chloé", lastName: "Moreau", status: "suspended" })).toBe("Chloé M.")
    expect(displayName({ firstName: "Chloé", lastName: "Moreau", status: "erased" })).toBe("Ancien membre")
  })
})

describe("an alert as a reader receives it", () => {
  it("says whether it is mine and names its author, and carries no account id", () => {
    const resident = alert({ _tag: "Community", communityId: quartier })
    const theirs = toAlertView(resident, reader, Option.some("Chloé M."))
    expect(theirs.mine).toBe(false)
    expect(theirs.authorName).toEqual(Option.some("Chloé M."))
    expect(JSON.stringify(theirs)).not.toContain(author)
    expect(Object.keys(theirs)).not.toContain("authorId")
    expect(toAlertView(resident, author, Option.some("Chloé M.")).mine).toBe(true)
  })

  it("names nobody on a town alert: it speaks for the mairie", () => {
    const town = alert({ _tag: "Commune", insee: cadaujac, communityIds: Option.none() })
    expect(toAlertView(town, reader, Option.some("Agent M.")).authorName).toEqual(Option.none())
  })
})

describe("who receives a live event", () => {
  const viewer = (staffRoles: ReadonlyArray<StaffRole>, verified: ReadonlyArray<CommunityId> = []): Viewer => ({
    accountId: reader,
    staffRoles,
    verifiedCommunities: new Set(verified)
  })
  const events = (authorities: boolean): ReadonlyArray<LiveEvent> => [
    { _tag: "AlertPublished", alertId, insee: cadaujac, communityIds: [quartier], authorities },
    { _tag: "AlertChanged", alertId, insee: cadaujac, communityIds: [quartier], authorities, status: "resolved" },
    { _tag: "AlertReactionsChanged", alertId, insee: cadaujac, communityIds: [quartier], authorities },
    { _tag: "DeliveryProgress", alertId, insee: cadaujac, authorities }
  ]
  const mairie = viewer([{ _tag: "MairieAgent", insee: cadaujac }])
  const police = viewer([{ _tag: "MunicipalPolice", insee: cadaujac }])

  it("the mairie and the police of the commune: only shared and town alerts", () => {
    for (const staff of [mairie, police]) {
      expect(events(false).filter((e) => receivesLiveEvent(staff, e))).toEqual([])
      expect(events(true).filter((e) => receivesLiveEvent(staff, e))).toEqual(events(true))
    }
  })

  it("another commune's staff, and a moderator, nothing; a member, their communities' events whatever the sharing", () => {
    const elsewhere = viewer([{ _tag: "MairieAgent", insee: bordeaux }])
    const moderator = viewer([{ _tag: "Moderator" }])
    for (const authorities of [false, true]) {
      expect(events(authorities).filter((e) => receivesLiveEvent(elsewhere, e))).toEqual([])
      expect(events(authorities).filter((e) => receivesLiveEvent(moderator, e))).toEqual([])
      expect(events(authorities).filter((e) => receivesLiveEvent(viewer([], [quartier]), e))).toHaveLength(3)
      expect(events(authorities).filter((e) => receivesLiveEvent(viewer([], [other]), e))).toEqual([])
    }
  })

  it("a mairie agent who lives in the quartier gets its events as a member", () => {
    const both = viewer([{ _tag: "MairieAgent", insee: cadaujac }], [quartier])
    expect(events(false).filter((e) => receivesLiveEvent(both, e)).map((e) => e._tag))
      .toEqual(["AlertPublished", "AlertChanged", "AlertReactionsChanged"])
  })
})
