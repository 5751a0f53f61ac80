import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { Alert, AlertId } from "../alerts/Alert.js"
import type { InseeCode } from "../communities/Commune.js"
import type { PreviewToken, StoredPreview, TownAlertDraft } from "./TownAlert.js"

export interface ChannelCounts {
  readonly sms: number
  readonly email: number
}

/**
 * Town alerts in SQL: previews, budgets, and the rows of a confirmed town alert. Its recipients are
 * counted (preview) and its deliveries planned (confirmation) by the Outbox, with the same fan-out
 * rules, so a preview and its confirmation cannot follow different rules.
 */
export class TownAlertRepo extends Context.Tag("@vigie/domain/TownAlertRepo")<
  TownAlertRepo,
  {
    /** The commune's monthly budget (None: the default) and the parts used this month; does not lock. */
    readonly budget: (
      insee: InseeCode,
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly monthlySegments: Option.Option<number>; readonly usedSegments: number }>
    /**
     * The same, under a lock on the commune's budget row held until the transaction ends: confirmations
     * of one commune run one after the other. Must run inside a transaction.
     */
    readonly lockBudget: (
      insee: InseeCode,
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly monthlySegments: Option.Option<number>; readonly usedSegments: number }>
    readonly setBudget: (insee: InseeCode, monthlySegments: Option.Option<number>) => Effect.Effect<void>
    readonly savePreview: (preview: Omit<StoredPreview, "id">, now: DateTime.Utc) => Effect.Effect<PreviewToken>
    /** An open preview of this account (unexpired, unconfirmed), locked until the transaction ends. */
    readonly openPreview: (
      id: PreviewToken,
      accountId: AccountId,
      now: DateTime.Utc
    ) => Effect.Effect<Option.Option<StoredPreview>>
    /** Writes the previewed alert: published at once (a town alert is never held for review). */
    readonly insert: (preview: StoredPreview, now: DateTime.Utc) => Effect.Effect<Alert>
    /**
     * Records a posted town alert: what it wrote on `channels` and what it is billed (SMS parts), and
     * closes its preview.
     */
    readonly record: (
      preview: StoredPreview,
      alertId: AlertId,
      channels: ReadonlyArray<"sms" | "email">,
      written: ChannelCounts,
      now: DateTime.Utc
    ) => Effect.Effect<void>
  }
>() {}

export type { TownAlertDraft }
