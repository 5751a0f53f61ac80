import { SqlClient } from "@effect/sql"
import type { DeliveryStatus } from "@vigie/domain/delivery/Delivery"
import { DeliveryReceiptRepo } from "@vigie/domain/delivery/DeliveryReceiptRepo"
import type { DeliveryReceipt, ReceiptStatus } from "@vigie/domain/delivery/DeliveryReceipts"
import { afterReceipts, KEPT_RECEIPTS_FOR, statusesMovedBy } from "@vigie/domain/delivery/DeliveryReceipts"
import { DateTime, Duration, Effect, Layer, Option, Schedule } from "effect"
import { mapFailures } from "./SqlFailure"

/** How often kept receipts are swept (those a concurrent `markSent` did not see, and expired ones). */
const SWEEP_EVERY = Duration.seconds(10)

const date = (at: DateTime.Utc) => DateTime.toDateUtc(at)

/**
 * Receipts as one UPDATE per receipt: the delivery with that provider id moves to the receipt's
 * status only from a status the domain rule allows (`statusesMovedBy`), so a replayed or late receipt
 * matches no row. Uses the `deliveries_provider` index. A receipt whose provider id no delivery has
 * yet is kept in `delivery_receipts_kept` (migration 0012), whose trigger applies it when `markSent`
 * sets that id. Should `markSent` commit between the trigger's look and the receipt's commit, the
 * receipt is applied by the UPDATE tried again after keeping it, or else by the periodic sweep.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const apply = (receipt: DeliveryReceipt, lastError: string | null, now: DateTime.Utc) =>
    sql<{ moved: number; known: boolean }>`
      WITH moved AS (
        UPDATE deliveries
        SET status = ${receipt.status},
            last_error = COALESCE(${lastError}, last_error),
            lease_expires_at = NULL,
            updated_at = ${date(now)}
        WHERE provider_id = ${receipt.providerId}
          AND status IN ${sql.in(statusesMovedBy(receipt.status))}
        RETURNING id
      )
      SELECT (SELECT count(*) FROM moved)::int AS moved,
             EXISTS (SELECT 1 FROM deliveries WHERE provider_id = ${receipt.providerId}) AS known`.pipe(
      Effect.map((rows) => rows[0]!)
    )

  const record = (receipt: DeliveryReceipt, now: DateTime.Utc) =>
    Effect.gen(function*() {
      const lastError = receipt.status === "failed"
        ? `provider: ${Option.getOrElse(receipt.errorCode, () => "undelivered")}`
        : null
      const first = yield* apply(receipt, lastError, now)
      if (first.moved > 0) return "applied" as const
      if (first.known) return "ignored" as const
      const [kept] = yield* sql<{ id: string }>`
        INSERT INTO delivery_receipts_kept (provider_id, status, last_error, received_at)
        VALUES (${receipt.providerId}, ${receipt.status}, ${lastError}, ${date(now)})
        RETURNING id::text AS id`
      // `markSent` may have committed meanwhile, its trigger not seeing this receipt yet.
      const again = yield* apply(receipt, lastError, now)
      if (!again.known) return "kept" as const
      yield* sql`DELETE FROM delivery_receipts_kept WHERE id = ${kept!.id}::bigint`
      return again.moved > 0 ? "applied" as const : "ignored" as const
    }).pipe(
      mapFailures(),
      Effect.withSpan("PgDeliveryReceipts.record", { attributes: { status: receipt.status } })
    )

  const sweepKept = (now: DateTime.Utc) =>
    sql.withTransaction(Effect.gen(function*() {
      const rows = yield* sql<
        { id: string; deliveryId: string; current: DeliveryStatus; status: ReceiptStatus; lastError: string | null }
      >`
        SELECT k.id::text AS id, d.id::text AS "deliveryId", d.status AS current, k.status, k.last_error AS "lastError"
        FROM delivery_receipts_kept k JOIN deliveries d ON d.provider_id = k.provider_id
        ORDER BY k.id
        FOR UPDATE OF k, d`
      const byDelivery = new Map<string, Array<(typeof rows)[number]>>()
      for (const row of rows) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row])
      const moves = [...byDelivery.values()].flatMap((kept) => {
        const last = afterReceipts(kept[0]!.current, kept)
        return last === undefined
          ? []
          : [{ deliveryId: last.deliveryId, status: last.status, lastError: last.lastError }]
      })
      if (moves.length > 0) {
        yield* sql`
          UPDATE deliveries d
          SET status = m.status, last_error = COALESCE(m.last_error, d.last_error), lease_expires_at = NULL,
              updated_at = ${date(now)}
          FROM unnest(${moves.map((m) => m.deliveryId)}::bigint[], ${moves.map((m) => m.status)}::text[],
                      ${moves.map((m) => m.lastError)}::text[]) AS m (id, status, last_error)
          WHERE d.id = m.id`
      }
      if (rows.length > 0) {
        yield* sql`DELETE FROM delivery_receipts_kept WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`
      }
      yield* sql`DELETE FROM delivery_receipts_kept WHERE received_at < ${
        date(DateTime.subtractDuration(now, KEPT_RECEIPTS_FOR))
      }`
      return moves.length
    })).pipe(
      mapFailures(),
      Effect.withSpan("PgDeliveryReceipts.sweepKept")
    )

  yield* DateTime.now.pipe(
    Effect.flatMap(sweepKept),
    Effect.catchAllCause((cause) => Effect.logWarning("kept delivery receipts not swept", cause)),
    Effect.repeat(Schedule.spaced(SWEEP_EVERY)),
    Effect.forkScoped
  )

  return DeliveryReceiptRepo.of({ record, sweepKept })
})

/** The repository, with its periodic sweep of kept receipts (stopped with the layer). */
export const layer = Layer.scoped(DeliveryReceiptRepo, make)
