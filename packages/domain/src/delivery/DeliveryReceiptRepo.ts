import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { DeliveryReceipt } from "./DeliveryReceipts.js"

/**
 * What recording a receipt did: moved a delivery forward, nothing (stale or repeated), or kept it
 * because no delivery has its provider id yet (see `KEPT_RECEIPTS_FOR`).
 */
export type ReceiptOutcome = "applied" | "ignored" | "kept"

/**
 * Applies providers' delivery receipts to deliveries, following `receiptApplies`: idempotent, and an
 * older status never overwrites a newer one, whatever order the receipts arrive in. A receipt for a
 * provider id no delivery has yet is kept, and applied (with the others kept for it, in arrival
 * order) as soon as a delivery is marked sent with that id.
 */
export class DeliveryReceiptRepo extends Context.Tag("@vigie/domain/DeliveryReceiptRepo")<
  DeliveryReceiptRepo,
  {
    readonly record: (receipt: DeliveryReceipt, now: DateTime.Utc) => Effect.Effect<ReceiptOutcome>
    /**
     * Applies the kept receipts whose delivery now has their provider id (those a concurrent
     * `markSent` did not see), and drops those older than `KEPT_RECEIPTS_FOR`; how many it applied.
     */
    readonly sweepKept: (now: DateTime.Utc) => Effect.Effect<number>
  }
>() {}
