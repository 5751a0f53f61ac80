import { Duration, Schema } from "effect"
import { DeliveryStatus, isTerminal } from "./Delivery.js"

/** What a provider's receipt says of one message: accepted/in transit, delivered, or undeliverable. */
export const ReceiptStatus = Schema.Literal("sent", "delivered", "failed")
export type ReceiptStatus = typeof ReceiptStatus.Type

/** A delivery receipt from the provider, for the message it knows by `providerId`. */
export class DeliveryReceipt extends Schema.Class<DeliveryReceipt>("DeliveryReceipt")({
  providerId: Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(100)),
  status: ReceiptStatus,
  /** The provider's error code of a failed message, kept in `last_error`. */
  errorCode: Schema.OptionFromNullOr(Schema.String.pipe(Schema.maxLength(50)))
}) {}

/**
 * How far a delivery has gone: pending and sending < sent < delivered | failed | dead. Receipts
 * arrive out of order and several times (Plivo retries), so a receipt moves a delivery only forward.
 */
export const statusRank: Readonly<Record<DeliveryStatus, number>> = {
  pending: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  failed: 3,
  dead: 3,
  cancelled: 3,
  withheld: 3
}

/**
 * Whether a receipt changes a delivery now in `current`: only to a later rank, never out of a final
 * status (delivered, failed, dead). So a late "sent" after "delivered" changes nothing, "failed"
 * after "delivered" changes nothing, and the same receipt twice has one effect.
 */
export const receiptApplies = (current: DeliveryStatus, incoming: ReceiptStatus): boolean =>
  !isTerminal(current) && statusRank[incoming] > statusRank[current]

/** The statuses a receipt may move a delivery out of: the rule above as a set, for one SQL condition. */
export const statusesMovedBy = (incoming: ReceiptStatus): ReadonlyArray<DeliveryStatus> =>
  DeliveryStatus.literals.filter((current) => receiptApplies(current, incoming))

/**
 * A receipt can arrive before the delivery it is about knows its provider id (the provider answers
 * our send call, then calls the status webhook, while our `markSent` has not committed yet). Such a
 * receipt is kept, and applied when the delivery gets that provider id; one that no delivery claims
 * within this time (a reply to an inbound SMS, a message of another system) is dropped.
 */
export const KEPT_RECEIPTS_FOR = Duration.days(1)

/**
 * Where a delivery in `current` ends after `receipts` applied in arrival order, each by
 * `receiptApplies`: the last receipt that moved it, or none when none did.
 */
export const afterReceipts = <R extends { readonly status: ReceiptStatus }>(
  current: DeliveryStatus,
  receipts: ReadonlyArray<R>
): R | undefined => {
  let status = current
  let last: R | undefined
  for (const receipt of receipts) {
    if (receiptApplies(status, receipt.status)) {
      status = receipt.status
      last = receipt
    }
  }
  return last
}
