import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { DeliveryReceipt } from "./DeliveryReceipts.js"

/** What recording a receipt did: moved a delivery forward, or nothing (stale, repeated, or unknown id). */
export type ReceiptOutcome = "applied" | "ignored"

/**
 * Applies providers' delivery receipts to deliveries, following `receiptApplies`: idempotent, and an
 * older status never overwrites a newer one, whatever order the receipts arrive in.
 */
export class DeliveryReceiptRepo extends Context.Tag("@vigie/domain/DeliveryReceiptRepo")<
  DeliveryReceiptRepo,
  { readonly record: (receipt: DeliveryReceipt, now: DateTime.Utc) => Effect.Effect<ReceiptOutcome> }
>() {}
