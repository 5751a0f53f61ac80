import { SqlClient } from "@effect/sql"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { Duration, Effect, Layer, Schedule } from "effect"
import { statusCounts } from "../support/DeliverySeed.js"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"

export const truncateDeliveries = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`TRUNCATE deliveries, messages, alerts, communities, accounts CASCADE`
})

/** Waits until no delivery is pending or sending (or fails after `within`). */
export const drained = (within: Duration.DurationInput = Duration.seconds(60)) =>
  statusCounts.pipe(
    Effect.filterOrFail((c) => (c["pending"] ?? 0) + (c["sending"] ?? 0) === 0, () => "not drained yet"),
    Effect.retry(Schedule.spaced(Duration.millis(50))),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error("deliveries were not drained in time") })
  )

export const until = (condition: () => boolean, within: Duration.DurationInput = Duration.seconds(30)) =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.fail("no"))).pipe(
    Effect.retry(Schedule.spaced(Duration.millis(10))),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error("condition not met in time") })
  )

export const rows = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<
    {
      destination: string
      status: string
      attempts: number
      last_error: string | null
      provider_id: string | null
      channel: string
    }
  >`
    SELECT destination, status, attempts, last_error, provider_id, channel FROM deliveries ORDER BY id`
})

/** Delivery workers without pacing, polling every 50 ms: tests wait for the work, not the pace. */
const unpaced: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  poll: Duration.millis(50),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

/**
 * Runs the delivery workers with the outbox senders (texts linking to `publicUrl`) until nothing is
 * due; returns what the outboxes hold.
 */
export const deliverAll = (publicUrl: URL) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const outbox = Layer.merge(OutboxSmsSender.layer, OutboxEmailSender.layer)
    yield* Effect.scoped(Effect.gen(function*() {
      yield* Effect.forkScoped(
        DeliveryWorker.run(yield* alertRenderer(publicUrl), unpaced).pipe(Effect.provide(outbox))
      )
      yield* drained(Duration.seconds(30))
    }))
    const sms = yield* sql<{ destination: string; text: string }>`SELECT destination, text FROM sms_outbox ORDER BY id`
    const mails = yield* sql<{ destination: string; subject: string; text: string }>`
      SELECT destination, subject, text FROM email_outbox ORDER BY id`
    return { sms, mails }
  }).pipe(Effect.orDie)
