import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { Alert, Urgency } from "../alerts/Alert.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { PreviewToken, StoredPreview, TownAlertDraft } from "./TownAlert.js"

/** Who a town alert would reach, as the fan-out decides it. */
export interface Reach {
  readonly authorId: AccountId
  readonly insee: InseeCode
  readonly communityIds: Option.Option<ReadonlyArray<CommunityId>>
  readonly urgency: Urgency
}

export interface ChannelCounts {
  readonly sms: number
  readonly email: number
}

/**
 * Town alerts in SQL. `count` and `post` plan recipients with the same statement text (the
 * fan-out's CTEs), so a preview and the deliveries of its confirmation cannot follow different rules.
 */
export class TownAlertRepo extends Context.Tag("@vigie/domain/TownAlertRepo")<
  TownAlertRepo,
  {
    readonly count: (reach: Reach, now: DateTime.Utc) => Effect.Effect<ChannelCounts>
    /** The commune's monthly budget (None: the default) and the parts used this month; does not lock. */
    readonly budget: (insee: InseeCode, now: DateTime.Utc) => Effect.Effect<{ readonly monthlySegments: Option.Option<number>; readonly usedSegments: number }>
    /**
     * The same, under a lock on the commune's budget row held until the transaction ends: confirmations
     * of one commune run one after the other. Must run inside a transaction.
     */
    readonly lockBudget: (insee: InseeCode, now: DateTime.Utc) => Effect.Effect<{ readonly monthlySegments: Option.Option<number>; readonly usedSegments: number }>
    readonly setBudget: (insee: InseeCode, monthlySegments: Option.Option<number>) => Effect.Effect<void>
    readonly savePreview: (preview: Omit<StoredPreview, "id">, now: DateTime.Utc) => Effect.Effect<PreviewToken>
    /** An open preview of this account (unexpired, unconfirmed), locked until the transaction ends. */
    readonly openPreview: (id: PreviewToken, accountId: AccountId, now: DateTime.Utc) => Effect.Effect<Option.Option<StoredPreview>>
    /**
     * Writes the alert (published, never held), its message and its deliveries on `channels`, the
     * town-alert record with what it is billed, and closes the preview. Returns the deliveries written.
     */
    readonly post: (
      preview: StoredPreview,
      channels: ReadonlyArray<"sms" | "email">,
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly alert: Alert } & ChannelCounts>
  }
>() {}

export type { TownAlertDraft }
