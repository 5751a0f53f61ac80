import { Schema } from "effect"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { PreviewToken } from "./TownAlert.js"

const Counts = Schema.Struct({ sms: Schema.NonNegativeInt, email: Schema.NonNegativeInt })

/** No preview with this token for me that is still open (unknown, expired, already confirmed, or another agent's). */
export class PreviewNotFound extends Schema.TaggedError<PreviewNotFound>()("PreviewNotFound", {
  previewToken: PreviewToken
}) {}

/**
 * Members joined, left or changed their preferences since the preview: the confirmed alert would not
 * reach what was shown. Nothing was sent; preview again.
 */
export class PreviewOutdated extends Schema.TaggedError<PreviewOutdated>()("PreviewOutdated", {
  previewToken: PreviewToken,
  previewed: Counts,
  current: Counts
}) {}

/**
 * The commune's monthly SMS budget (in billed SMS parts) cannot pay for this town alert. Nothing was
 * sent; the agent may confirm again with `emailOnly`.
 */
export class BudgetExceeded extends Schema.TaggedError<BudgetExceeded>()("BudgetExceeded", {
  insee: InseeCode,
  monthlySegments: Schema.NonNegativeInt,
  usedSegments: Schema.NonNegativeInt,
  neededSegments: Schema.NonNegativeInt
}) {}

/**
 * The members whose home lies outside the new perimeter are no longer those of the preview (someone
 * joined, left or moved). Nothing changed; preview again.
 */
export class RedrawPreviewStale extends Schema.TaggedError<RedrawPreviewStale>()("RedrawPreviewStale", {
  communityId: CommunityId
}) {}
