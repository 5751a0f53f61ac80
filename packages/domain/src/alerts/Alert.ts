import { Option, Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { BoundedText } from "../shared/Text.js"
import { AlertId, AlertStatus } from "../shared/Ids.js"

export { AlertId, AlertStatus }

/** What residents report. */
export const ResidentCategory = Schema.Literal(
  "suspicious_vehicle",
  "suspicious_person",
  "burglary",
  "open_door_or_window",
  "vulnerable_person_without_news",
  "lost_or_found_animal",
  "road_danger",
  "fire_or_smoke",
  "other"
)
export type ResidentCategory = typeof ResidentCategory.Type

/** What the mairie and the municipal police announce to the town. */
export const TownCategory = Schema.Literal(
  "weather",
  "roads",
  "event",
  "strike",
  "water_or_power_cut",
  "public_health",
  "town_other"
)
export type TownCategory = typeof TownCategory.Type

export const AlertCategory = Schema.Union(ResidentCategory, TownCategory)
export type AlertCategory = typeof AlertCategory.Type

/** urgent: sent at once on every allowed channel, even in quiet hours; info: may wait for the morning. */
export const Urgency = Schema.Literal("urgent", "info")
export type Urgency = typeof Urgency.Type

export const AlertOrigin = Schema.Literal("web", "sms", "mairie", "police")
export type AlertOrigin = typeof AlertOrigin.Type

/**
 * Who an alert is for: one community, or the communities of a commune (all of them, or a chosen
 * subset) for mairie and police alerts.
 */
export const AlertScope = Schema.Union(
  Schema.TaggedStruct("Community", { communityId: CommunityId }),
  Schema.TaggedStruct("Commune", {
    insee: InseeCode,
    communityIds: Schema.optionalWith(Schema.NonEmptyArray(CommunityId).pipe(Schema.maxItems(500)), {
      as: "Option",
      nullable: true
    })
  })
)
export type AlertScope = typeof AlertScope.Type

export const AlertText = BoundedText(1000).annotations({ identifier: "AlertText" })
export const AlertPlace = BoundedText(200).annotations({ identifier: "AlertPlace" })

/**
 * An alert as stored and shown to those in its scope. `followupOf`: the earlier, similar alert of the
 * same category and community that this one confirms (DuplicatePolicy); its recipients got a short
 * "un autre voisin confirme" instead of a second full alert. Absent for an ordinary alert.
 */
export class Alert extends Schema.Class<Alert>("Alert")({
  id: AlertId,
  scope: AlertScope,
  authorId: AccountId,
  origin: AlertOrigin,
  category: AlertCategory,
  urgency: Urgency,
  text: AlertText,
  place: Schema.OptionFromNullOr(AlertPlace),
  sharedWithAuthorities: Schema.Boolean,
  status: AlertStatus,
  createdAt: Schema.DateTimeUtc,
  closedAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  followupOf: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}

export const isTownCategory = (category: AlertCategory): category is TownCategory =>
  (TownCategory.literals as ReadonlyArray<string>).includes(category)
