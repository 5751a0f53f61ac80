import { describe, expect, it } from "@effect/vitest"
import { DeliveryStatus } from "@vigie/domain/delivery/Delivery"
import type { DeliveryStatus as Status } from "@vigie/domain/delivery/Delivery"
import { afterReceipts, ReceiptStatus, receiptApplies, statusesMovedBy } from "@vigie/domain/delivery/DeliveryReceipts"
import type { ReceiptStatus as Receipt } from "@vigie/domain/delivery/DeliveryReceipts"
import fc from "fast-check"

/** Folds receipts over a delivery as the SQL does: apply when the rule allows. */
const fold = (start: Status, receipts: ReadonlyArray<Receipt>): Status =>
  receipts.reduce<Status>((current, r) => receiptApplies(current, r) ? r : current, start)

const receipt = fc.constantFrom(...ReceiptStatus.literals)

describe("DeliveryReceipts", () => {
  it("moves forward only, and never out of a final status", () => {
    expect(receiptApplies("sent", "delivered")).toBe(true)
    expect(receiptApplies("sending", "sent")).toBe(true)
    expect(receiptApplies("sent", "failed")).toBe(true)
    expect(receiptApplies("delivered", "sent")).toBe(false)
    expect(receiptApplies("delivered", "failed")).toBe(false)
    expect(receiptApplies("failed", "delivered")).toBe(false)
    expect(receiptApplies("dead", "delivered")).toBe(false)
    // A delivery withheld by moderation was never sent: no receipt moves it (only a restore does).
    expect(receiptApplies("withheld", "sent")).toBe(false)
    expect(receiptApplies("withheld", "delivered")).toBe(false)
    expect(receiptApplies("withheld", "failed")).toBe(false)
    expect(receiptApplies("sent", "sent")).toBe(false)
    expect(statusesMovedBy("sent")).toEqual(["pending", "sending"])
    expect(statusesMovedBy("delivered")).toEqual(["pending", "sending", "sent"])
  })

  it("a receipt applied twice has the effect of once (idempotent)", () => {
    fc.assert(fc.property(fc.constantFrom(...DeliveryStatus.literals), fc.array(receipt), (start, receipts) => {
      const doubled = receipts.flatMap((r) => [r, r])
      expect(fold(start, doubled)).toBe(fold(start, receipts))
    }))
  })

  it("a late \"sent\" never undoes a final status, in any order", () => {
    fc.assert(fc.property(fc.array(receipt, { minLength: 1 }), (receipts) => {
      const end = fold("sent", receipts)
      const firstFinal = receipts.find((r) => r !== "sent")
      expect(end).toBe(firstFinal ?? "sent")
    }))
  })

  it("afterReceipts (kept receipts applied at markSent) ends where applying them one by one ends", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DeliveryStatus.literals),
        fc.array(receipt, { maxLength: 6 }),
        (start, statuses) => {
          const receipts = statuses.map((status, i) => ({ status, n: i }))
          const last = afterReceipts(start, receipts)
          const end = fold(start, statuses)
          expect(last?.status ?? start).toBe(end)
          if (last !== undefined) expect(receiptApplies(fold(start, statuses.slice(0, last.n)), last.status)).toBe(true)
        }
      )
    )
    expect(afterReceipts("sending", [{ status: "sent" }, { status: "failed" }, { status: "delivered" }])).toStrictEqual(
      { status: "failed" }
    )
  })
})
