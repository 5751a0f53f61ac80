import { Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { Alert, AlertPlace, AlertText, TownCategory, Urgency } from "../alerts/Alert.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"

/** Names one preview: what the agent saw is what a confirmation sends. */
export const PreviewToken = Schema.UUID.pipe(Schema.brand("PreviewToken"))
export type PreviewToken = typeof PreviewToken.Type

export const AuthorityOrigin = Schema.Literal("mairie", "police")

/** A town alert as the agent writes it: every community of the commune, or a chosen subset. */
export const TownAlertDraft = Schema.Struct({
  insee: InseeCode,
  communityIds: Schema.optionalWith(Schema.NonEmptyArray(CommunityId).pipe(Schema.maxItems(500)), {
    as: "Option",
    nullable: true
  }),
  category: TownCategory,
  urgency: Urgency,
  text: AlertText,
  place: Schema.optionalWith(AlertPlace, { as: "Option", nullable: true })
})
export type TownAlertDraft = typeof TownAlertDraft.Type

export const SmsBudget = Schema.Struct({
  /** The commune's monthly budget, in billed SMS parts. */
  monthlySegments: Schema.NonNegativeInt,
  /** Parts billed to town alerts since the first of the month (Europe/Paris). */
  usedSegments: Schema.NonNegativeInt,
  remainingSegments: Schema.NonNegativeInt
})

/**
 * What confirming would do, computed by the same SQL rules as the fan-out: recipients per channel
 * after de-duplication and preferences, the SMS as it will read, its parts, cost, time to send at
 * the provider's rate, and the budget.
 */
export class TownAlertPreview extends Schema.Class<TownAlertPreview>("TownAlertPreview")({
  previewToken: PreviewToken,
  insee: InseeCode,
  origin: AuthorityOrigin,
  sms: Schema.NonNegativeInt,
  email: Schema.NonNegativeInt,
  /**
   * Voice calls the confirmation places (an urgent alert, to the members who chose calls for urgent
   * alerts), unless it is by e-mail only: 0 for other alerts. Not SMS parts: neither billed nor budgeted.
   */
  voice: Schema.NonNegativeInt,
  smsText: Schema.String,
  smsEncoding: Schema.Literal("GSM-7", "UCS-2"),
  smsSegments: Schema.Int.pipe(Schema.positive()),
  billedSegments: Schema.NonNegativeInt,
  costEur: Schema.NonNegative,
  pricePerSegmentEur: Schema.NonNegative,
  estimatedSeconds: Schema.NonNegativeInt,
  /** True when sending takes longer than the provider keeps messages queued (3 hours for Plivo). */
  exceedsProviderQueue: Schema.Boolean,
  budget: SmsBudget,
  /** False: confirming will be refused unless it is by e-mail only. */
  fitsBudget: Schema.Boolean,
  expiresAt: Schema.DateTimeUtc
}) {}

/** A confirmed town alert and the deliveries it wrote, per channel. */
export class TownAlertSent extends Schema.Class<TownAlertSent>("TownAlertSent")({
  alert: Alert,
  sms: Schema.NonNegativeInt,
  email: Schema.NonNegativeInt,
  emailOnly: Schema.Boolean
}) {}

/** A preview as stored, with the draft it was made from. */
export interface StoredPreview {
  readonly id: PreviewToken
  readonly accountId: AccountId
  readonly origin: "mairie" | "police"
  readonly draft: TownAlertDraft
  readonly sms: number
  readonly email: number
  readonly smsSegments: number
  readonly expiresAt: Date
}
