import { SqlClient } from "@effect/sql"
import { DeliveryReceiptRepo } from "@vigie/domain/delivery/DeliveryReceiptRepo"
import type { DeliveryReceipt } from "@vigie/domain/delivery/DeliveryReceipts"
import { statusesMovedBy } from "@vigie/domain/delivery/DeliveryReceipts"
import { DateTime, Effect, Layer, Option } from "effect"
import { mapFailures } from "./SqlFailure"

/**
 * Receipts as one UPDATE per receipt: the delivery with that provider id moves to the receipt's
 * status only from a status the domain rule allows (`statusesMovedBy`), so a replayed or late receipt
 * matches no row. Uses the `deliveries_provider` index.
 */
export const make = Effect.map(SqlClient.SqlClient, (sql) =>
  DeliveryReceiptRepo.of({
    record: (receipt: DeliveryReceipt, now: DateTime.Utc) => {
      const lastError = receipt.status === "failed"
        ? `provider: ${Option.getOrElse(receipt.errorCode, () => "undelivered")}`
        : null
      return sql<{ id: string }>`
        UPDATE deliveries
        SET status = ${receipt.status},
            last_error = COALESCE(${lastError}, last_error),
            lease_expires_at = NULL,
            updated_at = ${DateTime.toDateUtc(now)}
        WHERE provider_id = ${receipt.providerId}
          AND status IN ${sql.in(statusesMovedBy(receipt.status))}
        RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0 ? "applied" as const : "ignored" as const),
        mapFailures(),
        Effect.withSpan("PgDeliveryReceipts.record", { attributes: { status: receipt.status } })
      )
    }
  }))

export const layer = Layer.effect(DeliveryReceiptRepo, make)
